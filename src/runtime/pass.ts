/// <reference types="@webgpu/types" />
import { PARAMS_BYTES } from '../codegen/wgsl.js';
import { BufferUsage } from './usage.js';
import { quietly } from './wait.js';

/**
 * Recording a program on the device, shared by the in-process Executor (runtime/executor.ts) and a
 * compiled module's runtime (runtime/module-runtime.ts): the uniform block every kernel binds last,
 * bind groups, one compute pass per run in one submission, and GPU errors caught in scopes.
 */

/** A kernel ready to record: its pipeline, bind group and workgroup counts at the current batch. */
export interface Dispatch {
  readonly pipeline: GPUComputePipeline;
  readonly bindGroup: GPUBindGroup;
  readonly size: readonly [number, number, number];
}

/** Where one storage binding of a kernel points. */
export interface BoundSlot {
  readonly buffer: GPUBuffer;
  readonly offset: number;
  readonly size: number;
}

/** The uniform block (codegen/wgsl.ts: batch size, step counter), one per program. */
export class ParamsBlock {
  readonly buffer: GPUBuffer;
  private readonly data = new Uint32Array(PARAMS_BYTES / 4);

  constructor(private readonly device: GPUDevice, label: string) {
    this.buffer = device.createBuffer({ size: PARAMS_BYTES, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST, label });
  }

  /** Queued before the next submission, so the run that follows sees these values. */
  write(batch: number, step: number): void {
    this.data[0] = batch;
    this.data[1] = step >>> 0;
    this.device.queue.writeBuffer(this.buffer, 0, this.data);
  }

  destroy(): void {
    this.buffer.destroy();
  }
}

/** A kernel's bind group: its storage bindings in order, then the uniform block. */
export function bindGroupOf(device: GPUDevice, layout: GPUBindGroupLayout, slots: readonly BoundSlot[], params: ParamsBlock, label: string): GPUBindGroup {
  const entries: GPUBindGroupEntry[] = slots.map((s, i) => ({ binding: i, resource: { buffer: s.buffer, offset: s.offset, size: s.size } }));
  entries.push({ binding: slots.length, resource: { buffer: params.buffer } });
  return device.createBindGroup({ layout, entries, label });
}

/**
 * Records the dispatches from `from` on (empty ones skipped) into one compute pass and submits it,
 * after the commands `prelude` records in the same encoder. Does not wait.
 */
export function submitPass(device: GPUDevice, dispatches: readonly Dispatch[], opts: { label: string; from?: number; prelude?: (enc: GPUCommandEncoder) => void }): void {
  const enc = device.createCommandEncoder({ label: opts.label });
  opts.prelude?.(enc);
  const pass = enc.beginComputePass();
  dispatches.forEach((d, i) => {
    const [x, y, z] = d.size;
    if (i < (opts.from ?? 0) || x === 0 || y === 0 || z === 0) return;
    pass.setPipeline(d.pipeline);
    pass.setBindGroup(0, d.bindGroup);
    pass.dispatchWorkgroups(x, y, z);
  });
  pass.end();
  device.queue.submit([enc.finish()]);
}

/** Runs `record` inside validation and out-of-memory error scopes; the first error, or null. */
export async function gpuErrorsOf(device: GPUDevice, record: () => void): Promise<GPUError | null> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  record();
  const validation = await quietly(device.popErrorScope());
  const oom = await quietly(device.popErrorScope());
  return validation ?? oom;
}
