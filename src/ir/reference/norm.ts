import { expectLength, type NCP } from './util.js';

/** What batchnorm in training mode produces: the op's outputs and the new running statistics. */
export interface BatchnormTrainResult {
  readonly y: Float64Array;
  readonly mean: Float64Array;
  readonly invstd: Float64Array;
  readonly runningMean: Float64Array;
  readonly runningVar: Float64Array;
}

function checkChannels(d: NCP, what: string, ...perChannel: Float64Array[]): void {
  for (const a of perChannel) expectLength(a, d.c, what);
}

/**
 * Training batchnorm (torch.nn.functional.batch_norm with training=True): per channel, mean and
 * biased variance over N·P values normalise x; the running variance is updated with the unbiased
 * variance (× M/(M−1), M = N·P), as PyTorch does. With M = 1 PyTorch refuses to train; here the
 * correction is skipped (factor 1) so the result stays finite.
 */
export function batchnormTrain(
  x: Float64Array, gamma: Float64Array, beta: Float64Array, runMean: Float64Array, runVar: Float64Array,
  d: NCP, eps: number, momentum: number,
): BatchnormTrainResult {
  expectLength(x, d.n * d.c * d.p, 'batchnorm x');
  checkChannels(d, 'batchnorm per-channel input', gamma, beta, runMean, runVar);
  const m = d.n * d.p;
  const mean = new Float64Array(d.c);
  const invstd = new Float64Array(d.c);
  const runningMean = new Float64Array(d.c);
  const runningVar = new Float64Array(d.c);
  const y = new Float64Array(x.length);
  for (let c = 0; c < d.c; c++) {
    let s = 0;
    for (let n = 0; n < d.n; n++) for (let p = 0; p < d.p; p++) s += x[(n * d.c + c) * d.p + p];
    const mu = s / m;
    // Two passes: the variance from centred values, not E[x²] − E[x]², which cancels badly.
    let v = 0;
    for (let n = 0; n < d.n; n++) for (let p = 0; p < d.p; p++) v += (x[(n * d.c + c) * d.p + p] - mu) ** 2;
    v /= m;
    mean[c] = mu;
    invstd[c] = 1 / Math.sqrt(v + eps);
    for (let n = 0; n < d.n; n++)
      for (let p = 0; p < d.p; p++) {
        const i = (n * d.c + c) * d.p + p;
        y[i] = (x[i] - mu) * invstd[c] * gamma[c] + beta[c];
      }
    runningMean[c] = (1 - momentum) * runMean[c] + momentum * mu;
    runningVar[c] = (1 - momentum) * runVar[c] + momentum * (m > 1 ? (v * m) / (m - 1) : v);
  }
  return { y, mean, invstd, runningMean, runningVar };
}

/** Inference batchnorm: y = (x − running_mean)/√(running_var + eps)·gamma + beta. */
export function batchnormInfer(
  x: Float64Array, gamma: Float64Array, beta: Float64Array, runMean: Float64Array, runVar: Float64Array, d: NCP, eps: number,
): Float64Array {
  expectLength(x, d.n * d.c * d.p, 'batchnorm x');
  checkChannels(d, 'batchnorm per-channel input', gamma, beta, runMean, runVar);
  const y = new Float64Array(x.length);
  for (let i = 0; i < y.length; i++) {
    const c = Math.floor(i / d.p) % d.c;
    y[i] = ((x[i] - runMean[c]) / Math.sqrt(runVar[c] + eps)) * gamma[c] + beta[c];
  }
  return y;
}

/**
 * A conv's (or dense's) weights with the inference batchnorm after it folded in: per output channel
 * o (w's first axis, `perOut` weights each), s = gamma/√(running_var + eps), w' = w·s and
 * b' = (b − running_mean)·s + beta, so conv(x, w') + b' = batchnorm(conv(x, w) + b).
 */
export function batchnormFold(
  w: Float64Array, b: Float64Array | undefined, gamma: Float64Array, beta: Float64Array, runMean: Float64Array, runVar: Float64Array,
  outChannels: number, eps: number,
): { w: Float64Array; b: Float64Array } {
  if (w.length % outChannels !== 0) throw new Error(`reference: batchnorm_fold of ${w.length} weights over ${outChannels} channels`);
  const d: NCP = { n: 1, c: outChannels, p: w.length / outChannels };
  checkChannels(d, 'batchnorm_fold per-channel input', gamma, beta, runMean, runVar, ...(b ? [b] : []));
  const wf = new Float64Array(w.length);
  const bf = new Float64Array(outChannels);
  for (let o = 0; o < outChannels; o++) {
    const s = gamma[o] / Math.sqrt(runVar[o] + eps);
    for (let k = 0; k < d.p; k++) wf[o * d.p + k] = w[o * d.p + k] * s;
    bf[o] = ((b ? b[o] : 0) - runMean[o]) * s + beta[o];
  }
  return { w: wf, b: bf };
}

/** Input gradient of inference batchnorm: dx = dy·gamma/√(running_var + eps), the statistics being constants. */
export function batchnormInferGrad(dy: Float64Array, gamma: Float64Array, runVar: Float64Array, d: NCP, eps: number): Float64Array {
  expectLength(dy, d.n * d.c * d.p, 'batchnorm_infer_grad dy');
  checkChannels(d, 'batchnorm_infer_grad per-channel input', gamma, runVar);
  const dx = new Float64Array(dy.length);
  for (let i = 0; i < dx.length; i++) {
    const c = Math.floor(i / d.p) % d.c;
    dx[i] = (dy[i] * gamma[c]) / Math.sqrt(runVar[c] + eps);
  }
  return dx;
}

/**
 * Backward of training batchnorm, with x̂ = (x − mean)·invstd over the M = N·P values per channel:
 * dβ = Σdy, dγ = Σdy·x̂, dx = γ·invstd/M · (M·dy − dβ − x̂·dγ) (the batch statistics depend on x).
 */
export function batchnormGrad(
  dy: Float64Array, x: Float64Array, gamma: Float64Array, mean: Float64Array, invstd: Float64Array, d: NCP,
): { dx: Float64Array; dgamma: Float64Array; dbeta: Float64Array } {
  expectLength(dy, d.n * d.c * d.p, 'batchnorm_grad dy');
  expectLength(x, d.n * d.c * d.p, 'batchnorm_grad x');
  checkChannels(d, 'batchnorm_grad per-channel input', gamma, mean, invstd);
  const m = d.n * d.p;
  const dx = new Float64Array(x.length);
  const dgamma = new Float64Array(d.c);
  const dbeta = new Float64Array(d.c);
  const each = (c: number, f: (i: number) => void): void => {
    for (let n = 0; n < d.n; n++) for (let p = 0; p < d.p; p++) f((n * d.c + c) * d.p + p);
  };
  for (let c = 0; c < d.c; c++) {
    each(c, (i) => {
      dbeta[c] += dy[i];
      dgamma[c] += dy[i] * (x[i] - mean[c]) * invstd[c];
    });
    const k = (gamma[c] * invstd[c]) / m;
    each(c, (i) => (dx[i] = k * (m * dy[i] - dbeta[c] - (x[i] - mean[c]) * invstd[c] * dgamma[c])));
  }
  return { dx, dgamma, dbeta };
}

export interface LrnAttrs {
  readonly size: number;
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;
}

/**
 * torch.nn.LocalResponseNorm pads the squared input with size//2 zero channels before and
 * (size−1)//2 after, then averages `size` channels: channel c sums x_j² for j from c − ⌊size/2⌋
 * to c + ⌊(size−1)/2⌋ (clipped), always divided by size. Returns D_c = k + α/size·Σx_j².
 */
function lrnDenominators(x: Float64Array, d: NCP, a: LrnAttrs): Float64Array {
  const den = new Float64Array(x.length);
  const before = Math.floor(a.size / 2);
  const after = Math.floor((a.size - 1) / 2);
  for (let n = 0; n < d.n; n++)
    for (let c = 0; c < d.c; c++)
      for (let p = 0; p < d.p; p++) {
        let s = 0;
        for (let j = Math.max(0, c - before); j <= Math.min(d.c - 1, c + after); j++) s += x[(n * d.c + j) * d.p + p] ** 2;
        den[(n * d.c + c) * d.p + p] = a.k + (a.alpha / a.size) * s;
      }
  return den;
}

/** y = x / D^β. */
export function lrn(x: Float64Array, d: NCP, a: LrnAttrs): Float64Array {
  expectLength(x, d.n * d.c * d.p, 'lrn x');
  const den = lrnDenominators(x, d, a);
  return x.map((v, i) => v / den[i] ** a.beta);
}

/**
 * dx_i = dy_i·D_i^−β − (2αβ/size)·x_i·Σ_c dy_c·x_c·D_c^(−β−1), over the channels c whose window
 * holds i: c from i − ⌊(size−1)/2⌋ to i + ⌊size/2⌋ (the window's mirror image).
 */
export function lrnGrad(dy: Float64Array, x: Float64Array, d: NCP, a: LrnAttrs): Float64Array {
  expectLength(dy, d.n * d.c * d.p, 'lrn_grad dy');
  expectLength(x, d.n * d.c * d.p, 'lrn_grad x');
  const den = lrnDenominators(x, d, a);
  // t_c = dy_c·x_c·D_c^(−β−1), the part of each output's derivative shared by its whole window.
  const t = dy.map((g, i) => g * x[i] * den[i] ** (-a.beta - 1));
  const before = Math.floor(a.size / 2);
  const after = Math.floor((a.size - 1) / 2);
  const dx = new Float64Array(x.length);
  for (let n = 0; n < d.n; n++)
    for (let i = 0; i < d.c; i++)
      for (let p = 0; p < d.p; p++) {
        let s = 0;
        for (let c = Math.max(0, i - after); c <= Math.min(d.c - 1, i + before); c++) s += t[(n * d.c + c) * d.p + p];
        const ii = (n * d.c + i) * d.p + p;
        dx[ii] = dy[ii] * den[ii] ** -a.beta - ((2 * a.alpha * a.beta) / a.size) * x[ii] * s;
      }
  return dx;
}
