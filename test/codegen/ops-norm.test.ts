import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitBatchnorm, emitBatchnormGrad } from '../../src/codegen/batchnorm.js';
import { emitLrn, emitLrnGrad } from '../../src/codegen/lrn.js';
import { dispatchSize } from '../../src/codegen/wgsl.js';
import type { OpKind } from '../../src/ir/graph.js';
import { runGraph } from '../../src/ir/reference/run.js';
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
const channel = (c: number, role: TensorSpec['role'] = 'param'): TensorSpec => ({ shape: [c], batched: false, role });

/** x with a per-channel offset far from 0, so a variance from E[x²] − E[x]² would show. */
function bnInputs(rand: () => number, x: TensorSpec, c: number, batch: number): Float32Array[] {
  const p = elements(x, 1) / c;
  const offsets = randomF32(rand, c, -20, 20);
  const xv = randomF32(rand, elements(x, batch)).map((v, i) => v + offsets[Math.floor(i / p) % c]);
  return [xv, randomF32(rand, c, 0.5, 1.5), randomF32(rand, c), randomF32(rand, c), randomF32(rand, c, 0.5, 2)];
}

const SHAPES: readonly [string, TensorSpec, number][] = [
  ['5×7×9', batched(5, 7, 9), 5],
  ['6×2×6 (vec4 along positions)', batched(6, 2, 6), 6],
  ['flat 13 features', batched(13), 13],
  ['3×1×1 (one value per sample)', batched(3, 1, 1), 3],
  ['2×24×40 (vec4, each invocation a run of many units)', batched(2, 24, 40), 2],
];

describe('batchnorm (training): one workgroup per channel', { timeout: 30_000 }, () => {
  it.each(SHAPES)('%s: y, saved statistics and running statistics in place', async (_name, x, c) => {
    for (const software of [true, false]) {
      const seed = freshSeed();
      const rand = seededRandom(seed);
      const kind: OpKind = { kind: 'batchnorm', eps: 1e-5, momentum: 0.1, training: true };
      const ins = [x, channel(c), channel(c), channel(c, 'state'), channel(c, 'state')];
      const { graph, op } = singleOpGraph(kind, ins, [x, channel(c, 'saved'), channel(c, 'saved')]);
      const values = bnInputs(rand, x, c, BATCH);
      const kernel = emitBatchnorm(op, graph, targetWith(gpu, software));
      const read = [...op.outputs, op.inputs[3], op.inputs[4]];
      const got = await runOnce(gpu, graph.tensors, kernel, BATCH, new Map(values.map((v, i) => [i, v])), op.outputs, read);
      const ref = runGraph(graph, new Map(values.map((v, i) => [i, Float64Array.from(v)])), { batch: BATCH, step: 0 });
      read.forEach((id, k) => {
        expect(relError(got[k], ref.get(id)!), `${kernel.name} tensor ${graph.tensors[id].name}, seed ${seed}`).toBeLessThan(1e-4);
      });
      // the running statistics really moved (the reference's new values differ from the inputs)
      expect(relError(got[4], values[3])).toBeGreaterThan(1e-3);
    }
  });
});

describe('batchnorm (inference)', { timeout: 30_000 }, () => {
  it.each(SHAPES.slice(0, 3))('%s', async (_name, x, c) => {
    await checkOp(gpu, {
      kind: { kind: 'batchnorm', eps: 1e-3, momentum: 0.1, training: false },
      inputs: [x, channel(c), channel(c), channel(c, 'state'), channel(c, 'state')], outputs: [x], batch: BATCH,
      emit: (op, g) => emitBatchnorm(op, g, targetWith(gpu, true)),
      values: (rand) => bnInputs(rand, x, c, BATCH),
    });
  });
});

describe('batchnorm_grad', { timeout: 30_000 }, () => {
  it.each(SHAPES)('%s', async (_name, x, c) => {
    for (const software of [true, false]) {
      await checkOp(gpu, {
        kind: { kind: 'batchnorm_grad' }, batch: BATCH,
        inputs: [x, x, channel(c), channel(c, 'saved'), channel(c, 'saved')], outputs: [x, channel(c, 'grad'), channel(c, 'grad')],
        emit: (op, g) => emitBatchnormGrad(op, g, targetWith(gpu, software)),
        values: (rand) => {
          const [xv, gamma, beta, rm, rv] = bnInputs(rand, x, c, BATCH);
          const bn: OpKind = { kind: 'batchnorm', eps: 1e-5, momentum: 0.1, training: true };
          const [, mean, invstd] = refForward(bn, [x, channel(c), channel(c), channel(c), channel(c)], [x, channel(c), channel(c)], [xv, gamma, beta, rm, rv], BATCH);
          return [randomF32(rand, elements(x, BATCH)), xv, gamma, mean, invstd];
        },
      });
    }
  });
});

describe('lrn', { timeout: 30_000 }, () => {
  const cases: readonly [string, TensorSpec, number][] = [
    ['7×3×5, size 5', batched(7, 3, 5), 5],
    ['6×4×3, size 4 (even: the window leans back)', batched(6, 4, 3), 4],
    ['3 flat, size 5 (window wider than the channels)', batched(3), 5],
  ];
  const kindOf = (size: number) => ({ size, alpha: 0.3, beta: 0.75, k: 2 });
  it.each(cases)('%s', async (_name, x, size) => {
    await checkOp(gpu, { kind: { kind: 'lrn', ...kindOf(size) }, inputs: [x], outputs: [x], batch: BATCH, emit: (op, g) => emitLrn(op, g, targetWith(gpu, true)), values: (rand) => [randomF32(rand, elements(x, BATCH), -3, 3)] });
  });
  it.each(cases)('%s grad', async (_name, x, size) => {
    await checkOp(gpu, {
      kind: { kind: 'lrn_grad', ...kindOf(size) }, inputs: [x, x], outputs: [x], batch: BATCH, emit: (op, g) => emitLrnGrad(op, g, targetWith(gpu, true)),
      values: (rand) => [randomF32(rand, elements(x, BATCH)), randomF32(rand, elements(x, BATCH), -3, 3)],
    });
  });
});

describe('per-channel kernels with folded dispatches', { timeout: 30_000 }, () => {
  it('batchnorm_grad over 5 channels with a per-dimension limit of 3 (6 workgroups, one idle)', async () => {
    const x = batched(5, 3, 3);
    const tiny = { ...targetWith(gpu, true), maxComputeWorkgroupsPerDimension: 3 };
    const { kernel } = await checkOp(gpu, {
      kind: { kind: 'batchnorm_grad' }, batch: BATCH, maxWorkgroupsPerDimension: 3,
      inputs: [x, x, channel(5), channel(5, 'saved'), channel(5, 'saved')], outputs: [x, channel(5, 'grad'), channel(5, 'grad')],
      emit: (op, g) => emitBatchnormGrad(op, g, tiny),
      values: (rand) => [randomF32(rand, elements(x, BATCH)), randomF32(rand, elements(x, BATCH)), randomF32(rand, 5), randomF32(rand, 5), randomF32(rand, 5, 0.5, 2)],
    });
    expect(dispatchSize(kernel, BATCH, 3)).toEqual([3, 2, 1]);
  });
});
