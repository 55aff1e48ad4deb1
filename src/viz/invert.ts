import { Rng } from '../train/data/rng.js';

/**
 * Code inversion (Mahendran and Vedaldi, 2015): given an image's representation φ₀ at a layer,
 * find an image x whose representation is the same, by gradient descent on
 *
 *   ‖φ(x) − φ₀‖² / ‖φ₀‖²  +  λ_TV · TV(x)  +  λ_α · ‖x − m‖_α^α
 *
 * where TV(x) is the mean squared difference between neighbouring pixels (the paper's TV^β with
 * β = 2: it prefers piecewise-smooth images), the α-norm (α = 6) keeps pixels near the data's
 * mean m instead of running to extremes, and pixels are clipped to the data range. Both priors are
 * per pixel in pixel units, so their weights do not depend on the image size. The representation
 * term is normalised by ‖φ₀‖², so one learning rate suits every layer. Adam (in pixel space) with
 * a learning rate decaying linearly to a tenth makes the descent independent of the gradient's
 * scale, which differs by orders of magnitude between layers. The model's part, φ and the
 * gradient of Σ seed·φ, comes from the generated kernels (ModelProbe).
 */

export interface InvertOptions {
  readonly steps?: number;
  /** Adam's step, in units of the data range (default 0.02), decaying linearly to a tenth. */
  readonly lr?: number;
  /** Weight of the total-variation prior (default 0.5: chosen by eye on LeNet-5, where 0.05 left the inversions from its dense layers a high-frequency texture). */
  readonly tv?: number;
  /** Weight of the α-norm prior (default 1e-3), and α (default 6). */
  readonly norm?: number;
  readonly alpha?: number;
  /** Per channel (one value for all): the data's mean pixel, where the search starts (plus noise). */
  readonly base?: readonly number[];
  readonly range?: readonly [number, number];
  readonly seed?: number;
  /** Called after every step: the step count and the representation loss. */
  readonly onStep?: (done: number, total: number, loss: number) => void;
}

/** The model's side: φ at an image, and ∂(Σ seed·φ)/∂x in pixel space. */
export interface Representation {
  represent(x: Float32Array): Promise<Float32Array>;
  pullback(x: Float32Array, seed: Float32Array): Promise<Float32Array>;
}

export interface InvertResult {
  readonly image: Float32Array;
  /** ‖φ(x) − φ₀‖² / ‖φ₀‖² at the start and at the end. */
  readonly before: number;
  readonly after: number;
}

export async function invertRepresentation(model: Representation, target: Float32Array, shape: readonly number[], opts: InvertOptions = {}): Promise<InvertResult> {
  const [c, h, w] = shape;
  const n = c * h * w;
  const steps = opts.steps ?? 300;
  const lr = opts.lr ?? 0.02;
  const tv = opts.tv ?? 0.5;
  const norm = opts.norm ?? 1e-3;
  const alpha = opts.alpha ?? 6;
  const [lo, hi] = opts.range ?? [0, 1];
  const levels = opts.base ?? [(lo + hi) / 2];
  const base = Float32Array.from({ length: n }, (_, i) => levels[Math.min(Math.floor(i / (h * w)), levels.length - 1)]);
  const rng = new Rng(opts.seed ?? 0, 0x696e76);
  const x = base.map((b) => Math.min(hi, Math.max(lo, b + (rng.uniform() - 0.5) * 0.2 * (hi - lo))));
  let scale = 0;
  for (const v of target) scale += v * v;
  // A layer whose output is zero for this image: any image with a zero output inverts it.
  if (!(scale > 0)) scale = 1;
  const m = new Float32Array(n);
  const v = new Float32Array(n);
  const seed = new Float32Array(target.length);
  let before = NaN;
  let loss = NaN;
  for (let step = 0; step < steps; step++) {
    const phi = await model.represent(x);
    loss = 0;
    for (let i = 0; i < phi.length; i++) {
      const d = phi[i] - target[i];
      loss += d * d;
      seed[i] = (2 * d) / scale;
    }
    loss /= scale;
    if (step === 0) before = loss;
    if (!Number.isFinite(loss)) break;
    const grad = await model.pullback(x, seed);
    addPriors(grad, x, base, shape, tv, norm, alpha, hi - lo);
    const rate = lr * (hi - lo) * (1 - (0.9 * step) / Math.max(1, steps - 1));
    const t = step + 1;
    for (let i = 0; i < n; i++) {
      m[i] = 0.9 * m[i] + 0.1 * grad[i];
      v[i] = 0.999 * v[i] + 0.001 * grad[i] * grad[i];
      const mh = m[i] / (1 - 0.9 ** t);
      const vh = v[i] / (1 - 0.999 ** t);
      x[i] = Math.min(hi, Math.max(lo, x[i] - (rate * mh) / (Math.sqrt(vh) + 1e-12)));
    }
    opts.onStep?.(t, steps, loss);
  }
  const last = await model.represent(x);
  let after = 0;
  for (let i = 0; i < last.length; i++) after += (last[i] - target[i]) ** 2;
  return { image: x, before: Number.isNaN(before) ? after / scale : before, after: after / scale };
}

/** Adds the gradients of λ_TV·TV(x) and λ_α·mean|(x − m)/range|^α to `grad`, in place. */
function addPriors(grad: Float32Array, x: Float32Array, base: Float32Array, shape: readonly number[], tv: number, norm: number, alpha: number, range: number): void {
  const [c, h, w] = shape;
  const n = c * h * w;
  // TV = (1/n) Σ over neighbour pairs (x_a − x_b)²: each pair adds ±2(x_a − x_b)/n.
  const k = (2 * tv) / n;
  for (let ch = 0; ch < c; ch++) {
    const o = ch * h * w;
    for (let y = 0; y < h; y++)
      for (let xx = 0; xx < w; xx++) {
        const i = o + y * w + xx;
        if (xx + 1 < w) {
          const d = k * (x[i] - x[i + 1]);
          grad[i] += d;
          grad[i + 1] -= d;
        }
        if (y + 1 < h) {
          const d = k * (x[i] - x[i + w]);
          grad[i] += d;
          grad[i + w] -= d;
        }
      }
  }
  if (norm > 0) {
    for (let i = 0; i < n; i++) {
      const u = (x[i] - base[i]) / range;
      grad[i] += (norm * alpha * Math.sign(u) * Math.abs(u) ** (alpha - 1)) / (range * n);
    }
  }
}

/** Total variation as the prior counts it (mean squared neighbour difference), for tests and reports. */
export function totalVariation(x: ArrayLike<number>, shape: readonly number[]): number {
  const [c, h, w] = shape;
  let s = 0;
  for (let ch = 0; ch < c; ch++)
    for (let y = 0; y < h; y++)
      for (let xx = 0; xx < w; xx++) {
        const i = (ch * h + y) * w + xx;
        if (xx + 1 < w) s += (x[i] - x[i + 1]) ** 2;
        if (y + 1 < h) s += (x[i] - x[i + w]) ** 2;
      }
  return s / (c * h * w);
}
