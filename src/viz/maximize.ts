import { Rng } from '../train/data/rng.js';

/**
 * Activation maximisation (Erhan et al., 2009; regularised as in Yosinski et al., 2015): gradient
 * ascent on the input image, from a flat image with a little noise, on the mean of one channel of
 * one layer. Left alone, ascent finds high-frequency patterns no image has, so after every step
 * the image decays towards a base level (L2 decay; the data's mean pixel makes the untouched
 * background look like the data's), is blurred every other step (a small Gaussian, which damps
 * the high frequencies the gradient keeps adding) and is clipped to the data range. Steps are
 * normalised by the gradient's RMS, so `lr` is in pixel units whatever the layer's scale. The
 * defaults were chosen by eye on LeNet-5's class scores (docs/images/maximize-*.png): less decay
 * or blur gave busy, saturated strokes, more gave faint ones.
 */

export interface MaximizeOptions {
  readonly steps?: number;
  /** Pixel change per step, in units of the data range (default 0.05). */
  readonly lr?: number;
  /** Fraction of the distance to the base level removed after each step (default 0.02). */
  readonly decay?: number;
  /** Blur every this many steps (0: never; default 2). */
  readonly blurEvery?: number;
  /** Standard deviation of the blur, in pixels (default 0.7). */
  readonly blurSigma?: number;
  /** Per channel (one value for all), where the image starts, plus a little noise, and decays to (default: mid-range). */
  readonly base?: readonly number[];
  /** The data range pixels are clipped to (default [0, 1]). */
  readonly range?: readonly [number, number];
  readonly seed?: number;
  /** Called after every step: the step count and the objective before it. */
  readonly onStep?: (done: number, total: number, value: number) => void;
}

/** The objective and its gradient at an image (pixel space, one image). */
export type ObjectiveFn = (x: Float32Array) => Promise<{ value: number; grad: Float32Array }>;

export interface MaximizeResult {
  readonly image: Float32Array;
  /** The objective at the starting image and at the final one. */
  readonly before: number;
  readonly after: number;
  /** The objective before each step. */
  readonly history: readonly number[];
}

export async function maximizeActivation(objective: ObjectiveFn, shape: readonly number[], opts: MaximizeOptions = {}): Promise<MaximizeResult> {
  const [c, h, w] = shape;
  const steps = opts.steps ?? 200;
  const lr = opts.lr ?? 0.05;
  const decay = opts.decay ?? 0.02;
  const blurEvery = opts.blurEvery ?? 2;
  const sigma = opts.blurSigma ?? 0.7;
  const [lo, hi] = opts.range ?? [0, 1];
  const levels = opts.base ?? [(lo + hi) / 2];
  const base = Float32Array.from({ length: c * h * w }, (_, i) => levels[Math.min(Math.floor(i / (h * w)), levels.length - 1)]);
  const rng = new Rng(opts.seed ?? 0, 0x6d6178);
  let x: Float32Array = base.map((b) => Math.min(hi, Math.max(lo, b + (rng.uniform() - 0.5) * 0.1 * (hi - lo))));
  const history: number[] = [];
  for (let step = 0; step < steps; step++) {
    const { value, grad } = await objective(x);
    history.push(value);
    let sq = 0;
    for (const g of grad) sq += g * g;
    const rms = Math.sqrt(sq / grad.length);
    if (!(rms > 0) || !Number.isFinite(rms)) break; // a dead unit (or NaN): nothing to climb
    const k = (lr * (hi - lo)) / rms;
    x = x.map((v, i) => base[i] + (v + k * grad[i] - base[i]) * (1 - decay));
    if (blurEvery > 0 && (step + 1) % blurEvery === 0) x = gaussianBlur(x, shape, sigma);
    for (let i = 0; i < x.length; i++) x[i] = Math.min(hi, Math.max(lo, x[i]));
    opts.onStep?.(step + 1, steps, value);
  }
  const after = (await objective(x)).value;
  return { image: x, before: history[0] ?? after, after, history };
}

/** A separable Gaussian blur of each channel, edges repeated (so the border does not darken). */
export function gaussianBlur(x: Float32Array, shape: readonly number[], sigma: number): Float32Array {
  const [c, h, w] = shape;
  const r = Math.max(1, Math.ceil(3 * sigma));
  const kernel = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const total = kernel.reduce((s, v) => s + v, 0);
  const k = kernel.map((v) => v / total);
  const clamp = (v: number, n: number) => Math.min(n - 1, Math.max(0, v));
  const tmp = new Float32Array(x.length);
  const out = new Float32Array(x.length);
  for (let ch = 0; ch < c; ch++) {
    const base = ch * h * w;
    for (let y = 0; y < h; y++)
      for (let xx = 0; xx < w; xx++) {
        let s = 0;
        for (let i = -r; i <= r; i++) s += k[i + r] * x[base + y * w + clamp(xx + i, w)];
        tmp[base + y * w + xx] = s;
      }
    for (let y = 0; y < h; y++)
      for (let xx = 0; xx < w; xx++) {
        let s = 0;
        for (let i = -r; i <= r; i++) s += k[i + r] * tmp[base + clamp(y + i, h) * w + xx];
        out[base + y * w + xx] = s;
      }
  }
  return out;
}
