import { expectLength, type NCP } from './util.js';

/** Sizes of a dense layer: x N×in, w out×in (PyTorch's nn.Linear layout), y N×out. */
export interface DenseDims {
  readonly n: number;
  readonly in: number;
  readonly out: number;
}

/** y = x·wᵀ + b, b optional. */
export function dense(x: Float64Array, w: Float64Array, b: Float64Array | undefined, d: DenseDims): Float64Array {
  expectLength(x, d.n * d.in, 'dense x');
  expectLength(w, d.out * d.in, 'dense w');
  if (b) expectLength(b, d.out, 'dense b');
  const y = new Float64Array(d.n * d.out);
  for (let n = 0; n < d.n; n++)
    for (let o = 0; o < d.out; o++) {
      let s = b ? b[o] : 0;
      for (let i = 0; i < d.in; i++) s += x[n * d.in + i] * w[o * d.in + i];
      y[n * d.out + o] = s;
    }
  return y;
}

/** dx = dy·w. */
export function denseGradInput(dy: Float64Array, w: Float64Array, d: DenseDims): Float64Array {
  expectLength(dy, d.n * d.out, 'dense_grad_input dy');
  expectLength(w, d.out * d.in, 'dense_grad_input w');
  const dx = new Float64Array(d.n * d.in);
  for (let n = 0; n < d.n; n++)
    for (let o = 0; o < d.out; o++) {
      const g = dy[n * d.out + o];
      for (let i = 0; i < d.in; i++) dx[n * d.in + i] += g * w[o * d.in + i];
    }
  return dx;
}

/** dw = dyᵀ·x, summed over the batch. */
export function denseGradWeight(dy: Float64Array, x: Float64Array, d: DenseDims): Float64Array {
  expectLength(dy, d.n * d.out, 'dense_grad_weight dy');
  expectLength(x, d.n * d.in, 'dense_grad_weight x');
  const dw = new Float64Array(d.out * d.in);
  for (let n = 0; n < d.n; n++)
    for (let o = 0; o < d.out; o++) {
      const g = dy[n * d.out + o];
      for (let i = 0; i < d.in; i++) dw[o * d.in + i] += g * x[n * d.in + i];
    }
  return dw;
}

/** db[c] = Σ over the batch and all positions of dy (conv: N×C×H×W; dense: N×F with P = 1). */
export function biasGrad(dy: Float64Array, d: NCP): Float64Array {
  expectLength(dy, d.n * d.c * d.p, 'bias_grad dy');
  const db = new Float64Array(d.c);
  for (let n = 0; n < d.n; n++)
    for (let c = 0; c < d.c; c++) for (let p = 0; p < d.p; p++) db[c] += dy[(n * d.c + c) * d.p + p];
  return db;
}
