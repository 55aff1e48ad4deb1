import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitLossWithGrad } from '../../src/codegen/loss.js';
import { TARGETS } from '../../src/codegen/targets.js';
import { compileFrontEnd } from '../../src/compiler.js';
import { DEFAULT_OPTIMIZER, planDevice } from '../../src/engine/plan.js';
import { nodeHost } from '../../src/host.js';
import { differentiate } from '../../src/ir/autodiff.js';
import { lowerModel } from '../../src/ir/lower.js';
import type { Graph, Op, Tensor } from '../../src/ir/graph.js';
import { numel } from '../../src/ir/graph.js';
import { evalOp } from '../../src/ir/reference/run.js';
import { relError } from '../../src/ir/reference/testing.js';
import { freshSeed, openGpu, randomF32, runKernel, seededRandom, targetWith, type TestGpu } from './harness.js';

/**
 * A loss and its gradient from one kernel (softmax + cross-entropy + dlogits; mse + dpred), against
 * the two reference ops. Outputs are poisoned with NaN before the run, so an unwritten element fails.
 */
let gpu: TestGpu;
beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(async () => {
  await gpu?.ctx.destroy();
});

/** [logits|pred (batched, per-sample shape), target, loss, grad] and the two ops. */
function lossGraph(kind: 'softmax_cross_entropy' | 'mse', shape: readonly number[]): { graph: Graph; loss: Op; grad: Op } {
  const positions = numel(shape.slice(1));
  const tensors: Tensor[] = [
    { id: 0, name: 'logits', shape, batched: true, role: 'activation' },
    { id: 1, name: 'target', shape: kind === 'mse' ? shape : [Math.max(1, positions)], batched: true, role: 'target' },
    { id: 2, name: 'loss', shape: [1], batched: false, role: 'loss' },
    { id: 3, name: 'dlogits', shape, batched: true, role: 'grad' },
  ];
  const loss: Op = { kind, id: 0, inputs: [0, 1], outputs: [2], layer: 'loss' };
  const grad: Op = { kind: `${kind}_grad`, id: 1, inputs: [0, 1], outputs: [3], layer: 'loss' };
  return { graph: { tensors, ops: [loss, grad], inputs: [0, 1], outputs: [0, 2], params: [] }, loss, grad };
}

async function check(kind: 'softmax_cross_entropy' | 'mse', shape: readonly number[], batch: number, software: boolean, range: number, labels?: Float32Array): Promise<Float32Array[]> {
  const seed = freshSeed();
  const rand = seededRandom(seed);
  const { graph, loss, grad } = lossGraph(kind, shape);
  const n = batch * numel(shape);
  const x = randomF32(rand, n, -range, range);
  const rows = batch * numel(graph.tensors[1].shape);
  const t = labels ?? (kind === 'mse' ? randomF32(rand, n) : Float32Array.from({ length: rows }, () => Math.floor(rand() * shape[0])));
  const kernel = emitLossWithGrad(loss, grad, graph, targetWith(gpu, software));
  expect(kernel.bindings.map((b) => b.tensor)).toEqual([0, 1, 2, 3]);
  const got = await runKernel(gpu, graph, kernel, batch, new Map([[0, x], [1, t]]), [2, 3]);
  const ins = [Float64Array.from(x), Float64Array.from(t)];
  const want = [...evalOp(loss, graph, ins, { batch, step: 0 }), ...evalOp(grad, graph, ins, { batch, step: 0 })];
  if (!labels) got.forEach((g, i) => expect(relError(g, want[i]), `${kernel.name} output ${i}, seed ${seed}`).toBeLessThan(1e-4));
  return got;
}

describe('softmax + cross-entropy + gradient in one kernel', { timeout: 60_000 }, () => {
  const cases: readonly [string, readonly number[], number, number][] = [
    ['flat 10 classes, batch 3', [10], 3, 8],
    ['7 classes × 3×5 positions, batch 5', [7, 3, 5], 5, 8],
    ['13 classes, batch 131 (rows > workgroup, not a multiple)', [13], 131, 8],
    ['1001 classes, batch 2', [1001], 2, 8],
    ['big logits ±1000 (exp overflows without the max)', [11], 9, 1000],
  ];
  for (const software of [true, false]) {
    it.each(cases)(`%s (${software ? 'software' : 'gpu'} workgroup)`, async (_name, shape, batch, range) => {
      await check('softmax_cross_entropy', shape, batch, software, range);
    });
  }

  it('a target that is not a class index makes the loss and its row of the gradient NaN', async () => {
    const [loss, dx] = await check('softmax_cross_entropy', [4], 3, true, 1, Float32Array.of(1, 2.5, 3));
    expect(loss[0]).toBeNaN();
    expect([...dx].map(Number.isNaN)).toEqual([false, false, false, false, true, true, true, true, false, false, false, false]);
  });
});

describe('mse + gradient in one kernel', { timeout: 60_000 }, () => {
  it.each([
    ['flat 7, batch 70', [7], 70],
    ['3×4×4, batch 3', [3, 4, 4], 3],
  ] as const)('%s', async (_name, shape, batch) => {
    await check('mse', shape, batch, true, 1);
  });
});

describe('training plans', () => {
  it("LeNet-5's training step takes the loss and its gradient from one kernel: 21 dispatches", () => {
    const m = compileFrontEnd('examples/lenet5.cnn', readFileSync('examples/lenet5.cnn', 'utf8'), nodeHost).models[0];
    const g = differentiate(lowerModel(m, { mode: 'train' }));
    const plan = planDevice(g, TARGETS.software, { fusion: true, align: 256, optimizer: DEFAULT_OPTIMIZER });
    const losses = plan.kernels.filter((k) => k.name.startsWith('softmax_cross_entropy'));
    expect(losses.map((k) => k.name)).toEqual(['softmax_cross_entropy&grad:loss']);
    const dlogits = g.ops.find((op) => op.kind === 'softmax_cross_entropy_grad')!.outputs[0];
    expect(losses[0].bindings.map((b) => b.tensor)).toEqual([...g.ops.find((op) => op.kind === 'softmax_cross_entropy')!.inputs, g.outputs[1], dlogits]);
    // 23 before conv1's weight gradient was split over the batch (two kernels on software), 24
    // before the relu derivatives after fc3's and fc2's grad inputs and maxpool2's gradient joined them.
    expect(plan.kernels.length).toBe(21);
  });
});
