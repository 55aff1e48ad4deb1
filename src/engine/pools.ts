import type { Tensor } from '../ir/graph.js';
import { numel } from '../ir/graph.js';
import type { Pool } from '../runtime/buffers.js';

/**
 * Activation buffers shared by tensors that are never live at the same time. A batched tensor is
 * live from the first kernel that binds it to the last one (in the plan's order, which is the
 * order of the one compute pass); two tensors may share a buffer only when one's last kernel comes
 * before the other's first. So no kernel ever binds two tensors of one pool (WebGPU forbids a
 * writable binding that overlaps another in the same dispatch), and every value a kernel reads was
 * written after the buffer's previous tenant was last read.
 *
 * Greedy interval colouring: tensors in order of their first kernel (larger first on ties) go to
 * the free pool that fits them most tightly, else to the largest free pool (which grows), else to
 * a new pool. A pool's size is per sample (every member is batched), so it holds for any batch.
 */
export interface PoolRequest {
  readonly tensors: readonly Tensor[];
  /** The tensors each kernel binds, kernels in execution order. */
  readonly kernels: readonly (readonly number[])[];
  /** Tensors that share another's storage (reshape views): a class is live while any member is. */
  readonly aliases?: ReadonlyMap<number, number>;
  /**
   * Tensors that keep a buffer of their own: what the host writes before a run (inputs, targets)
   * or reads after it (logits, a probe), and everything not batched (arenas, state, the loss); textures are never pooled.
   */
  readonly pinned: Iterable<number>;
}

/** The first and last kernel binding each alias root (a member's binding counts for its root). */
export function liveIntervals(kernels: readonly (readonly number[])[], aliases: ReadonlyMap<number, number> = new Map()): Map<number, [number, number]> {
  const live = new Map<number, [number, number]>();
  kernels.forEach((bound, k) => {
    for (const id of bound) {
      const r = rootOf(id, aliases);
      const span = live.get(r);
      if (span) span[1] = k;
      else live.set(r, [k, k]);
    }
  });
  return live;
}

export function planPools(req: PoolRequest): Pool[] {
  const aliases = req.aliases ?? new Map<number, number>();
  const pinned = new Set([...req.pinned].map((id) => rootOf(id, aliases)));
  const live = liveIntervals(req.kernels, aliases);
  const candidates = [...live]
    .filter(([id]) => req.tensors[id]?.batched && !req.tensors[id].texture && !pinned.has(id))
    .map(([id, [first, last]]) => ({ id, first, last, elements: numel(req.tensors[id].shape) }))
    .sort((a, b) => a.first - b.first || b.elements - a.elements || a.id - b.id);

  const pools: { members: number[]; elements: number; last: number }[] = [];
  for (const c of candidates) {
    const free = pools.filter((p) => p.last < c.first);
    const fits = free.filter((p) => p.elements >= c.elements);
    const pool = fits.length
      ? fits.reduce((a, b) => (b.elements < a.elements ? b : a))
      : free.reduce<(typeof pools)[number] | undefined>((a, b) => (!a || b.elements > a.elements ? b : a), undefined);
    if (pool) {
      pool.members.push(c.id);
      pool.elements = Math.max(pool.elements, c.elements);
      pool.last = c.last;
    } else pools.push({ members: [c.id], elements: c.elements, last: c.last });
  }
  // A pool of one saves nothing; its tensor keeps a buffer of its own.
  return pools.filter((p) => p.members.length > 1).map((p) => ({ members: p.members, elements: p.elements }));
}

function rootOf(id: number, aliases: ReadonlyMap<number, number>): number {
  let r = id;
  for (let hops = 0; aliases.has(r) && hops < 64; hops++) r = aliases.get(r)!;
  return r;
}
