import { DataError } from '../errors.js';

/**
 * A labelled image data set held in memory as plain data, the form every loader returns and
 * every later stage (splits, normalisation, batches, augmentation) takes.
 */
export interface Dataset {
  /** N×C×H×W, row-major; loaders scale pixels to [0, 1]. */
  readonly images: Float32Array;
  /** N class indices in [0, classes). */
  readonly labels: Int32Array;
  /** [C, H, W] of one image. */
  readonly shape: readonly [number, number, number];
  readonly classes: number;
  readonly classNames?: readonly string[];
}

export function imageSize(shape: readonly [number, number, number]): number {
  return shape[0] * shape[1] * shape[2];
}

export function datasetSize(ds: Dataset): number {
  return ds.labels.length;
}

/** The images at `indices`, in that order (copies; the source is left as it is). */
export function subset(ds: Dataset, indices: ArrayLike<number>): Dataset {
  const size = imageSize(ds.shape);
  const images = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i];
    images.set(ds.images.subarray(j * size, (j + 1) * size), i * size);
    labels[i] = ds.labels[j];
  }
  return { ...ds, images, labels };
}

/** Bytes 0..255 → [0, 1]. */
export function bytesToUnit(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] / 255;
  return out;
}

/** Checks that every label is below `classes`, naming the file and the first bad record. */
export function checkLabels(labels: ArrayLike<number>, classes: number, file: string): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= classes) throw new DataError('E_DATA_LABEL', `label ${labels[i]} of record ${i} is not below ${classes}`, file);
  }
}
