import { DataError } from '../errors.js';
import { datasetSize, imageSize, type Dataset } from './dataset.js';
import { Rng, permutation } from './rng.js';

/**
 * Mini-batches of a data set. Every batch has room for `batchSize` images, the last one included,
 * so a GPU trainer keeps one set of buffers and one set of pipelines: `n` says how many rows are
 * real, and the rows from `n` on are zero (x zero, label 0, one-hot row all zero).
 */

export interface BatchOptions {
  readonly batchSize: number;
  /** Shuffle with this seed, in a different order each epoch; omitted: the data set's order. */
  readonly seed?: number;
  readonly epoch?: number;
  /** Skip a last, partial batch. */
  readonly dropLast?: boolean;
  /** Labels as one-hot rows (Float32Array, batchSize × classes) instead of indices (Int32Array). */
  readonly oneHot?: boolean;
  /** Start at this batch of the epoch (resuming mid-epoch); earlier batches are not built. */
  readonly from?: number;
  /** Applied to each assembled x, e.g. augmentation keyed by (seed, epoch, index). */
  readonly transform?: (x: Float32Array, n: number, index: number) => Float32Array;
}

export interface Batch<Y extends Int32Array | Float32Array = Int32Array> {
  readonly x: Float32Array;
  readonly y: Y;
  /** Real images in this batch (≤ batchSize). */
  readonly n: number;
  /** Position of the batch in the epoch. */
  readonly index: number;
}

export type LabelsOf<O extends BatchOptions> = O extends { readonly oneHot: true } ? Float32Array : Int32Array;

export function batchCount(size: number, options: BatchOptions): number {
  checkBatchSize(options.batchSize);
  return options.dropLast ? Math.floor(size / options.batchSize) : Math.ceil(size / options.batchSize);
}

/** The order of one epoch: a seeded permutation, or 0..N-1 without a seed. */
export function epochOrder(size: number, options: BatchOptions): Int32Array {
  if (options.seed === undefined) return Int32Array.from({ length: size }, (_, i) => i);
  return permutation(size, new Rng(options.seed, options.epoch ?? 0, 0x4241));
}

export function* batches<O extends BatchOptions>(ds: Dataset, options: O): Generator<Batch<LabelsOf<O>>, void, undefined> {
  const order = epochOrder(datasetSize(ds), options);
  const count = batchCount(order.length, options);
  for (let index = options.from ?? 0; index < count; index++) yield makeBatch(ds, order, index, options) as Batch<LabelsOf<O>>;
}

/**
 * The same batches, each assembled in a macrotask started as soon as the previous one is handed
 * out: while the trainer awaits the GPU, the event loop builds the next batch.
 */
export async function* prefetchBatches<O extends BatchOptions>(ds: Dataset, options: O): AsyncGenerator<Batch<LabelsOf<O>>, void, undefined> {
  const it = batches(ds, options);
  let pending = nextSoon(it);
  for (;;) {
    const r = await pending;
    if (r.done) return;
    pending = nextSoon(it);
    yield r.value;
  }
}

/** A macrotask: Node's setImmediate, or a zero timeout where there is none (a page). */
const soon: (f: () => void) => void = (globalThis as { setImmediate?: (f: () => void) => void }).setImmediate ?? ((f) => setTimeout(f, 0));

function nextSoon<T>(it: Iterator<T, void, undefined>): Promise<IteratorResult<T, void>> {
  const p = new Promise<IteratorResult<T, void>>((resolve, reject) => {
    soon(() => {
      try {
        resolve(it.next());
      } catch (e) {
        reject(e);
      }
    });
  });
  // A consumer that stops early never awaits the last prefetch; its error must not go unhandled.
  p.catch(() => undefined);
  return p;
}

function makeBatch(ds: Dataset, order: Int32Array, index: number, options: BatchOptions): Batch<Int32Array | Float32Array> {
  const { batchSize, oneHot, transform } = options;
  const size = imageSize(ds.shape);
  const start = index * batchSize;
  const n = Math.min(batchSize, order.length - start);
  const x = new Float32Array(batchSize * size);
  const y = oneHot ? new Float32Array(batchSize * ds.classes) : new Int32Array(batchSize);
  for (let i = 0; i < n; i++) {
    const j = order[start + i];
    x.set(ds.images.subarray(j * size, (j + 1) * size), i * size);
    if (oneHot) y[i * ds.classes + ds.labels[j]] = 1;
    else y[i] = ds.labels[j];
  }
  return { x: transform ? transform(x, n, index) : x, y, n, index };
}

function checkBatchSize(b: number): void {
  if (!(Number.isInteger(b) && b > 0)) throw new DataError('E_DATA_OPTION', `batch size ${b} is not a positive integer`);
}
