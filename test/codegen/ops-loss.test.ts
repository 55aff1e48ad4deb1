import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitMse, emitMseGrad, emitSoftmaxCrossEntropy, emitSoftmaxCrossEntropyGrad } from '../../src/codegen/loss.js';
import { checkOp, elements, openGpu, randomF32, runKernel, singleOpGraph, targetWith, type TensorSpec, type TestGpu } from './harness.js';
import { batched } from './ops-helpers.js';

let gpu: TestGpu;
beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(async () => {
  await gpu?.ctx.destroy();
});

const LOSS: TensorSpec = { shape: [1], batched: false, role: 'loss' };
const target = (p: number): TensorSpec => ({ shape: p === 1 ? [1] : [p], batched: true, role: 'target' });

/** Class indices as floats, one per (sample, position). */
const classes = (rand: () => number, n: number, c: number) => Float32Array.from({ length: n }, () => Math.floor(rand() * c));

/** [logits, positions, batch]: flat logits (the usual classifier), spatial ones, a batch above one workgroup. */
const CE: readonly [string, TensorSpec, number, number][] = [
  ['flat 10 classes, batch 3', batched(10), 1, 3],
  ['7 classes × 3×5 positions, batch 3', batched(7, 3, 5), 15, 3],
  ['13 classes, batch 300 (rows > workgroup)', batched(13), 1, 300],
];

describe('softmax_cross_entropy', { timeout: 30_000 }, () => {
  for (const software of [true, false]) {
    it.each(CE)(`%s (${software ? 'software' : 'gpu'} workgroup)`, async (_name, logits, p, batch) => {
      await checkOp(gpu, {
        kind: { kind: 'softmax_cross_entropy' }, inputs: [logits, target(p)], outputs: [LOSS], batch,
        emit: (op, g) => emitSoftmaxCrossEntropy(op, g, targetWith(gpu, software)),
        values: (rand) => [randomF32(rand, elements(logits, batch), -8, 8), classes(rand, batch * p, logits.shape[0])],
      });
    });
  }
  it.each(CE)('%s grad', async (_name, logits, p, batch) => {
    await checkOp(gpu, {
      kind: { kind: 'softmax_cross_entropy_grad' }, inputs: [logits, target(p)], outputs: [logits], batch,
      emit: (op, g) => emitSoftmaxCrossEntropyGrad(op, g, targetWith(gpu, true)),
      values: (rand) => [randomF32(rand, elements(logits, batch), -8, 8), classes(rand, batch * p, logits.shape[0])],
    });
  });
  it('a target that is not a class index makes the loss and its row of the gradient NaN', async () => {
    const logits = batched(4);
    const values = new Map([[0, randomF32(Math.random, 12)], [1, Float32Array.of(1, 2.5, 3)]]);
    const ce = singleOpGraph({ kind: 'softmax_cross_entropy' }, [logits, target(1)], [LOSS]);
    const [loss] = await runKernel(gpu, ce.graph, emitSoftmaxCrossEntropy(ce.op, ce.graph, targetWith(gpu, true)), 3, values, ce.op.outputs);
    expect(loss[0]).toBeNaN();
    const grad = singleOpGraph({ kind: 'softmax_cross_entropy_grad' }, [logits, target(1)], [logits]);
    const [dx] = await runKernel(gpu, grad.graph, emitSoftmaxCrossEntropyGrad(grad.op, grad.graph, targetWith(gpu, true)), 3, values, grad.op.outputs);
    expect([...dx].map(Number.isNaN)).toEqual([false, false, false, false, true, true, true, true, false, false, false, false]);
  });
});

describe('mse', { timeout: 30_000 }, () => {
  const cases: readonly [string, TensorSpec, number][] = [
    ['flat 5, batch 3', batched(5), 3],
    ['3×4×4 (vec4-sized), batch 3', batched(3, 4, 4), 3],
    ['flat 7, batch 70 (elements > workgroup)', batched(7), 70],
  ];
  it.each(cases)('%s', async (_name, pred, batch) => {
    await checkOp(gpu, { kind: { kind: 'mse' }, inputs: [pred, pred], outputs: [LOSS], batch, emit: (op, g) => emitMse(op, g, targetWith(gpu, true)) });
  });
  it.each(cases)('%s grad', async (_name, pred, batch) => {
    await checkOp(gpu, { kind: { kind: 'mse_grad' }, inputs: [pred, pred], outputs: [pred], batch, emit: (op, g) => emitMseGrad(op, g, targetWith(gpu, true)) });
  });
});
