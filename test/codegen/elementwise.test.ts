import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitAdd, emitUnary, emitUnaryGrad } from '../../src/codegen/elementwise.js';
import { UNARY_GRAD_FROM, type Graph, type UnaryFn } from '../../src/ir/graph.js';
import { evalOp } from '../../src/ir/reference/run.js';
import { checkOp, elements, freshSeed, openGpu, randomF32, runKernel, seededRandom, singleOpGraph, targetWith, type TensorSpec, type TestGpu } from './harness.js';

let gpu: TestGpu;
beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(async () => {
  await gpu?.ctx.destroy();
});

const FNS = Object.keys(UNARY_GRAD_FROM) as UnaryFn[];
/** The activations whose derivative reads the forward input, with helper functions in WGSL. */
const FROM_INPUT = FNS.filter((fn) => UNARY_GRAD_FROM[fn] === 'input');
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
  it.each<UnaryFn>(['elu', 'tanh', ...FROM_INPUT])('%s (scalar, odd size)', async (fn) => {
    await checkOp(gpu, {
      kind: { kind: 'unary', fn, alpha: alphaOf(fn) }, inputs: [ODD], outputs: [ODD], batch: BATCH,
      emit: (op, g) => emitUnary(op, g, targetWith(gpu, false)),
      values: (rand) => [randomF32(rand, elements(ODD, BATCH), -9, 9)],
    });
  });
});

/**
 * dy random; beside it what unary_grad reads for x in [-9, 9), as the backward pass sees it: the
 * forward output y, or x itself for silu, gelu and hardswish.
 */
function gradValues(fn: UnaryFn, t: TensorSpec) {
  return (rand: () => number): Float32Array[] => {
    const x = randomF32(rand, elements(t, BATCH), -9, 9);
    const dy = randomF32(rand, elements(t, BATCH));
    if (UNARY_GRAD_FROM[fn] === 'input') return [dy, x];
    const { graph, op } = singleOpGraph({ kind: 'unary', fn, alpha: alphaOf(fn) }, [t], [t]);
    const [y] = evalOp(op, graph, [Float64Array.from(x)], { batch: BATCH, step: 0 });
    return [dy, Float32Array.from(y)];
  };
}

describe('unary_grad (from the forward output, or the input)', { timeout: 30_000 }, () => {
  it.each(FNS)('%s (vec4)', async (fn) => {
    await checkOp(gpu, {
      kind: { kind: 'unary_grad', fn, alpha: alphaOf(fn) }, inputs: [VEC, VEC], outputs: [VEC], batch: BATCH,
      emit: (op, g) => emitUnaryGrad(op, g, software()), values: gradValues(fn, VEC),
    });
  });
  it.each<UnaryFn>(['relu6', 'sigmoid', ...FROM_INPUT])('%s (scalar, odd size)', async (fn) => {
    await checkOp(gpu, {
      kind: { kind: 'unary_grad', fn, alpha: alphaOf(fn) }, inputs: [ODD, ODD], outputs: [ODD], batch: BATCH,
      emit: (op, g) => emitUnaryGrad(op, g, software()), values: gradValues(fn, ODD),
    });
  });
});

/**
 * Element by element, not by norm (a norm hides the tails): every input of a dense grid over
 * [−16, 16], the kinks, random values and huge ones, through the vec4 and the scalar kernels.
 * |got − want| ≤ 5e-5·|want| + atol with atol tiny for the forward values (so the lower tails of
 * silu and gelu must be right relative to themselves, down to 1e-30) and one f32 ulp of 1 for the
 * derivatives, which cross zero where they cancel. 5e-5 because WGSL lets exp be off by 3 + 2|x|
 * ulp, 1.6e-5 at gelu's e^(−64) (lavapipe: 1.2e-5 measured). Huge inputs must give finite values.
 */
describe('silu, gelu, gelu_tanh and hardswish element by element, tails and huge inputs', { timeout: 60_000 }, () => {
  const SPECIAL = [-3, 3, -2.999999, 2.999999, -3.0000002, 3.0000002, 0, -0, 1e-30, -1e-30, 88, -88, 104, -104, 1e4, -1e4, 1e12, -1e12, 1e30, -1e30, 3e38, -3e38];
  const N = 4 * 1031;
  const inputs = (seed: number): Float32Array => {
    const rand = seededRandom(seed);
    const grid = Array.from({ length: 2048 }, (_, i) => -16 + (32 * i) / 2047);
    const random = Array.from({ length: N - grid.length - SPECIAL.length }, () => (rand() - 0.5) * 40);
    return Float32Array.from([...SPECIAL, ...grid, ...random]);
  };
  const cases = FROM_INPUT.flatMap((fn) => [false, true].flatMap((grad) => [4 * 1031, 4 * 1031 - 1].map((n) => ({ fn, grad, n }))));
  it.each(cases)('$fn (grad $grad, $n elements)', async ({ fn, grad, n }) => {
    const seed = freshSeed();
    const t: TensorSpec = { shape: [n], batched: false };
    const x = inputs(seed).subarray(0, n);
    const ones = new Float32Array(n).fill(1);
    const kind = grad ? ({ kind: 'unary_grad', fn, alpha: 0 } as const) : ({ kind: 'unary', fn, alpha: 0 } as const);
    const ins = grad ? [t, t] : [t];
    const { graph, op } = singleOpGraph(kind, ins, [t]);
    const values = grad ? [ones, x] : [x];
    const kernel = grad ? emitUnaryGrad(op, graph, software()) : emitUnary(op, graph, software());
    const [got] = await runKernel(gpu, graph, kernel, 1, new Map(values.map((v, i) => [op.inputs[i], v])), op.outputs);
    const [want] = evalOp(op, graph, values.map((v) => Float64Array.from(v)), { batch: 1, step: 0 });
    const atol = grad ? 1.2e-7 : 1e-30;
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const ok = Number.isFinite(got[i]) && Math.abs(got[i] - want[i]) <= 5e-5 * Math.abs(want[i]) + atol;
      expect(ok, `${kernel.name}: x = ${x[i]}: got ${got[i]}, want ${want[i]} (seed ${seed})`).toBe(true);
      if (Math.abs(want[i]) > 1e-30) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.abs(want[i]));
    }
    if (process.env.CNNC_REPORT) console.log(`${kernel.name} n=${n}: worst elementwise relative error ${worst.toExponential(2)}`);
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
