/// <reference types="@webgpu/types" />
import type { Tensor } from '../ir/graph.js';
import { numel } from '../ir/graph.js';
import { Readback } from './readback.js';
import { BufferUsage } from './usage.js';
import { CnncError } from '../diagnostics/run-error.js';
import { quietly } from './wait.js';
import { createTensorTexture } from './textures.js';

/** Elements of a tensor for a batch of `batch` (batched tensors hold batch × numel). */
export function tensorElements(t: Tensor, batch: number): number {
  return numel(t.shape) * (t.batched ? batch : 1);
}

/** A tensor does not fit the device's storage binding limit. */
export class BufferTooLargeError extends CnncError {
  constructor(tensor: Tensor, bytes: number, limit: number, batch: number) {
    super(
      'E_BUFFER_TOO_LARGE',
      `tensor ${tensor.name} (${tensor.shape.join('×')}${tensor.batched ? ` × batch ${batch}` : ''}) needs ${bytes} bytes, ` +
        `over the device's storage binding limit of ${limit} bytes`,
      { help: tensor.batched ? 'use a smaller batch' : 'the model is too large for this device' },
    );
    this.name = 'BufferTooLargeError';
  }
}

/** Where a tensor lives: a whole buffer, or a slice of an arena buffer. */
export interface Slot {
  readonly buffer: GPUBuffer;
  readonly offset: number;
  readonly size: number;
}

/** Unbatched tensors packed into one buffer at offsets aligned for binding. */
export interface Arena {
  readonly members: readonly { readonly id: number; readonly offset: number; readonly bytes: number }[];
  readonly bytes: number;
}

/** Packs tensors one after another, each at a multiple of `align` bytes. */
export function packArena(tensors: readonly Tensor[], ids: readonly number[], align: number): Arena {
  let offset = 0;
  const members = ids.map((id) => {
    const t = tensors[id];
    if (t.batched) throw new Error(`internal: batched tensor ${t.name} cannot live in an arena`);
    const bytes = Math.max(16, Math.ceil((numel(t.shape) * 4) / 16) * 16);
    const m = { id, offset, bytes };
    offset += Math.ceil(bytes / align) * align;
    return m;
  });
  return { members, bytes: Math.max(16, offset) };
}

/**
 * Batched tensors that are never live at the same time, sharing one buffer (engine/pools.ts). Each
 * member is bound at offset 0 with its own size; the buffer holds `elements` floats per sample.
 */
export interface Pool {
  readonly members: readonly number[];
  /** Floats per sample: the largest member's. */
  readonly elements: number;
}

export interface BufferLayout {
  /** Tensors that share another tensor's storage (a reshape's output → its input). */
  readonly aliases?: ReadonlyMap<number, number>;
  /**
   * Tensors packed into one buffer each: all parameters in one arena and all their gradients in
   * another let one optimizer kernel update every parameter in one dispatch.
   */
  readonly arenas?: readonly Arena[];
  /** Tensors that stand for a whole arena (tensor → arena index), e.g. the optimizer's view. */
  readonly views?: ReadonlyMap<number, number>;
  /** Batched tensors sharing buffers because their lifetimes do not overlap. */
  readonly pools?: readonly Pool[];
}

/**
 * Bytes of the batched buffers a layout allocates for tensors `ids` at `batch`: each pool once,
 * every other batched tensor (not an alias) on its own. What the activations of a run occupy.
 */
export function batchedBytes(tensors: readonly Tensor[], ids: Iterable<number>, layout: BufferLayout, batch: number): number {
  const aliases = layout.aliases ?? new Map<number, number>();
  const pooled = new Map<number, number>();
  (layout.pools ?? []).forEach((p, i) => p.members.forEach((m) => pooled.set(m, i)));
  const pools = new Set<number>();
  let bytes = 0;
  for (const id of new Set(ids)) {
    const t = tensors[id];
    if (!t?.batched || aliases.has(id)) continue;
    const pool = pooled.get(id);
    if (pool === undefined) bytes += roundBytes(tensorElements(t, batch) * 4);
    else pools.add(pool);
  }
  for (const p of pools) bytes += roundBytes((layout.pools ?? [])[p].elements * batch * 4);
  return bytes;
}

/** A buffer's size for `bytes` of data: a multiple of 16, never zero. */
function roundBytes(bytes: number): number {
  return Math.max(16, Math.ceil(bytes / 16) * 16);
}

/**
 * Storage owned by another TensorBuffers on the same device that this one binds instead of
 * allocating (and never destroys): an inference program reading the parameters and running
 * statistics the training program updates, so both see one set of weights.
 */
export interface Borrowed {
  /** Arena index → the lender's buffer for an arena of the same layout. */
  readonly arenas?: ReadonlyMap<number, GPUBuffer>;
  /** Unbatched tensors → where the lender keeps them. */
  readonly tensors?: ReadonlyMap<number, Slot>;
}

/**
 * One storage buffer per tensor, except aliases (sharing their root's storage) and arena members
 * (slices of one buffer). Sizes are rounded up to 16 bytes (never zero); kernels still bound every
 * access by the tensor's own size. Batched tensors are reallocated when the batch changes, after
 * the queue has finished with the old ones.
 */
export class TensorBuffers {
  private readonly buffers = new Map<number, GPUBuffer>();
  private readonly slots = new Map<number, Slot>();
  /** Tensors kept as storage textures (Tensor.texture: a plan's texture conv operands). */
  private readonly textures = new Map<number, GPUTexture>();
  private readonly arenaBuffers: GPUBuffer[] = [];
  private readonly arenaOf = new Map<number, number>();
  private readonly poolOf = new Map<number, number>();
  private readonly poolBuffers: GPUBuffer[] = [];
  private readonly aliases: ReadonlyMap<number, number>;
  private current = 0;

  private readonly readback: Readback;

  constructor(
    private readonly device: GPUDevice,
    private readonly tensors: readonly Tensor[],
    private readonly ids: readonly number[],
    private readonly layout: BufferLayout = {},
    private readonly borrowed: Borrowed = {},
  ) {
    this.aliases = layout.aliases ?? new Map();
    this.readback = new Readback(device);
    (layout.arenas ?? []).forEach((arena, a) => arena.members.forEach((m) => this.arenaOf.set(m.id, a)));
    for (const [id, a] of layout.views ?? []) this.arenaOf.set(id, a);
    (layout.pools ?? []).forEach((pool, p) => pool.members.forEach((m) => this.poolOf.set(m, p)));
  }

  get batch(): number {
    return this.current;
  }

  /** Allocates for `batch`; returns whether any buffer changed (bind groups must be rebuilt). */
  async setBatch(batch: number): Promise<boolean> {
    if (!Number.isInteger(batch) || batch < 1) throw new CnncError('E_ARGUMENT', `batch must be a positive integer, got ${batch}`);
    if (batch === this.current && this.current > 0) return false;
    if (this.current === 0) this.allocateArenas();
    const stale: (GPUBuffer | GPUTexture)[] = [];
    stale.push(...this.allocatePools(batch));
    for (const id of this.ids) {
      if (this.aliases.has(id) || this.arenaOf.has(id) || this.poolOf.has(id)) continue;
      const t = this.tensor(id);
      if (t.texture) {
        const old = this.textures.get(id);
        if (old && !t.batched) continue;
        if (old) stale.push(old);
        this.textures.set(id, createTensorTexture(this.device, t.name, tensorElements(t, batch) / 4, t.batched ? batch : undefined));
        continue;
      }
      const lent = this.borrowed.tensors?.get(id);
      if (lent) {
        if (t.batched || lent.size < numel(t.shape) * 4) throw new Error(`internal: borrowed storage for ${t.name} does not fit it`);
        this.slots.set(id, lent);
        continue;
      }
      const old = this.buffers.get(id);
      if (old && !t.batched) continue;
      if (old) stale.push(old);
      const b = this.allocate(t, batch);
      this.buffers.set(id, b);
      this.slots.set(id, { buffer: b, offset: 0, size: b.size });
    }
    this.current = batch;
    if (stale.length) {
      await quietly(this.device.queue.onSubmittedWorkDone());
      for (const b of stale) b.destroy();
    }
    return true;
  }

  /** What a kernel binds for a tensor: its storage texture's view, or its buffer slot. */
  binding(id: number): Slot | { readonly view: GPUTextureView } {
    const texture = this.textures.get(this.root(id));
    return texture ? { view: texture.createView() } : this.slot(id);
  }

  /** The storage texture of a tensor kept as one. */
  texture(id: number): GPUTexture {
    const texture = this.textures.get(this.root(id));
    if (!texture) throw new Error(`internal: tensor ${id} has no texture`);
    return texture;
  }

  /** The binding of a tensor: its buffer, or its alias root's, or its arena slice. */
  slot(id: number): Slot {
    const s = this.slots.get(this.root(id));
    if (!s) throw new Error(`internal: no buffer for tensor ${id} (call setBatch first)`);
    return s;
  }

  buffer(id: number): GPUBuffer {
    return this.slot(id).buffer;
  }

  /** The whole buffer of arena `a`, and its length in floats (gaps between members read as 0). */
  arena(a: number): { buffer: GPUBuffer; length: number } {
    const b = this.arenaBuffers[a];
    if (!b) throw new Error(`internal: no arena ${a}`);
    return { buffer: b, length: b.size / 4 };
  }

  tensor(id: number): Tensor {
    const t = this.tensors[id];
    if (!t || t.id !== id) throw new Error(`internal: tensor ${id} is not in the graph`);
    return t;
  }

  has(id: number): boolean {
    return this.slots.has(this.root(id)) || this.textures.has(this.root(id));
  }

  /** Uploads a whole tensor (queued before any later submit). */
  write(id: number, data: Float32Array): void {
    const t = this.tensor(id);
    const n = tensorElements(t, this.current);
    if (data.length !== n) throw new CnncError('E_ARGUMENT', `tensor ${t.name}: expected ${n} values for batch ${this.current}, got ${data.length}`);
    const s = this.slot(id);
    this.device.queue.writeBuffer(s.buffer, s.offset, data.buffer, data.byteOffset, data.byteLength);
  }

  /** Downloads a whole tensor after all submitted work. */
  async read(id: number): Promise<Float32Array> {
    return (await this.readMany([id]))[0];
  }

  /** Several tensors in one copy submission and one map (see Readback). */
  readMany(ids: readonly number[]): Promise<Float32Array[]> {
    return this.readback.read(ids.map((id) => ({ ...this.slot(id), bytes: tensorElements(this.tensor(id), this.current) * 4 })));
  }

  /** Waits for the queue, then releases every buffer. */
  async destroy(): Promise<void> {
    await quietly(this.device.queue.onSubmittedWorkDone());
    for (const b of this.buffers.values()) b.destroy();
    for (const t of this.textures.values()) t.destroy();
    this.textures.clear();
    for (const [a, b] of this.arenaBuffers.entries()) if (!this.borrowed.arenas?.has(a)) b.destroy();
    this.readback.destroy();
    for (const b of this.poolBuffers) b?.destroy();
    this.poolBuffers.length = 0;
    this.buffers.clear();
    this.slots.clear();
    this.arenaBuffers.length = 0;
    this.current = 0;
  }

  private root(id: number): number {
    let r = id;
    for (let hops = 0; this.aliases.has(r) && hops < 64; hops++) r = this.aliases.get(r)!;
    return r;
  }

  private allocateArenas(): void {
    const limit = Math.min(this.device.limits.maxStorageBufferBindingSize, this.device.limits.maxBufferSize);
    (this.layout.arenas ?? []).forEach((arena, a) => {
      if (arena.bytes > limit && arena.members.length) throw new BufferTooLargeError(this.tensor(arena.members[0].id), arena.bytes, limit, 1);
      const lent = this.borrowed.arenas?.get(a);
      if (lent && lent.size < arena.bytes) throw new Error(`internal: borrowed arena ${a} holds ${lent.size} bytes, the layout needs ${arena.bytes}`);
      const buffer = lent ?? this.device.createBuffer({ size: arena.bytes, usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST, label: `arena${a}` });
      this.arenaBuffers[a] = buffer;
      for (const m of arena.members) this.slots.set(m.id, { buffer, offset: m.offset, size: m.bytes });
    });
    for (const [id, a] of this.layout.views ?? []) {
      const buffer = this.arenaBuffers[a];
      this.slots.set(id, { buffer, offset: 0, size: buffer.size });
    }
  }

  /**
   * One buffer per pool with a member among this executor's tensors, sized for its largest member;
   * every member is bound at offset 0 with its own size. Returns the buffers it replaces.
   */
  private allocatePools(batch: number): GPUBuffer[] {
    const stale: GPUBuffer[] = [];
    const wanted = new Set(this.ids.filter((id) => this.poolOf.has(id)).map((id) => this.poolOf.get(id)!));
    (this.layout.pools ?? []).forEach((pool, p) => {
      if (!wanted.has(p)) return;
      const largest = pool.members.map((m) => this.tensor(m)).reduce((a, b) => (numel(b.shape) > numel(a.shape) ? b : a));
      const buffer = this.allocate(largest, batch, Math.max(pool.elements, numel(largest.shape)) * batch * 4, `pool${p}`);
      if (this.poolBuffers[p]) stale.push(this.poolBuffers[p]);
      this.poolBuffers[p] = buffer;
      for (const m of pool.members) this.slots.set(m, { buffer, offset: 0, size: roundBytes(tensorElements(this.tensor(m), batch) * 4) });
    });
    return stale;
  }

  private allocate(t: Tensor, batch: number, bytes = tensorElements(t, batch) * 4, label = t.name): GPUBuffer {
    const limits = this.device.limits;
    const limit = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
    if (bytes > limit) throw new BufferTooLargeError(t, bytes, limit, batch);
    return this.device.createBuffer({
      size: roundBytes(bytes),
      usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
      label,
    });
  }
}
