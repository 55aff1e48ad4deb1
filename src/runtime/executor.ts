/// <reference types="@webgpu/types" />
import type { Kernel } from '../codegen/kernel.js';
import type { Tensor } from '../ir/graph.js';
import { TensorBuffers, type Borrowed, type BufferLayout, type Slot } from './buffers.js';
import { PipelineCache, type CompiledKernel } from './pipelines.js';
import { ProgramRunner, type RunOptions } from './pass.js';
import { CnncError } from '../diagnostics/run-error.js';
import { quietly } from './wait.js';

export interface ExecutorOptions {
  /** Share compiled pipelines between executors on the same device. */
  readonly pipelines?: PipelineCache;
  /** Tensors that need a buffer though no kernel binds them (e.g. a reshape's alias source). */
  readonly extraTensors?: readonly number[];
  /** Aliases and arenas (see TensorBuffers). */
  readonly layout?: BufferLayout;
  /** Storage another executor on the same device owns and this one binds (ModelSession's shared weights). */
  readonly borrowed?: Borrowed;
  /** Fold dispatches above this many workgroups per dimension; default the device's limit (tests lower it to exercise folding). */
  readonly maxWorkgroupsPerDimension?: number;
}

/** A GPU error raised while validating or running the recorded work. */
export class GpuRunError extends CnncError {
  constructor(message: string) {
    super('E_GPU_RUN', message, { help: 'a smaller batch needs less memory; if it persists, report it with the output of `cnnc compile --emit plan`' });
    this.name = 'GpuRunError';
  }
}

/**
 * Runs a fixed list of kernels: buffers per tensor, one command encoder, one compute pass and one
 * submit per run, and a uniform block (batch size, step counter) bound at every kernel's last
 * binding. Uploads and downloads happen only on request.
 */
export class Executor {
  private readonly runner: ProgramRunner;
  private destroyed = false;
  /** The step counter passed to kernels (dropout's random stream); advanced by every run. */
  step = 0;

  private constructor(
    readonly device: GPUDevice,
    readonly kernels: readonly Kernel[],
    compiled: readonly CompiledKernel[],
    private readonly buffers: TensorBuffers,
    maxPerDim: number,
  ) {
    const runnable = kernels.map((k, i) => ({ name: k.name, compiled: compiled[i], workgroups: k.workgroups, ...(k.copy ? { copy: k.copy } : {}) }));
    const storage = {
      slots: (i: number) => kernels[i].bindings.map((b) => buffers.binding(b.tensor)),
      copy: (i: number) => {
        const { buffer, texture } = kernels[i].copy!;
        const slot = buffers.slot(buffer);
        return { buffer: slot.buffer, offset: slot.offset, texture: buffers.texture(texture) };
      },
    };
    this.runner = new ProgramRunner(device, runnable, storage, 'cnnc run', maxPerDim);
  }

  /** Compiles every kernel (throwing KernelCompileError with the kernel's name) and allocates for `batch`. */
  static async create(
    device: GPUDevice,
    tensors: readonly Tensor[],
    kernels: readonly Kernel[],
    batch: number,
    opts: ExecutorOptions = {},
  ): Promise<Executor> {
    const cache = opts.pipelines ?? new PipelineCache(device);
    const compiled = await Promise.all(kernels.map((k) => cache.get(k)));
    const ids = new Set<number>(opts.extraTensors ?? []);
    for (const k of kernels) for (const b of k.bindings) ids.add(b.tensor);
    for (const k of kernels) if (k.copy) ids.add(k.copy.texture);
    for (const arena of opts.layout?.arenas ?? []) for (const m of arena.members) ids.add(m.id);
    for (const id of opts.layout?.views?.keys() ?? []) ids.add(id);
    // An alias needs its root's storage even when no kernel here binds the root itself.
    const aliases = opts.layout?.aliases ?? new Map<number, number>();
    for (const id of [...ids]) for (let r = aliases.get(id); r !== undefined; r = aliases.get(r)) ids.add(r);
    const buffers = new TensorBuffers(device, tensors, [...ids].sort((a, b) => a - b), opts.layout, opts.borrowed);
    const ex = new Executor(device, kernels, compiled, buffers, opts.maxWorkgroupsPerDimension ?? device.limits.maxComputeWorkgroupsPerDimension);
    await ex.setBatch(batch);
    return ex;
  }

  get batch(): number {
    return this.buffers.batch;
  }

  /** Reallocates batched tensors for another batch size (their contents are lost). */
  async setBatch(batch: number): Promise<void> {
    this.live();
    if (await this.buffers.setBatch(batch)) this.runner.rebind();
  }

  /** The buffer holding a tensor, e.g. to share it with another executor or copy from it. */
  buffer(tensor: number): GPUBuffer {
    return this.buffers.buffer(tensor);
  }

  /** Where a tensor lives (a slice when it is in an arena). */
  slot(tensor: number): Slot {
    return this.buffers.slot(tensor);
  }

  /** An arena's whole buffer and its length in floats. */
  arena(index: number): { buffer: GPUBuffer; length: number } {
    return this.buffers.arena(index);
  }

  write(tensor: number, data: Float32Array): void {
    this.live();
    this.buffers.write(tensor, data);
  }

  /** Reads a tensor back after everything submitted so far. */
  read(tensor: number): Promise<Float32Array> {
    this.live();
    return this.buffers.read(tensor);
  }

  /** Reads several tensors back with one map. */
  readMany(tensors: readonly number[]): Promise<Float32Array[]> {
    this.live();
    return this.buffers.readMany(tensors);
  }

  /**
   * Records every kernel (from kernel `from` on: a caller skips prepare kernels whose results are
   * still valid) into one compute pass and submits it; does not wait. `prelude` records copies
   * ahead of the pass in the same submission.
   */
  run(step: number = this.step, opts: RunOptions = {}): void {
    this.live();
    this.step = step + 1;
    this.runner.run(this.buffers.batch, step, opts);
  }

  /** Runs once and waits for the GPU, turning validation and memory errors into a GpuRunError. */
  async runAndWait(step: number = this.step): Promise<void> {
    this.live();
    this.step = step + 1;
    const err = await this.runner.runChecked(this.buffers.batch, step);
    await quietly(this.device.queue.onSubmittedWorkDone());
    if (err) throw new GpuRunError(`running ${this.kernels.map((k) => k.name).join(', ')}: ${err.message}`);
  }

  /** Resolves when all submitted work has finished. */
  finish(): Promise<void> {
    return quietly(this.device.queue.onSubmittedWorkDone());
  }

  /** Waits for the queue, then releases every buffer (the device stays). */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    await this.buffers.destroy();
    this.runner.destroy();
  }

  private live(): void {
    if (this.destroyed) throw new Error('internal: executor used after destroy()');
  }
}
