import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CIFAR10_CLASS_NAMES, loadCifar10, parseCifarBatch } from '../../../src/train/data/cifar10.js';
import { DataError } from '../../../src/train/errors.js';
import { tempDir, thrown } from './tmp.js';

/** Pixel byte of record r, channel c, row y, column x: distinct enough to catch any reordering. */
const pixel = (r: number, c: number, y: number, x: number): number => (r * 31 + c * 85 + y * 7 + x * 3) & 255;

function records(first: number, count: number): Uint8Array {
  const out = new Uint8Array(count * 3073);
  for (let i = 0; i < count; i++) {
    const r = first + i;
    out[i * 3073] = r % 10;
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) out[i * 3073 + 1 + c * 1024 + y * 32 + x] = pixel(r, c, y, x);
    }
  }
  return out;
}

function writeSet(dir: string): void {
  for (let b = 1; b <= 5; b++) writeFileSync(join(dir, `data_batch_${b}.bin`), records((b - 1) * 4, 4));
  writeFileSync(join(dir, 'test_batch.bin'), records(100, 20));
}

describe('CIFAR-10 binary batches', () => {
  it('loads the five training batches in order, CHW, scaled to [0, 1]', () => {
    const dir = tempDir('cifar');
    writeSet(dir);
    const ds = loadCifar10(dir, 'train');
    expect(ds.shape).toEqual([3, 32, 32]);
    expect(ds.labels.length).toBe(20);
    expect(Array.from(ds.labels)).toEqual(Array.from({ length: 20 }, (_, r) => r % 10));
    for (const [r, c, y, x] of [[0, 0, 0, 0], [5, 1, 3, 30], [19, 2, 31, 1], [7, 2, 0, 31]]) {
      expect(ds.images[r * 3072 + c * 1024 + y * 32 + x]).toBeCloseTo(pixel(r, c, y, x) / 255, 7);
    }
    expect(ds.classNames).toEqual(CIFAR10_CLASS_NAMES);
  });

  it('loads the test batch, class names from batches.meta.txt, and the archive folder', () => {
    const root = tempDir('cifar');
    const dir = join(root, 'cifar-10-batches-bin');
    mkdirSync(dir);
    writeSet(dir);
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    writeFileSync(join(dir, 'batches.meta.txt'), names.join('\n') + '\n\n');
    const ds = loadCifar10(root, 'test');
    expect(ds.labels.length).toBe(20);
    expect(ds.labels[0]).toBe(0);
    expect(ds.images[0]).toBeCloseTo(pixel(100, 0, 0, 0) / 255, 7);
    expect(ds.classNames).toEqual(names);
  });

  it('rejects files of the wrong size, bad labels and missing batches', () => {
    const dir = tempDir('cifar');
    const bad = records(0, 2);
    expect((thrown(() => parseCifarBatch(bad.subarray(0, 3073 + 10), 'f.bin')) as DataError).code).toBe('E_DATA_FORMAT');
    expect((thrown(() => parseCifarBatch(new Uint8Array(0), 'f.bin')) as DataError).code).toBe('E_DATA_FORMAT');
    bad[3073] = 10;
    const e = thrown(() => parseCifarBatch(bad, 'f.bin')) as DataError;
    expect(e.code).toBe('E_DATA_LABEL');
    expect(e.message).toContain('f.bin');
    expect(e.message).toContain('record 1');
    writeFileSync(join(dir, 'data_batch_1.bin'), records(0, 1));
    const missing = thrown(() => loadCifar10(dir, 'train')) as DataError;
    expect(missing.code).toBe('E_DATA_MISSING');
    expect(missing.file).toBe(join(dir, 'data_batch_2.bin'));
  });
});
