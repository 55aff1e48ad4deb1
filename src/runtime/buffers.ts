/// <reference types="@webgpu/types" />
import type { Tensor } from '../ir/graph.js';
import { numel } from '../ir/graph.js';
import { BufferUsage, MapMode } from './usage.js';

/** Elements of a tensor for a batch of `batch` (batched tensors hold batch × numel). */
export function tensorElements(t: Tensor, batch: number): number {
  return numel(t.shape) * (t.batched ? batch : 1);
}

/** A tensor does not fit the device's storage binding limit. */
export class BufferTooLargeError extends Error {
  readonly code = 'E_BUFFER_TOO_LARGE';
  constructor(tensor: Tensor, bytes: number, limit: number, batch: number) {
    super(
      `tensor ${tensor.name} (${tensor.shape.join('×')}${tensor.batched ? ` × batch ${batch}` : ''}) needs ${bytes} bytes, ` +
        `over the device's storage binding limit of ${limit} bytes; use a smaller batch`,
    );
    this.name = 'BufferTooLargeError';
  }
}

/**
 * One storage buffer per tensor. Sizes are rounded up to 16 bytes (never zero); kernels still
 * bound every access by the tensor's own size. Batched tensors are reallocated when the batch
 * changes, after the queue has finished with the old ones.
 */
export class TensorBuffers {
  private readonly buffers = new Map<number, GPUBuffer>();
  private current = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly tensors: readonly Tensor[],
    private readonly ids: readonly number[],
  ) {}

  get batch(): number {
    return this.current;
  }

  /** Allocates for `batch`; returns whether any buffer changed (bind groups must be rebuilt). */
  async setBatch(batch: number): Promise<boolean> {
    if (!Number.isInteger(batch) || batch < 1) throw new Error(`batch must be a positive integer, got ${batch}`);
    if (batch === this.current && this.buffers.size === this.ids.length) return false;
    const stale: GPUBuffer[] = [];
    for (const id of this.ids) {
      const t = this.tensor(id);
      const old = this.buffers.get(id);
      if (old && !t.batched) continue;
      if (old) stale.push(old);
      this.buffers.set(id, this.allocate(t, batch));
    }
    this.current = batch;
    if (stale.length) {
      await this.device.queue.onSubmittedWorkDone();
      for (const b of stale) b.destroy();
    }
    return true;
  }

  buffer(id: number): GPUBuffer {
    const b = this.buffers.get(id);
    if (!b) throw new Error(`internal: no buffer for tensor ${id} (call setBatch first)`);
    return b;
  }

  tensor(id: number): Tensor {
    const t = this.tensors[id];
    if (!t || t.id !== id) throw new Error(`internal: tensor ${id} is not in the graph`);
    return t;
  }

  has(id: number): boolean {
    return this.buffers.has(id);
  }

  /** Uploads a whole tensor (queued before any later submit). */
  write(id: number, data: Float32Array): void {
    const t = this.tensor(id);
    const n = tensorElements(t, this.current);
    if (data.length !== n) throw new Error(`tensor ${t.name}: expected ${n} values for batch ${this.current}, got ${data.length}`);
    this.device.queue.writeBuffer(this.buffer(id), 0, data.buffer, data.byteOffset, data.byteLength);
  }

  /** Downloads a whole tensor after all submitted work. */
  async read(id: number): Promise<Float32Array> {
    const t = this.tensor(id);
    const bytes = tensorElements(t, this.current) * 4;
    const out = new Float32Array(bytes / 4);
    if (bytes === 0) return out;
    const staging = this.device.createBuffer({ size: bytes, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST, label: `read:${t.name}` });
    try {
      const enc = this.device.createCommandEncoder();
      enc.copyBufferToBuffer(this.buffer(id), 0, staging, 0, bytes);
      this.device.queue.submit([enc.finish()]);
      await staging.mapAsync(MapMode.READ);
      out.set(new Float32Array(staging.getMappedRange()));
      staging.unmap();
    } finally {
      // mapAsync resolved (or failed) after the copy, so nothing still uses the staging buffer.
      staging.destroy();
    }
    return out;
  }

  /** Waits for the queue, then releases every buffer. */
  async destroy(): Promise<void> {
    await this.device.queue.onSubmittedWorkDone();
    for (const b of this.buffers.values()) b.destroy();
    this.buffers.clear();
    this.current = 0;
  }

  private allocate(t: Tensor, batch: number): GPUBuffer {
    const bytes = tensorElements(t, batch) * 4;
    const limits = this.device.limits;
    const limit = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
    if (bytes > limit) throw new BufferTooLargeError(t, bytes, limit, batch);
    const size = Math.max(16, Math.ceil(bytes / 16) * 16);
    return this.device.createBuffer({
      size,
      usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
      label: t.name,
    });
  }
}
