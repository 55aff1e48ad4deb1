import { describe, expect, it } from 'vitest';
import { numel, UNARY_GRAD_FROM, type ConvAttrs, type OpKind, type Pad4, type Pair, type PoolAttrs, type PoolMode, type UnaryFn } from '../../src/ir/graph.js';
import { evalOp, OP_KINDS } from '../../src/ir/reference/run.js';
import { randomArray, relError, seededRandom, singleOpGraph, type TensorSpec } from '../../src/ir/reference/testing.js';

/**
 * Every backward op against central finite differences of its forward op, in float64, on fresh
 * random inputs at awkward shapes. For L = Σ r·y (r random; r = 1 for the scalar losses, whose
 * grads assume dL/dloss = 1), each backward output must match ∂L/∂(its forward input), element by
 * element: ‖g − fd‖/‖fd‖ < 1e-6, every element finite. Set REF_SEED to replay a failure.
 */

const BASE_SEED = Number(process.env.REF_SEED ?? Math.floor(Math.random() * 2 ** 31));
const H = 1e-6;

type Init = (rand: () => number, n: number) => Float64Array;

interface GradCase {
  readonly name: string;
  readonly batch: number;
  readonly fwd: OpKind;
  readonly fwdIn: readonly TensorSpec[];
  readonly fwdOut: readonly TensorSpec[];
  readonly bwd: OpKind;
  readonly bwdIn: readonly TensorSpec[];
  readonly bwdOut: readonly TensorSpec[];
  /** The backward op's inputs, from the forward inputs x, forward outputs y and upstream r. */
  readonly args: (x: Float64Array[], y: Float64Array[], r: Float64Array) => Float64Array[];
  /** The forward input each backward output is the gradient of. */
  readonly wrt: readonly number[];
  /** Generators for forward inputs (default: uniform in [−1, 1)). */
  readonly init?: Readonly<Record<number, Init>>;
  readonly loss?: boolean;
}

const B = (shape: readonly number[]): TensorSpec => ({ shape, batched: true });
const P = (shape: readonly number[]): TensorSpec => ({ shape, batched: false, role: 'param' });

/** Values at least 1/n apart in random order, so no max/min tie or kink lies within H of a point. */
const distinct: Init = (rand, n) => {
  const v = Float64Array.from({ length: n }, (_, i) => ((i + 0.5 + 0.4 * (rand() - 0.5)) / n) * 2 - 1);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [v[i], v[j]] = [v[j], v[i]];
  }
  return v;
};

function run(kind: OpKind, ins: readonly TensorSpec[], outs: readonly TensorSpec[], values: Float64Array[], batch: number): Float64Array[] {
  const { graph, op } = singleOpGraph(kind, ins, outs);
  return evalOp(op, graph, values, { batch, step: 7 });
}

function check(c: GradCase, seed: number): void {
  const rand = seededRandom(seed);
  const x = c.fwdIn.map((s, i) => (c.init?.[i] ?? randomArray)(rand, (s.batched ? c.batch : 1) * numel(s.shape)));
  const y = run(c.fwd, c.fwdIn, c.fwdOut, x, c.batch);
  const r = c.loss ? Float64Array.of(1) : randomArray(rand, y[0].length);
  const loss = (xs: Float64Array[]): number => run(c.fwd, c.fwdIn, c.fwdOut, xs, c.batch)[0].reduce((s, v, i) => s + v * r[i], 0);
  const grads = run(c.bwd, c.bwdIn, c.bwdOut, c.args(x, y, r), c.batch);
  c.wrt.forEach((k, gi) => {
    const fd = x[k].map((v, i) => {
      const xs = x.map((a) => a.slice());
      xs[k][i] = v + H;
      const up = loss(xs);
      xs[k][i] = v - H;
      return (up - loss(xs)) / (2 * H);
    });
    const msg = `${c.name}: d/d(input ${k}), seed ${seed} (replay with REF_SEED=${BASE_SEED})`;
    expect(grads[gi].every(Number.isFinite), msg).toBe(true);
    expect(relError(grads[gi], fd), msg).toBeLessThan(1e-6);
  });
}

// ---- the cases ----

function outSize(size: number, k: number, s: number, before: number, after: number, d: number, ceil: boolean): number {
  const span = size + before + after - d * (k - 1) - 1;
  if (!ceil) return Math.floor(span / s) + 1;
  // The checker's (PyTorch's) ceil rule: the last window must start inside the input or the leading padding.
  const o = Math.ceil(span / s) + 1;
  return (o - 1) * s >= size + before ? o - 1 : o;
}

function convCase(name: string, n: number, c: number, h: number, w: number, o: number, k: Pair, attrs: ConvAttrs): GradCase[] {
  const oh = outSize(h, k[0], attrs.stride[0], attrs.pad[0], attrs.pad[1], attrs.dilation[0], false);
  const ow = outSize(w, k[1], attrs.stride[1], attrs.pad[2], attrs.pad[3], attrs.dilation[1], false);
  const [xs, ws, bs, ys] = [B([c, h, w]), P([o, c / attrs.groups, k[0], k[1]]), P([o]), B([o, oh, ow])];
  const base = { name, batch: n, fwd: { kind: 'conv2d', attrs, bias: true }, fwdIn: [xs, ws, bs], fwdOut: [ys] } as const;
  return [
    { ...base, name: `${name} grad_input`, bwd: { kind: 'conv2d_grad_input', attrs }, bwdIn: [ys, ws], bwdOut: [xs], args: (x, _y, r) => [r, x[1]], wrt: [0] },
    { ...base, name: `${name} grad_weight`, bwd: { kind: 'conv2d_grad_weight', attrs }, bwdIn: [ys, xs], bwdOut: [ws], args: (x, _y, r) => [r, x[0]], wrt: [1] },
    { ...base, name: `${name} bias_grad`, bwd: { kind: 'bias_grad' }, bwdIn: [ys], bwdOut: [bs], args: (_x, _y, r) => [r], wrt: [2] },
  ];
}

const conv = (stride: Pair, pad: Pad4, dilation: Pair, groups: number, padMode: ConvAttrs['padMode']): ConvAttrs => ({ stride, pad, dilation, groups, padMode });

function poolCase(mode: PoolMode, countPad: boolean, n: number, c: number, h: number, w: number, kernel: Pair, stride: Pair, pad: Pad4, ceil: boolean): GradCase {
  const attrs: PoolAttrs = { mode, kernel, stride, pad, countPad };
  const oh = outSize(h, kernel[0], stride[0], pad[0], pad[1], 1, ceil);
  const ow = outSize(w, kernel[1], stride[1], pad[2], pad[3], 1, ceil);
  const [xs, ys] = [B([c, h, w]), B([c, oh, ow])];
  const name = `pool ${mode}${countPad ? ' countPad' : ''} ${h}×${w} k${kernel} s${stride} pad ${pad}${ceil ? ' ceil' : ''} → ${oh}×${ow}`;
  return {
    name, batch: n, fwd: { kind: 'pool2d', attrs }, fwdIn: [xs], fwdOut: [ys],
    bwd: { kind: 'pool2d_grad', attrs }, bwdIn: [ys, xs, ys], bwdOut: [xs], args: (x, y, r) => [r, x[0], y[0]], wrt: [0],
    init: { 0: distinct },
  };
}

function adaptiveCase(mode: 'avg' | 'max', n: number, c: number, h: number, w: number, oh: number, ow: number): GradCase {
  const [xs, ys] = [B([c, h, w]), B([c, oh, ow])];
  return {
    name: `adaptive ${mode} ${h}×${w} → ${oh}×${ow}`, batch: n, fwd: { kind: 'adaptive_pool', mode }, fwdIn: [xs], fwdOut: [ys],
    bwd: { kind: 'adaptive_pool_grad', mode }, bwdIn: [ys, xs], bwdOut: [xs], args: (x, _y, r) => [r, x[0]], wrt: [0], init: { 0: distinct },
  };
}

function maxoutCase(n: number, shape: readonly number[], k: number): GradCase {
  const [xs, ys] = [B(shape), B([shape[0] / k, ...shape.slice(1)])];
  return {
    name: `maxout k${k} on ${shape.join('×')}`, batch: n, fwd: { kind: 'maxout', k }, fwdIn: [xs], fwdOut: [ys],
    bwd: { kind: 'maxout_grad', k }, bwdIn: [ys, xs], bwdOut: [xs], args: (x, _y, r) => [r, x[0]], wrt: [0], init: { 0: distinct },
  };
}

function denseCases(n: number, fin: number, fout: number): GradCase[] {
  const [xs, ws, bs, ys] = [B([fin]), P([fout, fin]), P([fout]), B([fout])];
  const base = { batch: n, fwd: { kind: 'dense', bias: true }, fwdIn: [xs, ws, bs], fwdOut: [ys] } as const;
  const name = `dense ${fin}→${fout}`;
  return [
    { ...base, name: `${name} grad_input`, bwd: { kind: 'dense_grad_input' }, bwdIn: [ys, ws], bwdOut: [xs], args: (x, _y, r) => [r, x[1]], wrt: [0] },
    { ...base, name: `${name} grad_weight`, bwd: { kind: 'dense_grad_weight' }, bwdIn: [ys, xs], bwdOut: [ws], args: (x, _y, r) => [r, x[0]], wrt: [1] },
    { ...base, name: `${name} bias_grad`, bwd: { kind: 'bias_grad' }, bwdIn: [ys], bwdOut: [bs], args: (_x, _y, r) => [r], wrt: [2] },
  ];
}

function batchnormCase(n: number, shape: readonly number[], eps: number): GradCase {
  const c = shape[0];
  const [xs, cs, ss] = [B(shape), P([c]), { shape: [c], batched: false, role: 'state' } as const];
  const saved = { shape: [c], batched: false, role: 'saved' } as const;
  return {
    name: `batchnorm ${shape.join('×')} batch ${n}`, batch: n,
    fwd: { kind: 'batchnorm', eps, momentum: 0.1, training: true }, fwdIn: [xs, cs, cs, ss, ss], fwdOut: [xs, saved, saved],
    bwd: { kind: 'batchnorm_grad' }, bwdIn: [xs, xs, cs, saved, saved], bwdOut: [xs, cs, cs],
    args: (x, y, r) => [r, x[0], x[1], y[1], y[2]], wrt: [0, 1, 2],
    init: { 0: (rand, len) => randomArray(rand, len, -2, 3), 4: (rand, len) => randomArray(rand, len, 0.5, 2) },
  };
}

/** Inference batchnorm: running statistics are constants, so only x gets a gradient. */
function batchnormInferCase(n: number, shape: readonly number[], eps: number): GradCase {
  const c = shape[0];
  const [xs, cs, ss] = [B(shape), P([c]), { shape: [c], batched: false, role: 'state' } as const];
  return {
    name: `batchnorm (inference) ${shape.join('×')} batch ${n}`, batch: n,
    fwd: { kind: 'batchnorm', eps, momentum: 0.1, training: false }, fwdIn: [xs, cs, cs, ss, ss], fwdOut: [xs],
    bwd: { kind: 'batchnorm_infer_grad', eps }, bwdIn: [xs, cs, ss], bwdOut: [xs],
    args: (x, _y, r) => [r, x[1], x[4]], wrt: [0],
    init: { 1: (rand, len) => randomArray(rand, len, -2, 2), 4: (rand, len) => randomArray(rand, len, 0.05, 3) },
  };
}

function lrnCase(n: number, shape: readonly number[], size: number, alpha: number, beta: number, k: number): GradCase {
  const xs = B(shape);
  const attrs = { size, alpha, beta, k };
  return {
    name: `lrn size ${size} α ${alpha} β ${beta} k ${k} on ${shape.join('×')}`, batch: n, fwd: { kind: 'lrn', ...attrs }, fwdIn: [xs], fwdOut: [xs],
    bwd: { kind: 'lrn_grad', ...attrs }, bwdIn: [xs, xs], bwdOut: [xs], args: (x, _y, r) => [r, x[0]], wrt: [0],
    init: { 0: (rand, len) => randomArray(rand, len, -3, 3) },
  };
}

/** Uniform in [−8, 8), moved off the kinks at 0, 6 and ±3 (hardswish) so no difference straddles one. */
const offKinks: Init = (rand, n) => randomArray(rand, n, -8, 8).map((v) => ([0, 6, 3, -3].some((k) => Math.abs(v - k) < 1e-3) ? v + 0.01 : v));

function unaryCase(fn: UnaryFn, alpha: number): GradCase {
  const xs = B([3, 5, 1]);
  return {
    name: `unary ${fn}`, batch: 2, fwd: { kind: 'unary', fn, alpha }, fwdIn: [xs], fwdOut: [xs],
    bwd: { kind: 'unary_grad', fn, alpha }, bwdIn: [xs, xs], bwdOut: [xs], wrt: [0], init: { 0: offKinks },
    // unary_grad reads the forward output, or the input for silu, gelu and hardswish.
    args: (x, y, r) => [r, UNARY_GRAD_FROM[fn] === 'input' ? x[0] : y[0]],
  };
}

function softmaxCase(n: number, shape: readonly number[]): GradCase {
  const xs = B(shape);
  return {
    name: `softmax ${shape.join('×')}`, batch: n, fwd: { kind: 'softmax' }, fwdIn: [xs], fwdOut: [xs],
    bwd: { kind: 'softmax_grad' }, bwdIn: [xs, xs], bwdOut: [xs], args: (_x, y, r) => [r, y[0]], wrt: [0],
    init: { 0: (rand, len) => randomArray(rand, len, -4, 4) },
  };
}

const LOSS: TensorSpec = { shape: [], batched: false, role: 'loss' };

function crossEntropyCase(n: number, classes: number): GradCase {
  const [xs, ts] = [B([classes]), { shape: [1], batched: true, role: 'target' } as const];
  return {
    name: `softmax_cross_entropy ${classes} classes, batch ${n}`, batch: n, loss: true,
    fwd: { kind: 'softmax_cross_entropy' }, fwdIn: [xs, ts], fwdOut: [LOSS],
    bwd: { kind: 'softmax_cross_entropy_grad' }, bwdIn: [xs, ts], bwdOut: [xs], args: (x) => [x[0], x[1]], wrt: [0],
    init: { 0: (rand, len) => randomArray(rand, len, -3, 3), 1: (rand, len) => Float64Array.from({ length: len }, () => Math.floor(rand() * classes)) },
  };
}

function mseCase(n: number, shape: readonly number[]): GradCase {
  const xs = B(shape);
  return {
    name: `mse ${shape.join('×')}, batch ${n}`, batch: n, loss: true, fwd: { kind: 'mse' }, fwdIn: [xs, { ...xs, role: 'target' }], fwdOut: [LOSS],
    bwd: { kind: 'mse_grad' }, bwdIn: [xs, xs], bwdOut: [xs], args: (x) => [x[0], x[1]], wrt: [0],
  };
}

function dropoutCase(n: number, shape: readonly number[], p: number, seed: number): GradCase {
  const xs = B(shape);
  return {
    name: `dropout p ${p} on ${shape.join('×')}`, batch: n, fwd: { kind: 'dropout', p, seed }, fwdIn: [xs], fwdOut: [xs],
    bwd: { kind: 'dropout_grad', p, seed }, bwdIn: [xs], bwdOut: [xs], args: (_x, _y, r) => [r], wrt: [0],
  };
}

const POOL_SHAPES: readonly [number, number, number, number, Pair, Pair, Pad4, boolean][] = [
  [2, 2, 7, 5, [3, 3], [2, 2], [1, 1, 1, 1], true],
  [3, 1, 7, 6, [2, 2], [3, 3], [1, 0, 0, 1], true],
  [2, 2, 5, 7, [3, 2], [2, 1], [1, 1, 1, 0], false],
  [2, 1, 8, 7, [3, 3], [3, 2], [0, 1, 1, 1], true],
];

const CASES: GradCase[] = [
  ...convCase('conv 7×5 s2 asym pad', 2, 3, 7, 5, 4, [3, 3], conv([2, 2], [1, 2, 0, 1], [1, 1], 1, 'zeros')),
  ...convCase('conv groups 2 s3 dil 2', 3, 4, 7, 6, 6, [3, 2], conv([3, 3], [2, 1, 1, 2], [2, 2], 2, 'zeros')),
  ...convCase('conv depthwise replicate s(2,3)', 2, 3, 7, 5, 3, [3, 3], conv([2, 3], [1, 1, 1, 1], [1, 1], 3, 'replicate')),
  ...convCase('conv replicate asym pad dil 2', 2, 2, 5, 7, 3, [2, 3], conv([1, 1], [2, 0, 1, 3], [2, 2], 1, 'replicate')),
  ...convCase('conv depthwise ×2 replicate dil (2,1)', 2, 2, 6, 7, 4, [3, 3], conv([1, 2], [1, 1, 2, 2], [2, 1], 2, 'replicate')),
  ...(['max', 'min', 'l2'] as const).flatMap((m) => POOL_SHAPES.map((s) => poolCase(m, false, ...s))),
  ...POOL_SHAPES.flatMap((s) => [poolCase('avg', true, ...s), poolCase('avg', false, ...s)]),
  adaptiveCase('avg', 2, 2, 7, 5, 3, 2),
  adaptiveCase('max', 2, 2, 7, 5, 3, 2),
  adaptiveCase('avg', 3, 1, 3, 5, 5, 2),
  adaptiveCase('max', 3, 1, 3, 5, 5, 2),
  maxoutCase(2, [6, 3, 5], 3),
  maxoutCase(3, [6], 2),
  ...denseCases(3, 7, 5),
  batchnormCase(3, [4, 3, 5], 1e-5),
  batchnormCase(5, [3], 1e-3),
  batchnormCase(1, [2, 5, 3], 1e-5),
  batchnormInferCase(3, [4, 3, 5], 1e-5),
  batchnormInferCase(2, [7], 1e-3),
  ...[1, 2, 3, 4, 5].map((size) => lrnCase(2, [6, 2, 3], size, 0.7, 0.75, 1.5)),
  lrnCase(3, [3, 1, 2], 7, 2, 0.6, 1),
  ...(Object.keys(UNARY_GRAD_FROM) as UnaryFn[]).map((fn) => unaryCase(fn, fn === 'leaky_relu' ? 0.1 : 1.3)),
  softmaxCase(3, [7]),
  softmaxCase(2, [5, 3, 1]),
  crossEntropyCase(4, 6),
  crossEntropyCase(1, 3),
  mseCase(3, [5]),
  mseCase(2, [2, 3, 1]),
  dropoutCase(3, [2, 3, 5], 0.3, 12345),
];

describe('backward ops match finite differences of their forward ops', () => {
  it('every backward op kind is checked', () => {
    const checked = new Set<string>(CASES.map((c) => c.bwd.kind));
    expect(OP_KINDS.filter((k) => k.endsWith('_grad') || k.includes('_grad_')).filter((k) => !checked.has(k))).toEqual([]);
  });

  CASES.forEach((c, i) => it(c.name, () => check(c, BASE_SEED + i)));
});
