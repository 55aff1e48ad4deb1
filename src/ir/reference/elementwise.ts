import type { UnaryFn } from '../graph.js';
import { dropoutUniform } from '../random.js';
import { normalCdf, normalPdf } from './special.js';
import { expectLength, type NCP } from './util.js';

/** A numerically stable logistic: exp of a non-positive number only. */
function sigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** √(2/π) and the cubic coefficient of PyTorch's gelu(approximate='tanh'). */
const GELU_TANH_K = Math.sqrt(2 / Math.PI);
const GELU_TANH_C = 0.044715;

/** 2·√(2/π)(x + 0.044715x³): gelu_tanh is x/2·(1 + tanh(u/2)) = x·σ(u), and σ has no cancellation in the lower tail. */
const geluTanhArg = (v: number): number => 2 * GELU_TANH_K * (v + GELU_TANH_C * v * v * v);

const forward: Record<UnaryFn, (v: number, alpha: number) => number> = {
  relu: (v) => (v > 0 ? v : 0),
  relu6: (v) => Math.min(Math.max(v, 0), 6),
  leaky_relu: (v, a) => (v > 0 ? v : a * v),
  elu: (v, a) => (v > 0 ? v : a * Math.expm1(v)),
  sigmoid,
  tanh: Math.tanh,
  silu: (v) => v * sigmoid(v),
  gelu: (v) => v * normalCdf(v),
  gelu_tanh: (v) => v * sigmoid(geluTanhArg(v)),
  // PyTorch writes x·min(max(x + 3, 0), 6)/6; dividing the clamp first keeps x > 3 exact and finite.
  hardswish: (v) => v * (Math.min(Math.max(v + 3, 0), 6) / 6),
  identity: (v) => v,
};

/**
 * dy/dx from what unary_grad reads (graph.ts UNARY_GRAD_FROM). From the output y for the monotonic
 * activations, so a fused forward kernel need not keep the pre-activation: each has y > 0 ⇔ x > 0
 * (leaky_relu needs α ≥ 0, which the checker requires). From the input x for silu, gelu and
 * hardswish. At the kinks this follows PyTorch's backward kernels: relu passes nothing at 0, relu6
 * nothing at 0 or 6, leaky_relu and elu take the negative side's slope at 0, and hardswish takes
 * the outer slopes at ±3 (0 at −3, 1 at 3), as PyTorch does since pytorch/pytorch#148049 (2025);
 * PyTorch 1.13 gave −1/2 at −3 and, depending on the CPU code path, 3/2 or 1 at 3.
 */
const derivative: Record<UnaryFn, (s: number, alpha: number) => number> = {
  relu: (y) => (y > 0 ? 1 : 0),
  relu6: (y) => (y > 0 && y < 6 ? 1 : 0),
  leaky_relu: (y, a) => (y > 0 ? 1 : a),
  elu: (y, a) => (y > 0 ? 1 : y + a),
  sigmoid: (y) => y * (1 - y),
  tanh: (y) => 1 - y * y,
  silu: (x) => {
    const s = sigmoid(x);
    return s * (1 + x * (1 - s));
  },
  gelu: (x) => normalCdf(x) + x * normalPdf(x),
  gelu_tanh: (x) => {
    // d/dx x·σ(u) = σ + x·σ(1 − σ)·u′; σ(1 − σ) is 0 wherever u′ could overflow.
    const s = sigmoid(geluTanhArg(x));
    const w = s * (1 - s);
    return w === 0 ? s : s + x * w * 2 * GELU_TANH_K * (1 + 3 * GELU_TANH_C * x * x);
  },
  hardswish: (x) => (x <= -3 ? 0 : x < 3 ? x / 3 + 0.5 : 1),
  identity: () => 1,
};

export function unary(x: Float64Array, fn: UnaryFn, alpha: number): Float64Array {
  const f = forward[fn];
  return x.map((v) => f(v, alpha));
}

/** dx = dy·f′ with `saved` the forward output y or input x, as UNARY_GRAD_FROM says for fn. */
export function unaryGrad(dy: Float64Array, saved: Float64Array, fn: UnaryFn, alpha: number): Float64Array {
  expectLength(dy, saved.length, 'unary_grad dy');
  const f = derivative[fn];
  return dy.map((g, i) => g * f(saved[i], alpha));
}

/** Softmax over the channels at each (sample, position), shifted by the max so exp cannot overflow. */
export function softmax(x: Float64Array, d: NCP): Float64Array {
  expectLength(x, d.n * d.c * d.p, 'softmax x');
  const y = new Float64Array(x.length);
  for (let n = 0; n < d.n; n++)
    for (let p = 0; p < d.p; p++) {
      const at = (c: number): number => (n * d.c + c) * d.p + p;
      let m = -Infinity;
      for (let c = 0; c < d.c; c++) m = Math.max(m, x[at(c)]);
      let s = 0;
      for (let c = 0; c < d.c; c++) s += y[at(c)] = Math.exp(x[at(c)] - m);
      for (let c = 0; c < d.c; c++) y[at(c)] /= s;
    }
  return y;
}

/** dx_c = y_c·(dy_c − Σ_j dy_j·y_j) per (sample, position). */
export function softmaxGrad(dy: Float64Array, y: Float64Array, d: NCP): Float64Array {
  expectLength(dy, d.n * d.c * d.p, 'softmax_grad dy');
  expectLength(y, d.n * d.c * d.p, 'softmax_grad y');
  const dx = new Float64Array(y.length);
  for (let n = 0; n < d.n; n++)
    for (let p = 0; p < d.p; p++) {
      const at = (c: number): number => (n * d.c + c) * d.p + p;
      let s = 0;
      for (let c = 0; c < d.c; c++) s += dy[at(c)] * y[at(c)];
      for (let c = 0; c < d.c; c++) dx[at(c)] = y[at(c)] * (dy[at(c)] - s);
    }
  return dx;
}

export function add(inputs: readonly Float64Array[]): Float64Array {
  const y = new Float64Array(inputs[0].length);
  for (const a of inputs) {
    expectLength(a, y.length, 'add input');
    for (let i = 0; i < y.length; i++) y[i] += a[i];
  }
  return y;
}

/**
 * Concatenation along channels: channels are the outermost per-sample axis, so each sample of y is
 * the inputs' samples laid end to end. `sizes` are the inputs' per-sample element counts.
 */
export function concat(inputs: readonly Float64Array[], n: number, sizes: readonly number[]): Float64Array {
  const total = sizes.reduce((s, v) => s + v, 0);
  const y = new Float64Array(n * total);
  let off = 0;
  inputs.forEach((a, k) => {
    expectLength(a, n * sizes[k], 'concat input');
    for (let s = 0; s < n; s++) y.set(a.subarray(s * sizes[k], (s + 1) * sizes[k]), s * total + off);
    off += sizes[k];
  });
  return y;
}

/** Channels [start, start + count) of each sample of x (d describes x). */
export function sliceChannels(x: Float64Array, d: NCP, start: number, count: number): Float64Array {
  expectLength(x, d.n * d.c * d.p, 'slice_channels x');
  const y = new Float64Array(d.n * count * d.p);
  for (let s = 0; s < d.n; s++) y.set(x.subarray((s * d.c + start) * d.p, (s * d.c + start + count) * d.p), s * count * d.p);
  return y;
}

/**
 * y = x·m/(1 − p): m = 1 where the shared uniform of element i (its flat index in the whole
 * batched tensor) is ≥ p, else 0. Written as a product so a NaN input stays NaN, as it does in
 * PyTorch and on the GPU. p ≥ 1 drops everything (x·0, not 0/0).
 */
export function dropout(x: Float64Array, p: number, seed: number, step: number): Float64Array {
  if (p >= 1) return x.map((v) => v * 0);
  return x.map((v, i) => (v * (dropoutUniform(seed, step, i) >= p ? 1 : 0)) / (1 - p));
}

/** The same mask as the forward pass (same seed, step and index), so dx = dy·m/(1 − p). */
export function dropoutGrad(dy: Float64Array, p: number, seed: number, step: number): Float64Array {
  return dropout(dy, p, seed, step);
}
