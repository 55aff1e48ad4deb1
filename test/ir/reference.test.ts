import { describe, expect, it } from 'vitest';
import type { ConvAttrs, OpKind, Pad4, PoolAttrs } from '../../src/ir/graph.js';
import { evalSingleOp, randomArray, relError, seededRandom, type TensorSpec } from '../../src/ir/reference/testing.js';

/**
 * Forward conv and pooling ops of the reference against hand-computed cases (several confirmed with
 * PyTorch) and properties tying them to simpler ops. Gradients: reference-grad.test.ts; PyTorch
 * golden values: reference-torch.test.ts.
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

const convAttrs = (o: Partial<ConvAttrs> = {}): ConvAttrs => ({ stride: [1, 1], pad: [0, 0, 0, 0], dilation: [1, 1], groups: 1, padMode: 'zeros', ...o });

function conv(x: Float64Array, xShape: number[], w: Float64Array, wShape: number[], yShape: number[], attrs: ConvAttrs, n = 1, b?: Float64Array): Float64Array {
  const ins: [TensorSpec, Float64Array][] = [[B(xShape), x], [U(wShape), w]];
  if (b) ins.push([U([wShape[0]]), b]);
  return ev({ kind: 'conv2d', attrs, bias: !!b }, ins, [B(yShape)], n)[0];
}

describe('conv2d', () => {
  // x = 1…16 in a 4×4 plane; a kernel with distinct taps so any misplaced index shows.
  const x = range(16);
  const w = arr(1, 2, 0, 0, 1, 0, 0, 0, 3);

  it('valid 3×3 conv with bias, by hand (= PyTorch)', () => {
    close(conv(x, [1, 4, 4], w, [1, 1, 3, 3], [1, 2, 2], convAttrs(), 1, arr(0.5)), [44.5, 51.5, 72.5, 79.5]);
  });

  it('stride 2, zero padding 1, by hand (= PyTorch)', () => {
    close(conv(x, [1, 4, 4], w, [1, 1, 3, 3], [1, 2, 2], convAttrs({ stride: [2, 2], pad: [1, 1, 1, 1] })), [19, 27, 61, 79]);
  });

  it('stride 2, replicate padding 1, by hand (= PyTorch padding_mode="replicate")', () => {
    close(conv(x, [1, 4, 4], w, [1, 1, 3, 3], [1, 2, 2], convAttrs({ stride: [2, 2], pad: [1, 1, 1, 1], padMode: 'replicate' })), [22, 35, 66, 79]);
  });

  it('dilation 2 reads every other pixel, by hand', () => {
    const y = conv(range(25), [1, 5, 5], arr(1, 10, 100, 1000), [1, 1, 2, 2], [1, 3, 3], convAttrs({ dilation: [2, 2] }));
    // y(0,0) = x(0,0) + 10·x(0,2) + 100·x(2,0) + 1000·x(2,2); each step right adds 1111, down 5555.
    close(y, Array.from({ length: 9 }, (_, i) => 14131 + 5555 * Math.floor(i / 3) + 1111 * (i % 3)));
  });

  it('dilation equals a kernel with zeros inserted', () => {
    const [xv, wv] = [randomArray(rand, 2 * 2 * 7 * 6), randomArray(rand, 3 * 2 * 2 * 3)];
    const spread = new Float64Array(3 * 2 * 3 * 5);
    wv.forEach((v, i) => {
      // OIHW: plane (o, i) of 2×3 taps becomes a 3×5 plane with the taps at even rows and columns.
      const [plane, ky, kx] = [Math.floor(i / 6), Math.floor(i / 3) % 2, i % 3];
      spread[plane * 15 + ky * 2 * 5 + kx * 2] = v;
    });
    const a = conv(xv, [2, 7, 6], wv, [3, 2, 2, 3], [3, 5, 2], convAttrs({ dilation: [2, 2] }), 2);
    const b = conv(xv, [2, 7, 6], spread, [3, 2, 3, 5], [3, 5, 2], convAttrs(), 2);
    close(a, b);
  });

  /** x with `pad` rows/columns added around each plane, zeros or copies of the nearest edge. */
  function padded(xv: Float64Array, planes: number, h: number, w: number, [t, b, l, r]: Pad4, replicate: boolean): Float64Array {
    const [ph, pw] = [h + t + b, w + l + r];
    const out = new Float64Array(planes * ph * pw);
    for (let p = 0; p < planes; p++)
      for (let y = 0; y < ph; y++)
        for (let x = 0; x < pw; x++) {
          let [sy, sx] = [y - t, x - l];
          if (replicate) [sy, sx] = [Math.min(Math.max(sy, 0), h - 1), Math.min(Math.max(sx, 0), w - 1)];
          else if (sy < 0 || sy >= h || sx < 0 || sx >= w) continue;
          out[(p * ph + y) * pw + x] = xv[(p * h + sy) * w + sx];
        }
    return out;
  }

  for (const padMode of ['zeros', 'replicate'] as const) {
    it(`asymmetric ${padMode} padding equals an unpadded conv of the padded input`, () => {
      const pad: Pad4 = [2, 0, 1, 3];
      const [xv, wv, bv] = [randomArray(rand, 2 * 3 * 5 * 7), randomArray(rand, 4 * 3 * 3 * 2), randomArray(rand, 4)];
      const attrs = { stride: [2, 3] as const, dilation: [1, 2] as const };
      // (5 + 2 − 3)/2 + 1 = 3 rows; (7 + 4 − 3)/3 + 1 = 3 columns.
      const a = conv(xv, [3, 5, 7], wv, [4, 3, 3, 2], [4, 3, 3], convAttrs({ ...attrs, pad, padMode }), 2, bv);
      const b = conv(padded(xv, 6, 5, 7, pad, padMode === 'replicate'), [3, 7, 11], wv, [4, 3, 3, 2], [4, 3, 3], convAttrs(attrs), 2, bv);
      close(a, b);
    });
  }

  it('groups = the per-group convs concatenated; depthwise = one conv per channel', () => {
    for (const [c, o, g] of [[4, 6, 2], [3, 3, 3], [2, 4, 2]]) {
      const n = 2;
      const [h, w, oh, ow] = [7, 5, 3, 2];
      const attrs = convAttrs({ stride: [2, 2], pad: [0, 1, 1, 0], groups: g });
      const [xv, wv, bv] = [randomArray(rand, n * c * h * w), randomArray(rand, o * (c / g) * 9), randomArray(rand, o)];
      const y = conv(xv, [c, h, w], wv, [o, c / g, 3, 3], [o, oh, ow], attrs, n, bv);
      const [cg, og] = [c / g, o / g];
      for (let k = 0; k < g; k++) {
        // This group's input channels and filters, and its part of y.
        const xk = Float64Array.from({ length: n * cg * h * w }, (_, i) => xv[(Math.floor(i / (cg * h * w)) * c + k * cg) * h * w + (i % (cg * h * w))]);
        const wk = wv.subarray(k * og * cg * 9, (k + 1) * og * cg * 9);
        const yk = conv(xk, [cg, h, w], wk, [og, cg, 3, 3], [og, oh, ow], { ...attrs, groups: 1 }, n, bv.subarray(k * og, (k + 1) * og));
        const part = Float64Array.from({ length: yk.length }, (_, i) => y[(Math.floor(i / (og * oh * ow)) * o + k * og) * oh * ow + (i % (og * oh * ow))]);
        close(part, yk);
      }
    }
  });
});

function pool(x: Float64Array, shape: number[], out: number[], attrs: PoolAttrs, n = 1): Float64Array {
  return ev({ kind: 'pool2d', attrs }, [[B(shape), x]], [B(out)], n)[0];
}

const poolAttrs = (mode: PoolAttrs['mode'], k: number, s: number, pad: Pad4 = [0, 0, 0, 0], countPad = true): PoolAttrs => ({ mode, kernel: [k, k], stride: [s, s], pad, countPad });

describe('pool2d, adaptive_pool, maxout', () => {
  const x = arr(1, 5, 2, 0, 3, 4, 8, 7, 0, 1, 1, 1, 9, 2, 3, 4);

  it('2×2 stride 2 windows of every mode, by hand', () => {
    close(pool(x, [1, 4, 4], [1, 2, 2], poolAttrs('max', 2, 2)), [5, 8, 9, 4]);
    close(pool(x, [1, 4, 4], [1, 2, 2], poolAttrs('min', 2, 2)), [1, 0, 0, 1]);
    close(pool(x, [1, 4, 4], [1, 2, 2], poolAttrs('avg', 2, 2)), [13 / 4, 17 / 4, 12 / 4, 9 / 4]);
    close(pool(x, [1, 4, 4], [1, 2, 2], poolAttrs('l2', 2, 2)), [Math.sqrt(51), Math.sqrt(117), Math.sqrt(86), Math.sqrt(27)]);
  });

  it('padding never wins a max or min, nor counts in an L2 sum', () => {
    const neg = x.map((v) => -v - 1);
    // 3×3 stride 1 pad 1 on all-negative input: zero padding would win every max.
    expect(pool(neg, [1, 4, 4], [1, 4, 4], poolAttrs('max', 3, 1, [1, 1, 1, 1])).every((v) => v < 0)).toBe(true);
    expect(pool(x.map((v) => v + 1), [1, 4, 4], [1, 4, 4], poolAttrs('min', 3, 1, [1, 1, 1, 1])).every((v) => v >= 1)).toBe(true);
    // Top-left window of L2 with pad 1 sees x(0..1, 0..1) only.
    expect(pool(x, [1, 4, 4], [1, 4, 4], poolAttrs('l2', 3, 1, [1, 1, 1, 1]))[0]).toBeCloseTo(Math.sqrt(1 + 25 + 9 + 16), 13);
  });

  it('avg countPad divisor = the window clipped to the padded input (= PyTorch count_include_pad)', () => {
    const ones = new Float64Array(9).fill(1);
    close(pool(ones, [1, 3, 3], [1, 3, 3], poolAttrs('avg', 3, 1, [1, 1, 1, 1], true)), [4, 6, 4, 6, 9, 6, 4, 6, 4].map((v) => v / 9));
    close(pool(ones, [1, 3, 3], [1, 3, 3], poolAttrs('avg', 3, 1, [1, 1, 1, 1], false)), new Float64Array(9).fill(1));
    // 6×6, kernel 3, stride 2, pad 1, ceil mode → 4×4; the last window (rows 5…7) is clipped to
    // the padded input's last row 6, so its divisor counts 2 rows: PyTorch gives 0.25 in the corner.
    const y = pool(new Float64Array(36).fill(1), [1, 6, 6], [1, 4, 4], poolAttrs('avg', 3, 2, [1, 1, 1, 1], true));
    close(y, [4 / 9, 6 / 9, 6 / 9, 2 / 6, 6 / 9, 1, 1, 3 / 6, 6 / 9, 1, 1, 3 / 6, 2 / 6, 3 / 6, 3 / 6, 1 / 4]);
    // Without padding, a ceil-mode window past the input divides by its clipped size.
    close(pool(new Float64Array(25).fill(1), [1, 5, 5], [1, 3, 3], poolAttrs('avg', 2, 2, [0, 0, 0, 0], true)), new Float64Array(9).fill(1));
  });

  it('pooling a constant: avg without countPad, max and min give it back; L2 scales with |c|', () => {
    for (const [h, w, k, s, pad, oh, ow] of [[7, 5, 3, 2, [1, 1, 1, 1], 4, 3], [6, 7, 2, 3, [1, 0, 0, 1], 3, 3]] as const) {
      const c = -0.75 - rand();
      const xs = new Float64Array(2 * 3 * h * w).fill(c);
      for (const mode of ['avg', 'max', 'min'] as const) close(pool(xs, [3, h, w], [3, oh, ow], poolAttrs(mode, k, s, pad, false), 2), new Float64Array(2 * 3 * oh * ow).fill(c));
      const ones = pool(xs.map(() => 1), [3, h, w], [3, oh, ow], poolAttrs('l2', k, s, pad), 2);
      close(pool(xs, [3, h, w], [3, oh, ow], poolAttrs('l2', k, s, pad), 2), ones.map((v) => v * -c));
    }
  });

  it('adaptive windows floor(i·H/OH) … ceil((i+1)·H/OH) − 1, by hand', () => {
    const x5 = range(5);
    const out = (mode: 'avg' | 'max', v: Float64Array, h: number, oh: number): Float64Array => ev({ kind: 'adaptive_pool', mode }, [[B([1, h, 1]), v]], [B([1, oh, 1])])[0];
    close(out('avg', x5, 5, 3), [1.5, 3, 4.5]); // windows [0,2) [1,4) [3,5)
    close(out('max', x5, 5, 3), [2, 4, 5]);
    close(out('avg', arr(1, 3), 2, 3), [1, 2, 3]); // [0,1) [0,2) [1,2)
    close(out('max', arr(7, 2), 2, 3), [7, 7, 2]);
  });

  it('adaptive to 1×1 is the global mean / max', () => {
    const xs = randomArray(rand, 2 * 3 * 7 * 5);
    const avg = ev({ kind: 'adaptive_pool', mode: 'avg' }, [[B([3, 7, 5]), xs]], [B([3, 1, 1])], 2)[0];
    const max = ev({ kind: 'adaptive_pool', mode: 'max' }, [[B([3, 7, 5]), xs]], [B([3, 1, 1])], 2)[0];
    for (let p = 0; p < 6; p++) {
      const plane = xs.subarray(p * 35, (p + 1) * 35);
      expect(avg[p]).toBeCloseTo(plane.reduce((s, v) => s + v, 0) / 35, 14);
      expect(max[p]).toBe(Math.max(...plane));
    }
  });

  it('maxout over groups of consecutive channels, flat and spatial, by hand', () => {
    const flat = arr(1, 5, 3, 2, 0, 4);
    close(ev({ kind: 'maxout', k: 2 }, [[B([6]), flat]], [B([3])])[0], [5, 3, 4]);
    close(ev({ kind: 'maxout', k: 3 }, [[B([6]), flat]], [B([2])])[0], [5, 4]);
    // 4 channels × 2 positions: channel pairs (0,1) and (2,3) per position.
    close(ev({ kind: 'maxout', k: 2 }, [[B([4, 1, 2]), arr(1, 8, 2, 7, 3, 6, 4, 5)]], [B([2, 1, 2])])[0], [2, 8, 4, 6]);
  });

  it('ties send the gradient to the first position (row-major / lowest channel)', () => {
    const attrs = poolAttrs('max', 2, 2);
    const tie = arr(3, 3, 3, 3);
    close(ev({ kind: 'pool2d_grad', attrs }, [[B([1, 1, 1]), arr(5)], [B([1, 2, 2]), tie], [B([1, 1, 1]), arr(3)]], [B([1, 2, 2])])[0], [5, 0, 0, 0]);
    close(ev({ kind: 'pool2d_grad', attrs: { ...attrs, mode: 'min' } }, [[B([1, 1, 1]), arr(5)], [B([1, 2, 2]), tie], [B([1, 1, 1]), arr(3)]], [B([1, 2, 2])])[0], [5, 0, 0, 0]);
    close(ev({ kind: 'adaptive_pool_grad', mode: 'max' }, [[B([1, 1, 1]), arr(5)], [B([1, 2, 2]), tie]], [B([1, 2, 2])])[0], [5, 0, 0, 0]);
    close(ev({ kind: 'maxout_grad', k: 2 }, [[B([1]), arr(5)], [B([2]), arr(1, 1)]], [B([2])])[0], [5, 0]);
  });
});

