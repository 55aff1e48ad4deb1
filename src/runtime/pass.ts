/// <reference types="@webgpu/types" />
import type { Workgroups } from '../codegen/kernel.js';
import { dispatchSize, PARAMS_BYTES } from '../codegen/wgsl.js';
import type { CompiledKernel } from './pipelines.js';
import { BufferUsage } from './usage.js';
import { quietly } from './wait.js';

/**
 * The executor of a compiled program, shared by ModelSession's in-memory plans (runtime/executor.ts,
 * storage from TensorBuffers) and a compiled module's manifest (runtime/module-runtime.ts, storage
 * from the manifest's buffers): the uniform block every kernel binds last, bind groups built once
 * per batch, one compute pass per run in one submission, dispatches folded under the device's
 * limit, and GPU errors caught in scopes. The two callers differ only in where storage lives.
 */

/** Where one binding of a kernel points: a storage buffer range, or a storage texture's view. */
export type BoundSlot =
  | { readonly buffer: GPUBuffer; readonly offset: number; readonly size: number }
  | { readonly view: GPUTextureView };

/** A kernel as the runner records it: its compiled pipeline and its workgroup counts per batch. */
export interface RunnableKernel {
  readonly name: string;
  readonly compiled: CompiledKernel;
  readonly workgroups: Workgroups;
}

export interface RunOptions {
  /** Skip the kernels before this one (prepare kernels whose results are still valid). */
  readonly from?: number;
  /** Commands recorded ahead of the pass in the same submission (snapshot copies). */
  readonly prelude?: (enc: GPUCommandEncoder) => void;
}

export class ProgramRunner {
  private bindGroups: GPUBindGroup[] = [];
  private readonly params: GPUBuffer;
  private readonly paramData = new Uint32Array(PARAMS_BYTES / 4);

  constructor(
    private readonly device: GPUDevice,
    readonly kernels: readonly RunnableKernel[],
    /** Where kernel i's bindings point now (asked again after `rebind`). */
    private readonly slotsOf: (kernel: number) => readonly BoundSlot[],
    private readonly label: string,
    private readonly maxPerDim: number = device.limits.maxComputeWorkgroupsPerDimension,
  ) {
    this.params = device.createBuffer({ size: PARAMS_BYTES, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST, label: `${label}.params` });
  }

  /** The storage moved (a new batch size): bind groups are rebuilt at the next run. */
  rebind(): void {
    this.bindGroups = [];
  }

  /** Records and submits one run for `batch` samples at training step `step`; does not wait. */
  run(batch: number, step: number, opts: RunOptions = {}): void {
    this.paramData[0] = batch;
    this.paramData[1] = step >>> 0;
    this.device.queue.writeBuffer(this.params, 0, this.paramData);
    if (!this.bindGroups.length) this.bindGroups = this.kernels.map((k, i) => this.bindGroup(k, i));
    const enc = this.device.createCommandEncoder({ label: this.label });
    opts.prelude?.(enc);
    const pass = enc.beginComputePass();
    this.kernels.forEach((k, i) => {
      if (i < (opts.from ?? 0)) return;
      const [x, y, z] = dispatchSize(k, batch, this.maxPerDim);
      if (x === 0 || y === 0 || z === 0) return;
      pass.setPipeline(k.compiled.pipeline);
      pass.setBindGroup(0, this.bindGroups[i]);
      pass.dispatchWorkgroups(x, y, z);
    });
    pass.end();
    this.device.queue.submit([enc.finish()]);
  }

  /** `run` inside validation and out-of-memory error scopes; the first error, or null. */
  async runChecked(batch: number, step: number, opts: RunOptions = {}): Promise<GPUError | null> {
    this.device.pushErrorScope('out-of-memory');
    this.device.pushErrorScope('validation');
    this.run(batch, step, opts);
    const validation = await quietly(this.device.popErrorScope());
    const oom = await quietly(this.device.popErrorScope());
    return validation ?? oom;
  }

  destroy(): void {
    this.params.destroy();
    this.bindGroups = [];
  }

  private bindGroup(k: RunnableKernel, i: number): GPUBindGroup {
    const slots = this.slotsOf(i);
    const entries: GPUBindGroupEntry[] = slots.map((s, b) => ({ binding: b, resource: 'view' in s ? s.view : { buffer: s.buffer, offset: s.offset, size: s.size } }));
    entries.push({ binding: slots.length, resource: { buffer: this.params } });
    return this.device.createBindGroup({ layout: k.compiled.layout, entries, label: k.name });
  }
}
