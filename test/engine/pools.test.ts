import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TARGETS } from '../../src/codegen/targets.js';
import { compileFrontEnd } from '../../src/compiler.js';
import { DEFAULT_OPTIMIZER, planDevice, type DevicePlan } from '../../src/engine/plan.js';
import { planPools } from '../../src/engine/pools.js';
import { nodeHost } from '../../src/host.js';
import { differentiate } from '../../src/ir/autodiff.js';
import type { Tensor } from '../../src/ir/graph.js';
import { lowerModel } from '../../src/ir/lower.js';
import { batchedBytes, type Pool } from '../../src/runtime/buffers.js';

/**
 * Activation pools (engine/pools.ts): on random DAGs of kernels, no two tensors that are live at
 * the same time share a buffer, pinned and unbatched tensors never do, and every pool is large
 * enough for its members. Liveness here is recomputed the plain way, per kernel, not with the
 * planner's intervals.
 */

interface RandomPlan {
  readonly tensors: Tensor[];
  readonly kernels: number[][];
  readonly aliases: Map<number, number>;
  readonly pinned: number[];
}

/**
 * A random DAG as kernels in execution order: each kernel reads earlier tensors and writes new
 * ones (batched or not, random sizes); some outputs are views (aliases) of an input; the first
 * tensors are graph inputs and some late ones outputs, both pinned.
 */
const randomPlan = fc
  .record({
    inputs: fc.integer({ min: 1, max: 3 }),
    kernels: fc.array(
      fc.record({
        reads: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        writes: fc.array(fc.record({ size: fc.integer({ min: 1, max: 50 }), batched: fc.boolean() }), { minLength: 1, maxLength: 2 }),
        view: fc.boolean(),
      }),
      { minLength: 1, maxLength: 30 },
    ),
    outputs: fc.array(fc.nat(), { maxLength: 3 }),
  })
  .map(({ inputs, kernels, outputs }): RandomPlan => {
    const tensors: Tensor[] = [];
    const tensor = (size: number, batched: boolean): number => {
      tensors.push({ id: tensors.length, name: `t${tensors.length}`, shape: [size], batched, role: 'activation' });
      return tensors.length - 1;
    };
    const pinned = Array.from({ length: inputs }, () => tensor(3, true));
    const aliases = new Map<number, number>();
    const bound: number[][] = [];
    for (const k of kernels) {
      const reads = [...new Set(k.reads.map((r) => r % tensors.length))];
      // A view of the first input, then read by this kernel: a reshape the fusion plan aliased.
      const ins = k.view && tensors[reads[0]].batched ? [aliasOf(reads[0])] : reads;
      bound.push([...ins, ...k.writes.map((w) => tensor(w.size, w.batched))]);
    }
    function aliasOf(id: number): number {
      const v = tensor(tensors[id].shape[0], true);
      aliases.set(v, id);
      return v;
    }
    pinned.push(...outputs.map((o) => o % tensors.length));
    return { tensors, kernels: bound, aliases, pinned };
  });

const root = (id: number, aliases: ReadonlyMap<number, number>): number => (aliases.has(id) ? root(aliases.get(id)!, aliases) : id);

/** Checks a pooling against the plan: nothing shared while live, nothing pinned, sizes enough. */
function checkPools(p: RandomPlan, pools: readonly Pool[]): void {
  const poolOf = new Map<number, number>();
  pools.forEach((pool, i) =>
    pool.members.forEach((m) => {
      expect(poolOf.has(m), `tensor ${m} in two pools`).toBe(false);
      poolOf.set(m, i);
      expect(p.tensors[m].batched, `unbatched tensor ${m} pooled`).toBe(true);
      expect(p.aliases.has(m), `alias ${m} pooled apart from its root`).toBe(false);
      expect(pool.elements).toBeGreaterThanOrEqual(p.tensors[m].shape[0]);
    }),
  );
  for (const id of p.pinned) expect(poolOf.has(root(id, p.aliases)), `pinned tensor ${id} pooled`).toBe(false);
  // Live at kernel k: bound at some kernel ≤ k and at some kernel ≥ k (its root's class).
  const kernelsOf = new Map<number, number[]>();
  p.kernels.forEach((ids, k) => ids.forEach((id) => kernelsOf.set(root(id, p.aliases), [...(kernelsOf.get(root(id, p.aliases)) ?? []), k])));
  for (let k = 0; k < p.kernels.length; k++) {
    const live = [...kernelsOf].filter(([, ks]) => Math.min(...ks) <= k && Math.max(...ks) >= k).map(([id]) => id);
    const occupied = live.filter((id) => poolOf.has(id)).map((id) => poolOf.get(id)!);
    expect(new Set(occupied).size, `kernel ${k}: two live tensors share a pool`).toBe(occupied.length);
  }
}

describe('activation pools', () => {
  it('on random DAGs, never share a buffer between tensors live at the same time', () => {
    fc.assert(
      fc.property(randomPlan, (p) => {
        const pools = planPools({ tensors: p.tensors, kernels: p.kernels, aliases: p.aliases, pinned: p.pinned });
        checkPools(p, pools);
        const ids = p.kernels.flat();
        const layout = { aliases: p.aliases };
        expect(batchedBytes(p.tensors, ids, { ...layout, pools }, 5)).toBeLessThanOrEqual(batchedBytes(p.tensors, ids, layout, 5));
      }),
      { numRuns: 500 },
    );
  });

  it('a chain reuses two buffers, whatever its length', () => {
    const tensors: Tensor[] = Array.from({ length: 8 }, (_, id) => ({ id, name: `t${id}`, shape: [10 + id], batched: true, role: 'activation' }));
    const kernels = Array.from({ length: 7 }, (_, k) => [k, k + 1]);
    const pools = planPools({ tensors, kernels, pinned: [0, 7] });
    expect(pools.map((p) => p.members)).toEqual([[1, 3, 5], [2, 4, 6]]);
    expect(pools.map((p) => p.elements)).toEqual([15, 16]);
  });
});

function plans(file: string): { infer: DevicePlan; train: DevicePlan; pooledOff: DevicePlan[] } {
  const m = compileFrontEnd(file, readFileSync(file, 'utf8'), nodeHost).models[0];
  const gi = lowerModel(m, { mode: 'infer' });
  const gt = differentiate(lowerModel(m, { mode: 'train' }));
  const opts = { fusion: true, align: 256 };
  return {
    infer: planDevice(gi, TARGETS.software, opts),
    train: planDevice(gt, TARGETS.software, { ...opts, optimizer: DEFAULT_OPTIMIZER }),
    pooledOff: [planDevice(gi, TARGETS.software, { ...opts, pool: false }), planDevice(gt, TARGETS.software, { ...opts, optimizer: DEFAULT_OPTIMIZER, pool: false })],
  };
}

/** What an executor allocates for a plan: bound tensors, graph inputs and outputs. */
function allocated(plan: DevicePlan): number[] {
  return [...plan.kernels.flatMap((k) => k.bindings.map((b) => b.tensor)), ...plan.graph.inputs, ...plan.graph.outputs];
}

describe('plans with pools', () => {
  it('LeNet-5 and the residual fixture need less activation memory, inputs and outputs stay their own', () => {
    for (const file of ['examples/lenet5.cnn', 'test/fixtures/residual.cnn']) {
      const { infer, train, pooledOff } = plans(file);
      [infer, train].forEach((plan, i) => {
        const members = new Set(plan.layout.pools!.flatMap((p) => p.members));
        expect(members.size, file).toBeGreaterThan(0);
        for (const id of [...plan.graph.inputs, ...plan.graph.outputs]) expect(members.has(id)).toBe(false);
        const bytes = (p: DevicePlan) => batchedBytes(p.tensors, allocated(p), p.layout, 32);
        expect(bytes(plan), file).toBeLessThan(bytes(pooledOff[i]));
        expect(pooledOff[i].layout.pools).toEqual([]);
      });
    }
  });
});
