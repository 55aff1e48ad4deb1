import type { ModelProbe } from '../engine/probe.js';
import { numel } from '../ir/graph.js';
import { grid, imagePicture, scaleFor, upscale, type Picture } from './raster.js';

/**
 * Nearest neighbours of an image among a data set's images, in a layer's feature space (by default
 * the input of the last dense layer, what the classifier sees) or in pixel space. A network that
 * has learnt to ignore where a digit sits puts a shifted copy of an image right beside it in
 * feature space, while in pixel space the copy may be farther than many other images.
 */

export type Metric = 'cosine' | 'l2';

export interface Neighbour {
  readonly index: number;
  readonly distance: number;
}

/** The tensor whose values are the features: the input of the last dense layer. */
export function defaultFeatureTensor(probe: ModelProbe): number | undefined {
  const dense = [...probe.graph.ops].reverse().find((o) => o.kind === 'dense');
  return dense?.inputs[0];
}

/**
 * Features of `count` images (N×C×H×W), `batch` at a time; `toModel` turns a batch of pixels into
 * the model's input (normalisation), so the whole data set is never copied.
 */
export async function featuresOf(
  probe: ModelProbe, images: Float32Array, count: number, tensor: number, batch = 256, toModel: (x: Float32Array) => Float32Array = (x) => x,
  onBatch?: (done: number, total: number) => void,
): Promise<{ data: Float32Array; dim: number }> {
  const size = numel(probe.inputShape);
  const dim = numel(probe.graph.tensors[tensor].shape);
  const data = new Float32Array(count * dim);
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const [f] = await probe.outputs(toModel(images.subarray(start * size, (start + n) * size)), n, [tensor]);
    data.set(f, start * dim);
    onBatch?.(start + n, count);
  }
  return { data, dim };
}

/** Distance between a and item i of `items` (rows of `dim` values). */
function distance(a: Float32Array, items: Float32Array, i: number, dim: number, metric: Metric, aNorm: number): number {
  const row = items.subarray(i * dim, (i + 1) * dim);
  if (metric === 'l2') {
    let sq = 0;
    for (let j = 0; j < dim; j++) sq += (a[j] - row[j]) ** 2;
    return Math.sqrt(sq);
  }
  // Cosine distance 1 − cos θ, computed as ½‖a/‖a‖ − b/‖b‖‖² (the same number), so an image is at
  // exactly 0 from itself rather than at rounding noise. A zero vector has no direction: it is
  // as far as an orthogonal one.
  let bNorm = 0;
  for (let j = 0; j < dim; j++) bNorm += row[j] * row[j];
  bNorm = Math.sqrt(bNorm);
  if (!(aNorm > 0 && bNorm > 0)) return 1;
  let sq = 0;
  for (let j = 0; j < dim; j++) sq += (a[j] / aNorm - row[j] / bNorm) ** 2;
  return sq / 2;
}

/** The k items closest to `query`, nearest first (ties by index). */
export function nearest(query: Float32Array, items: Float32Array, dim: number, k: number, metric: Metric): Neighbour[] {
  if (query.length !== dim || items.length % dim !== 0) throw new Error(`internal: ${query.length}-value query against rows of ${dim}`);
  const aNorm = Math.sqrt(query.reduce((s, v) => s + v * v, 0));
  const all: Neighbour[] = [];
  for (let i = 0; i < items.length / dim; i++) all.push({ index: i, distance: distance(query, items, i, dim, metric, aNorm) });
  all.sort((a, b) => a.distance - b.distance || a.index - b.index);
  return all.slice(0, k);
}

/**
 * Rows of pictures: each row a query followed by its neighbours (pixel-space images in [0, 1]),
 * enlarged to at least 56 pixels; rows are padded to the longest with empty cells.
 */
export function renderNeighbours(rows: readonly (readonly Float32Array[])[], shape: readonly number[], scale = scaleFor(shape[1], shape[2], 56)): Picture {
  const columns = Math.max(...rows.map((r) => r.length));
  const tiles: Picture[] = [];
  for (const row of rows) {
    row.forEach((img) => tiles.push(upscale(imagePicture(img, shape), scale)));
    for (let i = row.length; i < columns; i++) tiles.push({ width: 0, height: 0, data: new Uint8Array(0) });
  }
  return grid(tiles, { columns });
}
