import type { ModelSession } from '../engine/session.js';
import { batches } from './data/batches.js';
import type { Dataset } from './data/dataset.js';

/** How well a model does on a data set. */
export interface EvalResult {
  readonly count: number;
  /** Mean cross-entropy (or mean squared error against one-hot targets for `mse` models). */
  readonly loss: number;
  readonly accuracy: number;
  /** Only with 10 or more classes. */
  readonly top5?: number;
  /** confusion[true][predicted] counts. */
  readonly confusion: number[][];
}

export interface EvalOptions {
  readonly batch: number;
  readonly loss: 'cross_entropy' | 'mse';
  /** Input preparation (normalisation), applied to every batch. */
  readonly prepare?: (x: Float32Array) => Float32Array;
  /** Stop after this many images (a quick look on a big set). */
  readonly limit?: number;
}

/**
 * Runs the inference graph over `ds` in batches of a fixed size (the last one padded with zero
 * images whose rows are ignored) and scores the logits on the CPU in float64.
 */
export async function evaluate(session: ModelSession, ds: Dataset, opts: EvalOptions): Promise<EvalResult> {
  const score = new Scorer(ds.classes, opts.loss);
  for (const b of batches(ds, { batchSize: opts.batch })) {
    const x = opts.prepare ? opts.prepare(b.x) : b.x;
    const logits = await session.forward(x, opts.batch);
    score.add(logits, b.y, b.n);
    if (opts.limit !== undefined && score.count >= opts.limit) break;
  }
  return score.result();
}

/** Accumulates loss, top-1/top-5 and the confusion matrix from batches of logits. */
export class Scorer {
  count = 0;
  private lossSum = 0;
  private correct = 0;
  private correct5 = 0;
  private readonly confusion: number[][];

  constructor(
    private readonly classes: number,
    private readonly loss: 'cross_entropy' | 'mse',
  ) {
    this.confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  }

  /** Rows 0..n−1 of `logits` (rows × outputs) against their labels; returns how many were right (top-1). */
  add(logits: Float32Array, labels: ArrayLike<number>, n: number): number {
    const k = logits.length / labels.length;
    let right = 0;
    for (let i = 0; i < n; i++) {
      const row = logits.subarray(i * k, (i + 1) * k);
      const y = labels[i];
      this.lossSum += this.loss === 'mse' ? squaredError(row, y) : crossEntropy(row, y);
      const rank = rankOf(row, y);
      if (rank === 0) right++;
      if (rank < 5) this.correct5++;
      const predicted = argmax(row);
      if (y < this.classes && predicted < this.classes) this.confusion[y][predicted]++;
      this.count++;
    }
    this.correct += right;
    return right;
  }

  result(): EvalResult {
    const n = Math.max(1, this.count);
    return {
      count: this.count,
      loss: this.lossSum / n,
      accuracy: this.correct / n,
      top5: this.classes >= 10 ? this.correct5 / n : undefined,
      confusion: this.confusion,
    };
  }
}

export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
  return best;
}

/** How many outputs beat the true class (0: top-1). A NaN row ranks last. */
function rankOf(row: Float32Array, y: number): number {
  const v = row[y];
  if (Number.isNaN(v)) return row.length;
  let r = 0;
  for (let j = 0; j < row.length; j++) if (row[j] > v || (row[j] === v && j < y)) r++;
  return r;
}

/** −log softmax(row)[y], computed stably. */
function crossEntropy(row: Float32Array, y: number): number {
  let max = -Infinity;
  for (const v of row) max = Math.max(max, v);
  let sum = 0;
  for (const v of row) sum += Math.exp(v - max);
  return Math.log(sum) + max - row[y];
}

/** Mean over outputs of (row − onehot(y))², as PyTorch's MSELoss averages. */
function squaredError(row: Float32Array, y: number): number {
  let s = 0;
  for (let j = 0; j < row.length; j++) s += (row[j] - (j === y ? 1 : 0)) ** 2;
  return s / row.length;
}

/** softmax of one row in float64. */
export function softmax(row: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let j = 0; j < row.length; j++) max = Math.max(max, row[j]);
  const e = Array.from({ length: row.length }, (_, j) => Math.exp(row[j] - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}
