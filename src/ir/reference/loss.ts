import { expectLength, type NCP } from './util.js';

/**
 * Softmax cross-entropy (torch.nn.functional.cross_entropy, reduction 'mean'). Logits are N×C
 * (flat) or N×C×H×W; targets hold one class index per (sample, position) as a float. The mean is
 * over all N·P terms, which is the batch mean for flat logits. A target that is not an integer in
 * [0, C) makes its term NaN: bad data, which PyTorch rejects, must not pass silently.
 */
export function softmaxCrossEntropy(logits: Float64Array, target: Float64Array, d: NCP): Float64Array {
  let total = 0;
  forEachRow(logits, target, d, (at, t, lse) => (total += t < 0 ? NaN : lse - logits[at(t)]));
  return Float64Array.of(total / (d.n * d.p));
}

/** dlogits = (softmax(logits) − onehot(target)) / (N·P). */
export function softmaxCrossEntropyGrad(logits: Float64Array, target: Float64Array, d: NCP): Float64Array {
  const dx = new Float64Array(logits.length);
  const scale = 1 / (d.n * d.p);
  forEachRow(logits, target, d, (at, t, lse) => {
    for (let c = 0; c < d.c; c++) dx[at(c)] = t < 0 ? NaN : (Math.exp(logits[at(c)] - lse) - (c === t ? 1 : 0)) * scale;
  });
  return dx;
}

/**
 * Calls f per (sample, position) with its indexer, its target class (−1 when the target is not a
 * valid class index) and the log-sum-exp of its logits.
 */
function forEachRow(logits: Float64Array, target: Float64Array, d: NCP, f: (at: (c: number) => number, t: number, lse: number) => void): void {
  expectLength(logits, d.n * d.c * d.p, 'cross-entropy logits');
  expectLength(target, d.n * d.p, 'cross-entropy target');
  for (let n = 0; n < d.n; n++)
    for (let p = 0; p < d.p; p++) {
      const at = (c: number): number => (n * d.c + c) * d.p + p;
      let m = -Infinity;
      for (let c = 0; c < d.c; c++) m = Math.max(m, logits[at(c)]);
      let s = 0;
      for (let c = 0; c < d.c; c++) s += Math.exp(logits[at(c)] - m);
      const t = target[n * d.p + p];
      f(at, Number.isInteger(t) && t >= 0 && t < d.c ? t : -1, m + Math.log(s));
    }
}

/** Mean over all elements of (pred − target)². */
export function mse(pred: Float64Array, target: Float64Array): Float64Array {
  expectLength(target, pred.length, 'mse target');
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += (pred[i] - target[i]) ** 2;
  return Float64Array.of(s / pred.length);
}

/** dpred = 2(pred − target)/(N·F). */
export function mseGrad(pred: Float64Array, target: Float64Array): Float64Array {
  expectLength(target, pred.length, 'mse_grad target');
  return pred.map((v, i) => (2 * (v - target[i])) / pred.length);
}
