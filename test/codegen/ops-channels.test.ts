import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitConcat, emitReshape, emitSliceChannels } from '../../src/codegen/channels.js';
import { emitDropout, emitDropoutGrad, keepThreshold } from '../../src/codegen/dropout.js';
import { emitSoftmax, emitSoftmaxGrad } from '../../src/codegen/softmax.js';
import type { OpKind } from '../../src/ir/graph.js';
import { dropoutUniform } from '../../src/ir/random.js';
import { relError } from '../../src/ir/reference/testing.js';
import { checkOp, elements, freshSeed, openGpu, randomF32, seededRandom, singleOpGraph, targetWith, type TensorSpec, type TestGpu } from './harness.js';
import { batched, refForward, runOnce } from './ops-helpers.js';

let gpu: TestGpu;
beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(async () => {
  await gpu?.ctx.destroy();
});

const BATCH = 3;
const soft = () => targetWith(gpu, true);

describe('softmax over channels', { timeout: 30_000 }, () => {
  const cases: readonly [string, TensorSpec][] = [
    ['7×3×5', batched(7, 3, 5)],
    ['flat 11', batched(11)],
  ];
  it.each(cases)('%s', async (_name, x) => {
    await checkOp(gpu, { kind: { kind: 'softmax' }, inputs: [x], outputs: [x], batch: BATCH, emit: (op, g) => emitSoftmax(op, g, soft()), values: (rand) => [randomF32(rand, elements(x, BATCH), -30, 30)] });
  });
  it.each(cases)('%s grad', async (_name, x) => {
    await checkOp(gpu, {
      kind: { kind: 'softmax_grad' }, inputs: [x, x], outputs: [x], batch: BATCH, emit: (op, g) => emitSoftmaxGrad(op, g, soft()),
      values: (rand) => {
        const [y] = refForward({ kind: 'softmax' }, [x], [x], [randomF32(rand, elements(x, BATCH), -3, 3)], BATCH);
        return [randomF32(rand, elements(x, BATCH)), y];
      },
    });
  });
});

describe('concat, slice_channels, reshape', { timeout: 30_000 }, () => {
  it.each([
    ['vec4 (every run a multiple of 4)', [batched(2, 2, 3), batched(4, 2, 3), batched(1, 2, 2 * 3)]],
    ['scalar, 3 channels of 5×3 and 1 of 5×3', [batched(3, 5, 3), batched(1, 5, 3)]],
    ['flat, 7 inputs', [batched(3), batched(5), batched(1), batched(2), batched(4), batched(6), batched(7)]],
  ] as const)('concat: %s', async (_name, ins) => {
    const total = ins.reduce((s, t) => s + elements(t, 1), 0);
    const p = elements(ins[0], 1) / ins[0].shape[0];
    const out = ins[0].shape.length === 1 ? batched(total) : batched(total / p, ...ins[0].shape.slice(1));
    await checkOp(gpu, { kind: { kind: 'concat' }, inputs: ins, outputs: [out], batch: BATCH, emit: (op, g) => emitConcat(op, g, soft()) });
  });
  it('concat refuses more inputs than a kernel can bind', () => {
    const { graph, op } = singleOpGraph({ kind: 'concat' }, Array(8).fill(batched(1)), [batched(8)]);
    expect(() => emitConcat(op, graph, soft())).toThrow(/at most 7/);
  });
  it.each([
    ['vec4', batched(6, 2, 2), 2, 3],
    ['scalar (odd offset)', batched(7, 3, 3), 3, 3],
    ['flat', batched(9), 4, 5],
  ] as const)('slice_channels: %s', async (_name, x, start, count) => {
    const y = batched(count, ...x.shape.slice(1));
    await checkOp(gpu, { kind: { kind: 'slice_channels', start, count }, inputs: [x], outputs: [y], batch: BATCH, emit: (op, g) => emitSliceChannels(op, g, soft()) });
  });
  it.each([
    ['vec4', batched(4, 3, 3), batched(36)],
    ['scalar', batched(5, 3, 3), batched(45)],
  ] as const)('reshape (copy): %s', async (_name, x, y) => {
    await checkOp(gpu, { kind: { kind: 'reshape' }, inputs: [x], outputs: [y], batch: BATCH, emit: (op, g) => emitReshape(op, g, soft()) });
  });
});

describe('dropout: the mask is bit-exact with ir/random.ts', { timeout: 30_000 }, () => {
  it('keepThreshold matches uniform ≥ p at the boundary', () => {
    for (const p of [0.1, 0.5, 0.3, 1 / 3, 0.999]) {
      const k = keepThreshold(p);
      expect(k / 16777216 >= p).toBe(true);
      expect((k - 1) / 16777216 >= p).toBe(false);
    }
  });
  const X = batched(5, 7, 9);
  it.each([
    [0.5, 12345, 0],
    [0.1, 7919 * 3 + 4, 17],
    [0.3, 0x7fffffff, 4_000_000_000],
  ])('p = %s, seed %s, step %s: forward and backward', async (p, seed, step) => {
    for (const kind of [{ kind: 'dropout', p, seed }, { kind: 'dropout_grad', p, seed }] as const) {
      const rand = seededRandom(freshSeed());
      const { graph, op } = singleOpGraph(kind as OpKind, [X], [X]);
      const emit = kind.kind === 'dropout' ? emitDropout : emitDropoutGrad;
      // inputs away from 0, so a zero in the output is a dropped element and nothing else
      const xv = randomF32(rand, elements(X, BATCH), 0.5, 2).map((v, i) => (i % 2 ? v : -v));
      const [got] = await runOnce(gpu, graph.tensors, emit(op, graph, soft()), BATCH, new Map([[0, xv]]), op.outputs, op.outputs, step);
      const [want] = refForward(kind as OpKind, [X], [X], [xv], BATCH, step);
      let dropped = 0;
      for (let i = 0; i < got.length; i++) {
        const keep = dropoutUniform(seed, step, i) >= p;
        expect(got[i] === 0, `element ${i}`).toBe(!keep);
        if (!keep) dropped++;
      }
      expect(relError(got, want)).toBeLessThan(1e-6);
      expect(Math.abs(dropped / got.length - p)).toBeLessThan(0.08);
    }
  });
  it('p = 1 drops everything', async () => {
    await checkOp(gpu, { kind: { kind: 'dropout', p: 1, seed: 3 }, inputs: [X], outputs: [X], batch: BATCH, emit: (op, g) => emitDropout(op, g, soft()) });
  });
});
