import { describe, expect, it } from 'vitest';
import { numel, UNARY_GRAD_FROM, type OpKind, type UnaryFn } from '../../src/ir/graph.js';
import { dropoutUniform } from '../../src/ir/random.js';
import { runGraph } from '../../src/ir/reference/run.js';
import { evalSingleOp, randomArray, relError, seededRandom, singleOpGraph, type TensorSpec } from '../../src/ir/reference/testing.js';

/**
 * Forward dense, normalisation, elementwise, dropout and loss ops of the reference against
 * hand-computed cases and properties.
 */

const SEED = Number(process.env.REF_SEED ?? Math.floor(Math.random() * 2 ** 31));
const rand = seededRandom(SEED);
const seedNote = `REF_SEED=${SEED}`;

const B = (shape: readonly number[]): TensorSpec => ({ shape, batched: true });
const U = (shape: readonly number[]): TensorSpec => ({ shape, batched: false, role: 'param' });
const arr = (...v: number[]): Float64Array => Float64Array.from(v);
const range = (n: number, from = 1): Float64Array => Float64Array.from({ length: n }, (_, i) => from + i);

/** Evaluates one op on the given (spec, value) inputs. */
function ev(kind: OpKind, ins: readonly (readonly [TensorSpec, Float64Array])[], outs: readonly TensorSpec[], batch = 1, step = 0): Float64Array[] {
  return evalSingleOp(kind, ins, outs, { batch, step });
}

function close(got: Float64Array, want: ArrayLike<number>, tol = 1e-14): void {
  expect(relError(got, want), `got [${Array.from(got).join(', ')}] (${seedNote})`).toBeLessThan(tol);
}

describe('dense and bias_grad', () => {
  it('y = x·wᵀ + b, by hand', () => {
    const y = ev({ kind: 'dense', bias: true }, [[B([3]), arr(1, 2, 3, -1, 0, 1)], [U([2, 3]), arr(1, 0, -1, 2, 1, 0)], [U([2]), arr(0.5, -1)]], [B([2])], 2)[0];
    close(y, [-1.5, 3, -1.5, -3]);
  });

  it('bias_grad sums over the batch and positions per channel', () => {
    close(ev({ kind: 'bias_grad' }, [[B([2, 1, 3]), range(12)]], [U([2])], 2)[0], [1 + 2 + 3 + 7 + 8 + 9, 4 + 5 + 6 + 10 + 11 + 12]);
  });
});

const bnKind = (training: boolean, eps = 1e-5, momentum = 0.1): OpKind => ({ kind: 'batchnorm', eps, momentum, training });

describe('batchnorm and lrn', () => {
  it('training output has mean 0 and variance 1 per channel (gamma 1, beta 0), then gamma·x̂ + beta', () => {
    const [n, c, hw] = [3, 4, 15];
    const xs = randomArray(rand, n * c * hw).map((v, i) => 5 * v + Math.floor(i / hw) % c);
    const bn = (gamma: Float64Array, beta: Float64Array): Float64Array[] =>
      ev(bnKind(true, 0), [[B([c, 3, 5]), xs], [U([c]), gamma], [U([c]), beta], [U([c]), new Float64Array(c)], [U([c]), new Float64Array(c).fill(1)]], [B([c, 3, 5]), U([c]), U([c])], n);
    const [y] = bn(new Float64Array(c).fill(1), new Float64Array(c));
    for (let ch = 0; ch < c; ch++) {
      const v = Array.from({ length: n * hw }, (_, i) => y[(Math.floor(i / hw) * c + ch) * hw + (i % hw)]);
      const mean = v.reduce((s, a) => s + a, 0) / v.length;
      expect(Math.abs(mean)).toBeLessThan(1e-14);
      expect(v.reduce((s, a) => s + (a - mean) ** 2, 0) / v.length).toBeCloseTo(1, 13);
    }
    const [gamma, beta] = [randomArray(rand, c), randomArray(rand, c)];
    close(bn(gamma, beta)[0], y.map((v, i) => v * gamma[Math.floor(i / hw) % c] + beta[Math.floor(i / hw) % c]), 1e-13);
  });

  it('saved statistics and running-stat update (biased var normalises, unbiased updates), by hand', () => {
    // One channel, values 1…4 over the batch: mean 2.5, biased var 1.25, unbiased 5/3.
    const { graph, op } = singleOpGraph(bnKind(true, 0.25, 0.1), [B([1]), U([1]), U([1]), { shape: [1], batched: false, role: 'state' }, { shape: [1], batched: false, role: 'state' }], [B([1]), U([1]), U([1])]);
    const values = new Map([[0, arr(1, 2, 3, 4)], [1, arr(2)], [2, arr(1)], [3, arr(0)], [4, arr(1)]]);
    const out = runGraph(graph, values, { batch: 4, step: 0 });
    close(out.get(6) ?? arr(), [2.5]);
    close(out.get(7) ?? arr(), [1 / Math.sqrt(1.5)]);
    close(out.get(5) ?? arr(), [-1.5, -0.5, 0.5, 1.5].map((v) => (2 * v) / Math.sqrt(1.5) + 1));
    close(out.get(3) ?? arr(), [0.25]);
    close(out.get(4) ?? arr(), [0.9 + 0.1 * (5 / 3)]);
    // The caller's values are left as they were.
    expect(Array.from(values.get(3) ?? [])).toEqual([0]);
    expect(op.outputs).toEqual([5, 6, 7]);
  });

  it('inference uses the running statistics, by hand', () => {
    const y = ev(bnKind(false, 0.5), [[B([2]), arr(3, 1, 5, -1)], [U([2]), arr(2, 1)], [U([2]), arr(0, 1)], [U([2]), arr(1, 2)], [U([2]), arr(3.5, 0.5)]], [B([2])], 2)[0];
    close(y, [(3 - 1) / 2 * 2, (1 - 2) / 1 + 1, (5 - 1) / 2 * 2, (-1 - 2) / 1 + 1]);
  });

  it('LRN windows follow PyTorch: size//2 channels before, (size−1)//2 after, divided by size', () => {
    const lrn = (size: number): Float64Array => ev({ kind: 'lrn', size, alpha: 1, beta: 1, k: 1 }, [[B([3]), arr(1, 2, 3)]], [B([3])])[0];
    close(lrn(1), [1 / 2, 2 / 5, 3 / 10]);
    close(lrn(2), [1 / 1.5, 2 / 3.5, 3 / 7.5]); // channels c−1, c
    close(lrn(3), [3 / 8, 6 / 17, 9 / 16]); // channels c−1 … c+1
    close(lrn(4), [1 / (1 + 5 / 4), 2 / (1 + 14 / 4), 3 / (1 + 14 / 4)]); // channels c−2 … c+1
  });
});

describe('elementwise ops', () => {
  const un = (fn: UnaryFn, alpha: number, v: Float64Array): Float64Array => ev({ kind: 'unary', fn, alpha }, [[B([v.length]), v]], [B([v.length])])[0];
  /** f′ at v, given unary_grad what it reads: the forward output y, or the input x (UNARY_GRAD_FROM). */
  const dun = (fn: UnaryFn, alpha: number, v: Float64Array): Float64Array => {
    const saved = UNARY_GRAD_FROM[fn] === 'input' ? v : un(fn, alpha, v);
    return ev({ kind: 'unary_grad', fn, alpha }, [[B([v.length]), new Float64Array(v.length).fill(1)], [B([v.length]), saved]], [B([v.length])])[0];
  };
  const v = arr(-2, 0, 3, 6, 7);

  it('unary functions, by hand', () => {
    close(un('relu', 0, v), [0, 0, 3, 6, 7]);
    close(un('relu6', 0, v), [0, 0, 3, 6, 6]);
    close(un('leaky_relu', 0.1, v), [-0.2, 0, 3, 6, 7]);
    close(un('elu', 1.5, v), [1.5 * (Math.exp(-2) - 1), 0, 3, 6, 7]);
    close(un('sigmoid', 0, arr(0, Math.log(3), -800, 800)), [0.5, 0.75, 0, 1]);
    close(un('tanh', 0, arr(0, Math.log(2))), [0, 0.6]);
    close(un('identity', 0, v), v);
  });

  it('unary derivatives at the kinks follow PyTorch', () => {
    close(dun('relu', 0, v), [0, 0, 1, 1, 1]);
    close(dun('relu6', 0, v), [0, 0, 1, 0, 0]);
    close(dun('leaky_relu', 0.1, v), [0.1, 0.1, 1, 1, 1]);
    close(dun('elu', 1.5, v), [1.5 * Math.exp(-2), 1.5, 1, 1, 1]);
    // hardswish_backward (PyTorch since pytorch/pytorch#148049): the outer slopes at ±3, 0 and 1.
    close(dun('hardswish', 0, arr(-3.5, -3, -2.999, -1.5, 0, 1.5, 2.999, 3, 3.5)), [0, 0, -2.999 / 3 + 0.5, 0, 0.5, 1, 2.999 / 3 + 0.5, 1, 1]);
  });

  it('silu, gelu, gelu_tanh and hardswish, by hand', () => {
    const s = (x: number) => 1 / (1 + Math.exp(-x));
    close(un('silu', 0, arr(0, 1, -2, 40, -800)), [0, s(1), -2 * s(-2), 40, -0]);
    close(dun('silu', 0, arr(0, 1, 40, -800)), [0.5, s(1) * (1 + 1 - s(1)), 1, 0]);
    // Φ(1) and Φ(−2) to 17 digits (erfc tables); gelu′(0) = Φ(0) = 1/2.
    const phi1 = 0.84134474606854293;
    const phiM2 = 0.022750131948179208;
    close(un('gelu', 0, arr(0, 1, -2, 10)), [0, phi1, -2 * phiM2, 10]);
    close(dun('gelu', 0, arr(0, 1)), [0.5, phi1 + Math.exp(-0.5) / Math.sqrt(2 * Math.PI)]);
    // The lower tail keeps its relative accuracy (no 1 + erf cancellation): Φ(−10) = 7.6198530241605260e-24.
    expect(Math.abs(un('gelu', 0, arr(-10))[0] / (-10 * 7.619853024160526e-24) - 1)).toBeLessThan(1e-13);
    const k = Math.sqrt(2 / Math.PI);
    const tanhForm = (x: number) => 0.5 * x * (1 + Math.tanh(k * (x + 0.044715 * x ** 3)));
    close(un('gelu_tanh', 0, arr(0, 0.5, 1, -2, 3)), [0, tanhForm(0.5), tanhForm(1), tanhForm(-2), tanhForm(3)]);
    close(dun('gelu_tanh', 0, arr(0)), [0.5]);
    close(un('hardswish', 0, arr(-4, -3, -1.5, 0, 1.5, 3, 1e300)), [-0, -0, -0.375, 0, 1.5 * 4.5 / 6, 3, 1e300]);
  });

  it('silu, gelu and hardswish: finite at huge inputs, where x·σ(x) and cubes could overflow', () => {
    const huge = arr(-1e300, -1e30, 1e30, 1e300);
    for (const fn of ['silu', 'gelu', 'gelu_tanh', 'hardswish'] as const) {
      expect(Array.from(un(fn, 0, huge)), fn).toEqual([-0, -0, 1e30, 1e300].map((v) => (v === 0 ? expect.closeTo(0) : v)));
      expect(Array.from(dun(fn, 0, huge)).map((v) => Math.abs(v)), fn).toEqual([0, 0, 1, 1]);
    }
  });

  it('derivatives from the input match finite differences at awkward points', () => {
    for (const fn of ['silu', 'gelu', 'gelu_tanh'] as const) {
      const xs = arr(-7.3, -3, -1.2, -1e-3, 0.4, 2.2, 5.9);
      const h = 1e-6;
      const fd = xs.map((x) => (un(fn, 0, arr(x + h))[0] - un(fn, 0, arr(x - h))[0]) / (2 * h));
      close(dun(fn, 0, xs), fd, 1e-8);
    }
  });

  it('softmax: by hand, sums to 1 per position, stable for large logits', () => {
    close(ev({ kind: 'softmax' }, [[B([3]), arr(0, Math.log(2), Math.log(5))]], [B([3])])[0], [1 / 8, 2 / 8, 5 / 8]);
    close(ev({ kind: 'softmax' }, [[B([2]), arr(1000, 1000, -1000, -1000)]], [B([2])], 2)[0], [0.5, 0.5, 0.5, 0.5]);
    const xs = randomArray(rand, 2 * 5 * 3, -10, 10);
    const y = ev({ kind: 'softmax' }, [[B([5, 3, 1]), xs]], [B([5, 3, 1])], 2)[0];
    for (let n = 0; n < 2; n++)
      for (let p = 0; p < 3; p++) {
        let s = 0;
        for (let c = 0; c < 5; c++) s += y[(n * 5 + c) * 3 + p];
        expect(s, seedNote).toBeCloseTo(1, 14);
      }
  });

  it('add sums any number of inputs; reshape copies', () => {
    close(ev({ kind: 'add' }, [[B([2]), arr(1, 2)], [B([2]), arr(10, 20)], [B([2]), arr(100, 200)]], [B([2])])[0], [111, 222]);
    close(ev({ kind: 'reshape' }, [[B([2, 1, 2]), range(8)]], [B([4])], 2)[0], range(8));
  });

  it('concat lays channels end to end per sample; slice_channels undoes it', () => {
    const a = range(2 * 2 * 3, 100); // 2 samples × 2 channels × 3 positions
    const b = range(2 * 1 * 3, 200);
    const y = ev({ kind: 'concat' }, [[B([2, 3, 1]), a], [B([1, 3, 1]), b]], [B([3, 3, 1])], 2)[0];
    close(y, [100, 101, 102, 103, 104, 105, 200, 201, 202, 106, 107, 108, 109, 110, 111, 203, 204, 205]);
    close(ev({ kind: 'slice_channels', start: 0, count: 2 }, [[B([3, 3, 1]), y]], [B([2, 3, 1])], 2)[0], a);
    close(ev({ kind: 'slice_channels', start: 2, count: 1 }, [[B([3, 3, 1]), y]], [B([1, 3, 1])], 2)[0], b);
    close(ev({ kind: 'concat' }, [[B([2]), arr(1, 2, 3, 4)], [B([1]), arr(5, 6)]], [B([3])], 2)[0], [1, 2, 5, 3, 4, 6]);
  });
});

describe('dropout', () => {
  const n = 4;
  const shape = [3, 5, 7];
  const size = n * numel(shape);
  const drop = (p: number, seed: number, step: number, xs: Float64Array): Float64Array => ev({ kind: 'dropout', p, seed }, [[B(shape), xs]], [B(shape)], n, step)[0];

  it('keeps element i when dropoutUniform(seed, step, i) ≥ p, scaled by 1/(1 − p); i indexes the whole batch', () => {
    const xs = randomArray(rand, size, 0.5, 1.5);
    const y = drop(0.3, 42, 5, xs);
    y.forEach((v, i) => expect(v).toBe(dropoutUniform(42, 5, i) >= 0.3 ? xs[i] / 0.7 : 0));
    const kept = y.filter((v) => v !== 0).length / size;
    expect(Math.abs(kept - 0.7)).toBeLessThan(0.1);
  });

  it('a new step or seed draws a new mask; the same ones redraw it; the grad uses it', () => {
    const ones = new Float64Array(size).fill(1);
    const base = drop(0.5, 7, 1, ones);
    expect(drop(0.5, 7, 1, ones)).toEqual(base);
    expect(drop(0.5, 7, 2, ones)).not.toEqual(base);
    expect(drop(0.5, 8, 1, ones)).not.toEqual(base);
    expect(ev({ kind: 'dropout_grad', p: 0.5, seed: 7 }, [[B(shape), ones]], [B(shape)], n, 1)[0]).toEqual(base);
  });

  it('p = 0 is the identity; p = 1 drops everything (no 0/0)', () => {
    const xs = randomArray(rand, size);
    expect(drop(0, 3, 0, xs)).toEqual(xs);
    expect(drop(1, 3, 0, xs).every((v) => v === 0)).toBe(true);
  });
});

describe('losses', () => {
  const T = (): TensorSpec => ({ shape: [1], batched: true, role: 'target' });
  const L: TensorSpec = { shape: [], batched: false, role: 'loss' };
  const ce = (logits: Float64Array, c: number, targets: Float64Array): number =>
    ev({ kind: 'softmax_cross_entropy' }, [[B([c]), logits], [T(), targets]], [L], targets.length)[0][0];

  it('cross-entropy: uniform logits give ln C; by hand; mean over the batch', () => {
    expect(ce(new Float64Array(8).fill(0.3), 4, arr(1, 3))).toBeCloseTo(Math.log(4), 14);
    expect(ce(arr(0, Math.log(3)), 2, arr(1))).toBeCloseTo(Math.log(4 / 3), 14);
    expect(ce(arr(0, Math.log(3), 0, Math.log(3)), 2, arr(1, 0))).toBeCloseTo((Math.log(4 / 3) + Math.log(4)) / 2, 14);
    expect(ce(arr(1000, 0), 2, arr(1))).toBeCloseTo(1000, 10);
  });

  it('cross-entropy grad: (softmax − onehot)/N, by hand', () => {
    const g = ev({ kind: 'softmax_cross_entropy_grad' }, [[B([2]), arr(0, Math.log(3), 0, Math.log(3))], [T(), arr(1, 0)]], [B([2])], 2)[0];
    close(g, [0.25 / 2, -0.25 / 2, -0.75 / 2, 0.75 / 2]);
  });

  it('a target that is not a class index makes the loss and its grad NaN, never a silent value', () => {
    for (const bad of [2, -1, 0.5, NaN]) {
      expect(ce(arr(0, 1), 2, arr(bad))).toBeNaN();
      const g = ev({ kind: 'softmax_cross_entropy_grad' }, [[B([2]), arr(0, 1)], [T(), arr(bad)]], [B([2])], 1)[0];
      expect(relError(g, [0, 0])).toBe(Infinity);
    }
  });

  it('mse: mean over all elements; grad 2(pred − target)/(N·F), by hand', () => {
    const [pred, target] = [arr(1, 2, 3, 4, 5, 6), arr(0, 0, 0, 1, 1, 1)];
    expect(ev({ kind: 'mse' }, [[B([3]), pred], [B([3]), target]], [L], 2)[0][0]).toBeCloseTo((1 + 4 + 9 + 9 + 16 + 25) / 6, 14);
    close(ev({ kind: 'mse_grad' }, [[B([3]), pred], [B([3]), target]], [B([3])], 2)[0], [1, 2, 3, 3, 4, 5].map((v) => v / 3));
  });
});

