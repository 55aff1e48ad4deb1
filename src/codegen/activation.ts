import type { UnaryFn } from '../ir/graph.js';
import { UNARY_GRAD_FROM } from '../ir/graph.js';
import { f32 } from './wgsl.js';

/**
 * Activations in WGSL: the expression of each (forward, and its derivative for unary_grad), used
 * by the elementwise kernels, the fused epilogues of conv/dense/add and the fused prologues of the
 * gradient kernels. The simple ones are inline expressions; silu, gelu and hardswish call helper
 * functions (`activationFns`), declared once per kernel for the element type it uses.
 */

/** y = fn(v) for v of type T (`f32` in kernels that declare no `alias T`). */
export function unaryExpr(fn: UnaryFn, alpha: number, T = 'T'): string {
  const c = (v: string) => `${T}(${v})`;
  switch (fn) {
    case 'relu':
      return `max(v, ${c('0.0')})`;
    case 'relu6':
      return `clamp(v, ${c('0.0')}, ${c('6.0')})`;
    case 'leaky_relu':
      return `select(${c(f32(alpha))} * v, v, v > ${c('0.0')})`;
    case 'elu':
      return `select(${c(f32(alpha))} * (exp(min(v, ${c('0.0')})) - ${c('1.0')}), v, v > ${c('0.0')})`;
    case 'sigmoid':
      return `${c('1.0')} / (${c('1.0')} + exp(-v))`;
    case 'tanh':
      // tanh saturates in f32 long before 15; clamping keeps exp-based lowerings from overflowing.
      return `tanh(clamp(v, ${c('-15.0')}, ${c('15.0')}))`;
    case 'silu':
    case 'gelu':
    case 'gelu_tanh':
    case 'hardswish':
      return `act_${fn}(v)`;
    case 'identity':
      return 'v';
  }
}

/**
 * dx for dy = d: T from what unary_grad reads (graph.ts UNARY_GRAD_FROM): the forward OUTPUT y: T
 * for most, the forward INPUT x: T for silu, gelu and hardswish. Kinks follow PyTorch: relu and
 * relu6 pass nothing at 0 (and 6), leaky_relu and elu take the negative slope.
 */
export function unaryGradExpr(fn: UnaryFn, alpha: number, T = 'T'): string {
  const c = (v: string) => `${T}(${v})`;
  switch (fn) {
    case 'relu':
      return `select(${c('0.0')}, d, y > ${c('0.0')})`;
    case 'relu6':
      return `select(${c('0.0')}, d, (y > ${c('0.0')}) & (y < ${c('6.0')}))`;
    case 'leaky_relu':
      return `select(${c(f32(alpha))} * d, d, y > ${c('0.0')})`;
    case 'elu':
      return `select(d * (y + ${c(f32(alpha))}), d, y > ${c('0.0')})`;
    case 'sigmoid':
      return `d * y * (${c('1.0')} - y)`;
    case 'tanh':
      return `d * (${c('1.0')} - y * y)`;
    case 'silu':
    case 'gelu':
    case 'gelu_tanh':
    case 'hardswish':
      return `d * act_${fn}_grad(x)`;
    case 'identity':
      return 'd';
  }
}

/** The name a unary_grad expression gives what it reads beside dy: `y` (forward output) or `x` (input). */
export function savedName(fn: UnaryFn): 'x' | 'y' {
  return UNARY_GRAD_FROM[fn] === 'input' ? 'x' : 'y';
}

/**
 * Helper functions over T (f32 or vec4<f32>; every operation is componentwise). None may overflow
 * for a finite input, so no infinity ever meets a zero (NaN): exponentials of non-positive
 * arguments only, and clamps where a cube or square could overflow.
 */
interface Helper {
  readonly deps: readonly string[];
  readonly source: (T: string) => string;
}

/**
 * erfc(z) ≈ t·P(t)·e^(−z²), t = 1/(1 + 0.3z), for z ≥ 0: P is a degree-8 fit we made to
 * erfc(z)·e^(z²)/t (relative minimax by reweighted least squares over z ∈ [0, 10]); its relative
 * error is 2.2e-8 in float64 and about 4e-6 at worst in f32, where e^(−z²) inherits z²'s rounding.
 * Unlike Abramowitz–Stegun 7.1.26 (1.5e-7 absolute, but 1–4% relative beyond z = 6) it stays
 * accurate relative to the value in the tail, so gelu of a large negative x is not just close to 0
 * but close to the true value. Coefficients from t⁰ up.
 */
const ERFC_P = [
  1.691818445e-1, 1.708124922e-1, 1.476904545e-1, 2.173158646e-1, -9.997727308e-2, 5.550884282e-1, -5.184679227e-1, 4.884558727e-1, -1.300997826e-1,
];

const horner = (cs: readonly number[], t: string): string => cs.reduceRight((acc, k, i) => (i === cs.length - 1 ? f32(k) : `${f32(k)} + ${t} * (${acc})`), '');

/** √(2/π)·2 and 3·0.044715: gelu_tanh(x) = x/2·(1 + tanh(u)) = x·σ(2u), u = √(2/π)(x + 0.044715x³). */
const TWO_K = f32(2 * Math.sqrt(2 / Math.PI));

const HELPERS: Readonly<Record<string, Helper>> = {
  sigmoid: {
    deps: [],
    source: (T) => `
// σ(x) from e^(−|x|), which never overflows (the inline sigmoid's e^(−x) does below −88).
fn act_sigmoid(x: ${T}) -> ${T} {
  let e = exp(-abs(x));
  return select(e, ${T}(1.0), x >= ${T}(0.0)) / (1.0 + e);
}`,
  },
  phi: {
    deps: [],
    source: (T) => `
// Φ(x) = erfc(−x/√2)/2 (standard normal CDF), erfc(z) ≈ t·P(t)·e^(−z²), t = 1/(1 + 0.3z) (codegen/activation.ts).
// z stops at 13: e^(−169) is 0 in f32, and z² cannot overflow.
fn act_phi(x: ${T}) -> ${T} {
  let z = min(abs(x) * 0.70710678118654752, ${T}(13.0));
  let t = 1.0 / (1.0 + 0.3 * z);
  let half_erfc = 0.5 * t * (${horner(ERFC_P, 't')}) * exp(-z * z);
  return select(half_erfc, 1.0 - half_erfc, x >= ${T}(0.0));
}`,
  },
  gelu_tanh_sigma: {
    deps: ['sigmoid'],
    source: (T) => `
// σ(2u) of PyTorch's gelu(approximate='tanh') = x·σ(2u), u = √(2/π)(x + 0.044715x³): no tanh (NaN for
// large arguments on some drivers) and no cancellation in the lower tail. Past ±20, σ is already 0
// or 1 in f32, and the clamp keeps x³ finite.
fn act_gelu_tanh_sigma(x: ${T}) -> ${T} {
  let z = clamp(x, ${T}(-20.0), ${T}(20.0));
  return act_sigmoid(${TWO_K} * z * (1.0 + 0.044715 * z * z));
}`,
  },
  silu: { deps: ['sigmoid'], source: (T) => `\nfn act_silu(x: ${T}) -> ${T} {\n  return x * act_sigmoid(x);\n}` },
  silu_grad: {
    deps: ['sigmoid'],
    source: (T) => `
fn act_silu_grad(x: ${T}) -> ${T} {
  let s = act_sigmoid(x);
  return s * (1.0 + x * (1.0 - s));
}`,
  },
  gelu: { deps: ['phi'], source: (T) => `\nfn act_gelu(x: ${T}) -> ${T} {\n  return x * act_phi(x);\n}` },
  gelu_grad: {
    deps: ['phi'],
    source: (T) => `
// Φ(x) + x·φ(x); past ±19 e^(−x²/2) is 0 in f32, so x·φ(x) is 0 however large x is.
fn act_gelu_grad(x: ${T}) -> ${T} {
  let z = clamp(x, ${T}(-19.0), ${T}(19.0));
  return act_phi(x) + x * (0.39894228040143268 * exp(-0.5 * z * z));
}`,
  },
  gelu_tanh: { deps: ['gelu_tanh_sigma'], source: (T) => `\nfn act_gelu_tanh(x: ${T}) -> ${T} {\n  return x * act_gelu_tanh_sigma(x);\n}` },
  gelu_tanh_grad: {
    deps: ['gelu_tanh_sigma'],
    source: (T) => `
// d/dx x·σ(v), v = 2u: σ + x·σ(1 − σ)·v′. σ(1 − σ) is exactly 0 past the clamp, so z may stand for x.
fn act_gelu_tanh_grad(x: ${T}) -> ${T} {
  let z = clamp(x, ${T}(-20.0), ${T}(20.0));
  let s = act_gelu_tanh_sigma(x);
  return s + z * s * (1.0 - s) * ${TWO_K} * (1.0 + 0.134145 * z * z);
}`,
  },
  hardswish: {
    deps: [],
    source: (T) => `
// PyTorch's x·min(max(x + 3, 0), 6)/6 with the division first, so x > 3 gives x exactly (and never overflows).
fn act_hardswish(x: ${T}) -> ${T} {
  return x * (clamp(x + 3.0, ${T}(0.0), ${T}(6.0)) / 6.0);
}`,
  },
  hardswish_grad: {
    deps: [],
    source: (T) => `
// PyTorch's hardswish_backward: 0 up to −3, x/3 + 1/2 strictly between −3 and 3, 1 from 3 on (the outer slopes at the kinks).
fn act_hardswish_grad(x: ${T}) -> ${T} {
  let inside = select(${T}(1.0), x / 3.0 + 0.5, x < ${T}(3.0));
  return select(inside, ${T}(0.0), x <= ${T}(-3.0));
}`,
  },
};

/** The helper each activation's expression calls (the others are inline). */
const FORWARD_HELPER: Partial<Record<UnaryFn, string>> = { silu: 'silu', gelu: 'gelu', gelu_tanh: 'gelu_tanh', hardswish: 'hardswish' };
const GRAD_HELPER: Partial<Record<UnaryFn, string>> = { silu: 'silu_grad', gelu: 'gelu_grad', gelu_tanh: 'gelu_tanh_grad', hardswish: 'hardswish_grad' };

/** An activation a kernel applies: forward (`unary`, an epilogue step) or its derivative (`unary_grad`, a prologue). */
export interface ActivationUse {
  readonly fn: UnaryFn;
  readonly grad: boolean;
}

/**
 * The helper functions these activations' expressions call, each once, dependencies first, for
 * element type T; '' when they call none (so the kernels of the other activations are unchanged).
 */
export function activationFns(uses: readonly ActivationUse[], T: string): string {
  const order: string[] = [];
  const visit = (name: string): void => {
    if (order.includes(name)) return;
    HELPERS[name].deps.forEach(visit);
    order.push(name);
  };
  for (const u of uses) {
    const h = (u.grad ? GRAD_HELPER : FORWARD_HELPER)[u.fn];
    if (h) visit(h);
  }
  return order.map((name) => HELPERS[name].source(T)).join('\n');
}
