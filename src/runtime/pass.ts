/// <reference types="@webgpu/types" />
import type { Workgroups } from '../codegen/kernel.js';
import { TEXTURE_WIDTH } from '../codegen/texture.js';
import { dispatchSize, PARAMS_BYTES } from '../codegen/wgsl.js';
import type { CompiledKernel } from './pipelines.js';
import { BufferUsage } from './usage.js';
import { quietly } from './wait.js';

/**
 * The executor of a compiled program, shared by ModelSession's in-memory plans (runtime/executor.ts,
 * storage from TensorBuffers) and a compiled module's manifest (runtime/module-runtime.ts, storage
 * from the manifest's buffers): the uniform block every kernel binds last, bind groups built once
 * per batch, the kernels in compute passes of one submission (a new pass after each texture copy),
 * dispatches folded under the device's limit, and GPU errors caught in scopes. The two callers
 * differ only in where storage lives.
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
  /** The texels it leaves in a buffer for the runner to copy into a texture (codegen/kernel.ts TextureCopy). */
  readonly copy?: { readonly texels: number; readonly batched: boolean };
}

/** Where a kernel's storage lives now (asked again after `rebind`). */
export interface RunnerStorage {
  /** What kernel i's bindings point at. */
  slots(kernel: number): readonly BoundSlot[];
  /** The staging buffer and the texture of kernel i's copy. */
  copy(kernel: number): { readonly buffer: GPUBuffer; readonly offset: number; readonly texture: GPUTexture };
}

export interface RunOptions {
  /** Skip the kernels before this one (prepare kernels whose results are still valid). */
  readonly from?: number;
  /** Commands recorded ahead of the pass in the same submission (snapshot copies). */
  readonly prelude?: (enc: GPUCommandEncoder) => void;
}

export class ProgramRunner {
  private bindGroups: GPUBindGroup[] = [];
  private copies: (ReturnType<RunnerStorage['copy']> | undefined)[] = [];
  private readonly params: GPUBuffer;
  private readonly paramData = new Uint32Array(PARAMS_BYTES / 4);

  constructor(
    private readonly device: GPUDevice,
    readonly kernels: readonly RunnableKernel[],
    private readonly storage: RunnerStorage,
    private readonly label: string,
    private readonly maxPerDim: number = device.limits.maxComputeWorkgroupsPerDimension,
  ) {
    this.params = device.createBuffer({ size: PARAMS_BYTES, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST, label: `${label}.params` });
  }

  /** The storage moved (a new batch size): bind groups are rebuilt at the next run. */
  rebind(): void {
    this.bindGroups = [];
    this.copies = [];
  }

  /** Records and submits one run for `batch` samples at training step `step`; does not wait. */
  run(batch: number, step: number, opts: RunOptions = {}): void {
    this.paramData[0] = batch;
    this.paramData[1] = step >>> 0;
    this.device.queue.writeBuffer(this.params, 0, this.paramData);
    if (!this.bindGroups.length) {
      this.bindGroups = this.kernels.map((k, i) => this.bindGroup(k, i));
      this.copies = this.kernels.map((k, i) => (k.copy ? this.storage.copy(i) : undefined));
    }
    const enc = this.device.createCommandEncoder({ label: this.label });
    opts.prelude?.(enc);
    let pass = enc.beginComputePass();
    this.kernels.forEach((k, i) => {
      if (i < (opts.from ?? 0)) return;
      const [x, y, z] = dispatchSize(k, batch, this.maxPerDim);
      if (x === 0 || y === 0 || z === 0) return;
      pass.setPipeline(k.compiled.pipeline);
      pass.setBindGroup(0, this.bindGroups[i]);
      pass.dispatchWorkgroups(x, y, z);
      if (!k.copy) return;
      // A copy command cannot be recorded inside a pass: end it, copy, and go on in a new one.
      pass.end();
      copyToTexture(enc, this.copies[i]!, k.copy.texels * (k.copy.batched ? batch : 1));
      pass = enc.beginComputePass();
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
    const slots = this.storage.slots(i);
    const entries: GPUBindGroupEntry[] = slots.map((s, b) => ({ binding: b, resource: 'view' in s ? s.view : { buffer: s.buffer, offset: s.offset, size: s.size } }));
    entries.push({ binding: slots.length, resource: { buffer: this.params } });
    return this.device.createBindGroup({ layout: k.compiled.layout, entries, label: k.name });
  }
}

/** The first `texels` texels of a staging buffer into a texture laid out as codegen/texture.ts says: whole rows, then what is left of the last. */
function copyToTexture(enc: GPUCommandEncoder, c: ReturnType<RunnerStorage['copy']>, texels: number): void {
  const bytesPerRow = TEXTURE_WIDTH * 16;
  const rows = Math.floor(texels / TEXTURE_WIDTH);
  const rest = texels % TEXTURE_WIDTH;
  if (rows) enc.copyBufferToTexture({ buffer: c.buffer, offset: c.offset, bytesPerRow }, { texture: c.texture }, [TEXTURE_WIDTH, rows]);
  if (rest) enc.copyBufferToTexture({ buffer: c.buffer, offset: c.offset + rows * bytesPerRow, bytesPerRow }, { texture: c.texture, origin: [0, rows] }, [rest, 1]);
}
