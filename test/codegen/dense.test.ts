import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitDense } from '../../src/codegen/dense.js';
import { denseVariant, type DenseVariant } from '../../src/codegen/variants.js';
import type { OpKind } from '../../src/ir/graph.js';
import { checkOp, hasSubgroups, openGpu, targetWith, type TensorSpec, type TestGpu } from './harness.js';

let gpu: TestGpu;
beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(async () => {
  await gpu?.ctx.destroy();
});

interface DenseCase {
  readonly name: string;
  readonly batch: number;
  /** Per-sample input shape (flattened by the op). */
  readonly x: readonly number[];
  readonly out: number;
}

const CASES: readonly DenseCase[] = [
  { name: 'batch 3, 7 → 5', batch: 3, x: [7], out: 5 },
  { name: 'batch 1, 13 → 70', batch: 1, x: [13], out: 70 },
  { name: 'batch 67, C×H×W 3×2×5 → 10', batch: 67, x: [3, 2, 5], out: 10 },
  // With subgroups: 8 rows per lane, several row and column tiles, ragged at both ends.
  { name: 'batch 21, 150 → 131', batch: 21, x: [150], out: 131 },
];

type DenseKind = 'dense' | 'dense_grad_input' | 'dense_grad_weight';

async function check(kind: DenseKind, c: DenseCase, software: boolean, bias: boolean, variant?: DenseVariant, subgroups = true) {
  const inF = c.x.reduce((a, b) => a * b, 1);
  const X: TensorSpec = { shape: c.x, batched: true };
  const W: TensorSpec = { shape: [c.out, inF], batched: false, role: 'param' };
  const B: TensorSpec = { shape: [c.out], batched: false, role: 'param' };
  const Y: TensorSpec = { shape: [c.out], batched: true };
  const target = targetWith(gpu, software, subgroups);
  const emit = (op: Parameters<typeof emitDense>[0], g: Parameters<typeof emitDense>[1]) => emitDense(op, g, target, variant);
  const specs: Record<DenseKind, { kind: OpKind; inputs: TensorSpec[]; outputs: TensorSpec[] }> = {
    dense: { kind: { kind: 'dense', bias }, inputs: bias ? [X, W, B] : [X, W], outputs: [Y] },
    dense_grad_input: { kind: { kind: 'dense_grad_input' }, inputs: [Y, W], outputs: [X] },
    dense_grad_weight: { kind: { kind: 'dense_grad_weight' }, inputs: [Y, X], outputs: [W] },
  };
  await checkOp(gpu, { ...specs[kind], batch: c.batch, emit });
}

const SMALL_SHARED: DenseVariant = { kind: 'shared', bm: 16, bn: 16, bk: 8, tm: 2, tn: 2 };

describe.each(['dense', 'dense_grad_input', 'dense_grad_weight'] as const)('%s', { timeout: 30_000 }, (kind) => {
  it.each(CASES)('software with subgroups (the default there: lanes share B by subgroupBroadcast): $name', async (c) => {
    // lavapipe has subgroups; the check is that the default really is the broadcast kernel.
    expect(denseVariant(targetWith(gpu, true), c.out).kind).toBe(hasSubgroups(gpu) ? 'broadcast' : 'register');
    await check(kind, c, true, true);
  });
  it.each(CASES)('software without subgroups (register tiles): $name', async (c) => {
    expect(denseVariant(targetWith(gpu, true, false), c.out).kind).toBe('register');
    await check(kind, c, true, true, undefined, false);
  });
  it.each(CASES)('workgroup memory (16×16 tiles): $name', async (c) => {
    await check(kind, c, false, true, SMALL_SHARED);
  });
});

// The default 64×64 GPU tile is checked in the conv tests; lavapipe takes ~5 s to compile each.
describe('dense without bias', { timeout: 30_000 }, () => {
  it('software', async () => {
    await check('dense', CASES[0], true, false);
  });
  it('workgroup memory', async () => {
    await check('dense', CASES[2], false, false, SMALL_SHARED);
  });
});
