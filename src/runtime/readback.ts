/// <reference types="@webgpu/types" />
import { BufferUsage, MapMode } from './usage.js';
import { quietly } from './wait.js';

/** A range of a GPU buffer to read back. */
export interface ReadRange {
  readonly buffer: GPUBuffer;
  readonly offset: number;
  readonly bytes: number;
}

/**
 * Reads buffer ranges back to the host: several ranges in one copy submission and one map (each
 * mapAsync is a round trip to the device thread, which a training loop reading the loss and the
 * logits every step feels), through staging buffers kept for the next read instead of created
 * and destroyed per read. Sessions and compiled modules both read through this.
 */
export class Readback {
  private idle: GPUBuffer[] = [];

  constructor(private readonly device: GPUDevice) {}

  /** The ranges' contents as float32, after everything submitted so far. */
  async read(ranges: readonly ReadRange[]): Promise<Float32Array[]> {
    const offsets: number[] = [];
    let total = 0;
    for (const r of ranges) {
      offsets.push(total);
      total += Math.ceil(r.bytes / 8) * 8;
    }
    if (total === 0) return ranges.map(() => new Float32Array(0));
    const staging = this.take(total);
    let ok = false;
    try {
      const enc = this.device.createCommandEncoder({ label: 'read back' });
      ranges.forEach((r, i) => {
        if (r.bytes > 0) enc.copyBufferToBuffer(r.buffer, r.offset, staging, offsets[i], r.bytes);
      });
      this.device.queue.submit([enc.finish()]);
      await quietly(staging.mapAsync(MapMode.READ));
      const mapped = staging.getMappedRange();
      const out = ranges.map((r, i) => new Float32Array(mapped.slice(offsets[i], offsets[i] + r.bytes)));
      staging.unmap();
      ok = true;
      return out;
    } finally {
      // mapAsync resolved (or failed) after the copy, so nothing still uses the staging buffer:
      // keep it for the next read, or drop it after a failure.
      if (ok) this.idle.push(staging);
      else staging.destroy();
    }
  }

  destroy(): void {
    for (const b of this.idle) b.destroy();
    this.idle = [];
  }

  private take(bytes: number): GPUBuffer {
    const i = this.idle.findIndex((b) => b.size >= bytes && b.size <= 4 * bytes);
    if (i >= 0) return this.idle.splice(i, 1)[0];
    return this.device.createBuffer({ size: bytes, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST, label: 'read' });
  }
}
