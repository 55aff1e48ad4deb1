import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../errors.js';
import { checkLabels, type Dataset } from './dataset.js';
import { readDataFile } from './read-file.js';

/**
 * CIFAR-10's binary version: each record is one label byte then 3072 pixel bytes, the 1024 red,
 * then green, then blue values of a 32×32 image, rows top to bottom — already C×H×W, so records
 * copy straight into the Dataset layout. The official files hold 10,000 records each; any whole
 * number of records is accepted so that subsets and test fixtures load too.
 */

export type CifarSplit = 'train' | 'test';

export const CIFAR_SHAPE = [3, 32, 32] as const;
const PIXELS = 3 * 32 * 32;
const RECORD = 1 + PIXELS;

export const CIFAR10_CLASS_NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

export const CIFAR10_FILES: Readonly<Record<CifarSplit, readonly string[]>> = {
  train: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
  test: ['test_batch.bin'],
};

/** Records of one batch file: labels and pixels scaled to [0, 1]. */
export function parseCifarBatch(bytes: Uint8Array, file: string): { labels: Uint8Array; images: Float32Array } {
  if (bytes.length === 0 || bytes.length % RECORD !== 0) {
    throw new DataError('E_DATA_FORMAT', `${bytes.length} bytes is not a whole number of ${RECORD}-byte CIFAR-10 records`, file);
  }
  const n = bytes.length / RECORD;
  const labels = new Uint8Array(n);
  const images = new Float32Array(n * PIXELS);
  for (let r = 0; r < n; r++) {
    labels[r] = bytes[r * RECORD];
    const src = r * RECORD + 1;
    const dst = r * PIXELS;
    for (let i = 0; i < PIXELS; i++) images[dst + i] = bytes[src + i] / 255;
  }
  checkLabels(labels, 10, file);
  return { labels, images };
}

/** Class names from batches.meta.txt (one a line) when present, else the published ten. */
export function cifarClassNames(dir: string): string[] {
  const path = join(dir, 'batches.meta.txt');
  if (!existsSync(path)) return [...CIFAR10_CLASS_NAMES];
  const names = new TextDecoder().decode(readDataFile(path)).split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  if (names.length !== 10) throw new DataError('E_DATA_FORMAT', `lists ${names.length} class names, CIFAR-10 has 10`, path);
  return names;
}

/**
 * A split from `dir`, the folder of the .bin files (the archive's `cifar-10-batches-bin/` is
 * looked into when `dir` is its parent). `files` overrides the split's file list.
 */
export function loadCifar10(dir: string, split: CifarSplit = 'train', files: readonly string[] = CIFAR10_FILES[split]): Dataset {
  if (files.length === 0) throw new DataError('E_DATA_OPTION', 'no CIFAR-10 batch files to load', dir);
  const nested = join(dir, 'cifar-10-batches-bin');
  const root = !existsSync(join(dir, files[0])) && existsSync(nested) ? nested : dir;
  const parts = files.map((f) => parseCifarBatch(readDataFile(join(root, f)), join(root, f)));
  const n = parts.reduce((s, p) => s + p.labels.length, 0);
  const images = new Float32Array(n * PIXELS);
  const labels = new Int32Array(n);
  let at = 0;
  for (const p of parts) {
    images.set(p.images, at * PIXELS);
    labels.set(p.labels, at);
    at += p.labels.length;
  }
  return { images, labels, shape: CIFAR_SHAPE, classes: 10, classNames: cifarClassNames(root) };
}
