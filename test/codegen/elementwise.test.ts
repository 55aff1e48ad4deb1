import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitAdd, emitUnary, emitUnaryGrad } from '../../src/codegen/elementwise.js';
import type { Graph, UnaryFn } from '../../src/ir/graph.js';
import { evalOp } from '../../src/ir/reference/run.js';
import { checkOp, elements, openGpu, randomF32, singleOpGraph, targetWith, type TensorSpec, type TestGpu } from './harness.js';

let gpu: TestGpu;
beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(async () => {
  await gpu?.ctx.destroy();
});

const FNS: readonly UnaryFn[] = ['relu', 'relu6', 'leaky_relu', 'elu', 'sigmoid', 'tanh', 'identity'];
const alphaOf = (fn: UnaryFn) => (fn === 'leaky_relu' ? 0.01 : fn === 'elu' ? 1.3 : 0);
/** vec4 path (per-sample size a multiple of 4) and scalar path (7×5 = 35 per sample). */
const VEC: TensorSpec = { shape: [4, 3, 5], batched: true };
const ODD: TensorSpec = { shape: [7, 5], batched: true };
const BATCH = 3;
const software = () => targetWith(gpu, true);

describe('unary', { timeout: 30_000 }, () => {
  it.each(FNS)('%s (vec4)', async (fn) => {
    // Wide inputs so relu6 clips at 6 and tanh/sigmoid saturate.
    await checkOp(gpu, {
      kind: { kind: 'unary', fn, alpha: alphaOf(fn) }, inputs: [VEC], outputs: [VEC], batch: BATCH,
      emit: (op, g) => emitUnary(op, g, software()),
      values: (rand) => [randomF32(rand, elements(VEC, BATCH), -9, 9)],
    });
  });
  it.each(['elu', 'tanh'] as const)('%s (scalar, odd size)', async (fn) => {
    await checkOp(gpu, {
      kind: { kind: 'unary', fn, alpha: alphaOf(fn) }, inputs: [ODD], outputs: [ODD], batch: BATCH,
      emit: (op, g) => emitUnary(op, g, targetWith(gpu, false)),
      values: (rand) => [randomF32(rand, elements(ODD, BATCH), -9, 9)],
    });
  });
});

/** dy random; y the forward output of x in [-9, 9), as the backward pass sees it. */
function gradValues(fn: UnaryFn, t: TensorSpec) {
  return (rand: () => number): Float32Array[] => {
    const x = randomF32(rand, elements(t, BATCH), -9, 9);
    const { graph, op } = singleOpGraph({ kind: 'unary', fn, alpha: alphaOf(fn) }, [t], [t]);
    const [y] = evalOp(op, graph, [Float64Array.from(x)], { batch: BATCH, step: 0 });
    return [randomF32(rand, elements(t, BATCH)), Float32Array.from(y)];
  };
}

describe('unary_grad (from the forward output)', { timeout: 30_000 }, () => {
  it.each(FNS)('%s (vec4)', async (fn) => {
    await checkOp(gpu, {
      kind: { kind: 'unary_grad', fn, alpha: alphaOf(fn) }, inputs: [VEC, VEC], outputs: [VEC], batch: BATCH,
      emit: (op, g) => emitUnaryGrad(op, g, software()), values: gradValues(fn, VEC),
    });
  });
  it.each(['relu6', 'sigmoid'] as const)('%s (scalar, odd size)', async (fn) => {
    await checkOp(gpu, {
      kind: { kind: 'unary_grad', fn, alpha: alphaOf(fn) }, inputs: [ODD, ODD], outputs: [ODD], batch: BATCH,
      emit: (op, g) => emitUnaryGrad(op, g, software()), values: gradValues(fn, ODD),
    });
  });
});

describe('add', { timeout: 30_000 }, () => {
  it.each([1, 2, 3, 7])('%i inputs (vec4)', async (n) => {
    await checkOp(gpu, { kind: { kind: 'add' }, inputs: Array(n).fill(VEC), outputs: [VEC], batch: BATCH, emit: (op, g) => emitAdd(op, g, software()) });
  });
  it('odd size, not batched (gradient accumulation of a parameter)', async () => {
    const P: TensorSpec = { shape: [7, 3, 3, 3], batched: false, role: 'grad' };
    await checkOp(gpu, { kind: { kind: 'add' }, inputs: [P, P, P], outputs: [P], batch: BATCH, emit: (op, g) => emitAdd(op, g, software()) });
  });
  it('refuses more inputs than a kernel can bind', () => {
    const { graph, op } = singleOpGraph({ kind: 'add' }, Array(8).fill(VEC), [VEC]);
    expect(() => emitAdd(op, graph as Graph, software())).toThrow(/at most 7/);
  });
});
