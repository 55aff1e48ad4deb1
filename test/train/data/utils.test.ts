import { describe, expect, it } from 'vitest';
import { Rng, mixSeed, permutation } from '../../../src/train/data/rng.js';
import { shuffleDataset, splitValidation } from '../../../src/train/data/split.js';
import { channelStats, normalizeImages } from '../../../src/train/data/normalize.js';
import { batchCount, batches, prefetchBatches } from '../../../src/train/data/batches.js';
import type { Dataset } from '../../../src/train/data/dataset.js';
import { DataError } from '../../../src/train/errors.js';
import { thrown } from './tmp.js';

/** N images of shape [2, 2, 3] whose every value is the image index (so order is visible). */
function indexed(n: number): Dataset {
  const images = new Float32Array(n * 12);
  for (let i = 0; i < n; i++) images.fill(i, i * 12, (i + 1) * 12);
  return { images, labels: Int32Array.from({ length: n }, (_, i) => i % 3), shape: [2, 2, 3], classes: 3 };
}
const ids = (ds: Dataset): number[] => Array.from({ length: ds.labels.length }, (_, i) => ds.images[i * 12]);

describe('seeded random numbers', () => {
  it('repeat for a seed and differ between seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 8 }, () => a.next());
    expect(Array.from({ length: 8 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 8 }, () => c.next())).not.toEqual(sa);
    expect(mixSeed(1, 2)).not.toBe(mixSeed(2, 1));
  });

  it('uniform and normal have the right moments', () => {
    const rng = new Rng(7);
    const n = 20000;
    let su = 0;
    let sn = 0;
    let sn2 = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      su += u;
      const z = rng.normal();
      sn += z;
      sn2 += z * z;
    }
    expect(su / n).toBeCloseTo(0.5, 1);
    expect(sn / n).toBeCloseTo(0, 1);
    expect(sn2 / n).toBeCloseTo(1, 1);
  });

  it('permutations are permutations', () => {
    const p = permutation(100, new Rng(3));
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect([...p]).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});

describe('splits and shuffles', () => {
  it('holds out a seeded fraction, disjoint, keeping order', () => {
    const ds = indexed(50);
    const { train, validation } = splitValidation(ds, 0.2, 9);
    expect(validation.labels.length).toBe(10);
    expect(train.labels.length).toBe(40);
    const all = [...ids(train), ...ids(validation)].sort((a, b) => a - b);
    expect(all).toEqual(ids(ds));
    expect(ids(train)).toEqual([...ids(train)].sort((a, b) => a - b));
    expect(train.labels[0]).toBe(ids(train)[0] % 3);
    expect(ids(splitValidation(ds, 0.2, 9).validation)).toEqual(ids(validation));
    expect(ids(splitValidation(ds, 0.2, 10).validation)).not.toEqual(ids(validation));
    expect((thrown(() => splitValidation(ds, 1, 0)) as DataError).code).toBe('E_DATA_OPTION');
  });

  it('shuffles a data set reproducibly, keeping images and labels together', () => {
    const s = shuffleDataset(indexed(30), 1);
    expect(ids(s)).toEqual(ids(shuffleDataset(indexed(30), 1)));
    expect(ids(s)).not.toEqual(ids(indexed(30)));
    ids(s).forEach((id, i) => expect(s.labels[i]).toBe(id % 3));
  });
});

describe('normalisation', () => {
  it('gives each channel mean 0 and std 1', () => {
    const rng = new Rng(2);
    const images = Float32Array.from({ length: 40 * 12 }, (_, i) => (Math.floor(i / 6) % 2 ? 5 : 0) + rng.uniform() * 2);
    const shape = [2, 2, 3] as const;
    const stats = channelStats(images, shape);
    const direct = (c: number): number[] => Array.from(images).filter((_, i) => Math.floor(i / 6) % 2 === c);
    for (const c of [0, 1]) {
      const v = direct(c);
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      expect(stats.mean[c]).toBeCloseTo(mean, 6);
      expect(stats.std[c]).toBeCloseTo(Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length), 6);
    }
    const out = normalizeImages(images, shape, stats);
    const again = channelStats(out, shape);
    for (let c = 0; c < 2; c++) {
      expect(again.mean[c]).toBeCloseTo(0, 5);
      expect(again.std[c]).toBeCloseTo(1, 5);
    }
    // In place, and a constant channel is centred without NaNs.
    const flat = new Float32Array(24).fill(3);
    normalizeImages(flat, shape, channelStats(flat, shape), flat);
    expect(Array.from(flat).every((v) => v === 0)).toBe(true);
    expect((thrown(() => normalizeImages(images, [3, 2, 2], stats)) as DataError).code).toBe('E_DATA_OPTION');
  });
});

describe('batches', () => {
  const ds = indexed(10);

  it('cover every image once per epoch, padding the last batch with zeros', () => {
    const bs = [...batches(ds, { batchSize: 4, seed: 5, epoch: 0 })];
    expect(bs.map((b) => b.n)).toEqual([4, 4, 2]);
    expect(bs.every((b) => b.x.length === 48 && b.y.length === 4)).toBe(true);
    const seen = bs.flatMap((b) => Array.from({ length: b.n }, (_, i) => b.x[i * 12]));
    expect([...seen].sort((a, b) => a - b)).toEqual(ids(ds));
    expect(Array.from(bs[2].x.subarray(24))).toEqual(new Array(24).fill(0));
    expect(Array.from(bs[2].y.subarray(2))).toEqual([0, 0]);
    bs.forEach((b) => Array.from({ length: b.n }, (_, i) => expect(b.y[i]).toBe(b.x[i * 12] % 3)));
    const next = [...batches(ds, { batchSize: 4, seed: 5, epoch: 1 })].flatMap((b) => Array.from({ length: b.n }, (_, i) => b.x[i * 12]));
    expect(next).not.toEqual(seen);
  });

  it('keep the data set order without a seed, drop the last batch on request, and one-hot labels', () => {
    expect([...batches(ds, { batchSize: 3 })][1].x[0]).toBe(3);
    expect(batchCount(10, { batchSize: 3, dropLast: true })).toBe(3);
    expect([...batches(ds, { batchSize: 3, dropLast: true })].length).toBe(3);
    const [first] = batches(ds, { batchSize: 4, oneHot: true });
    const y: Float32Array = first.y;
    expect(Array.from(y)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0]);
    expect((thrown(() => [...batches(ds, { batchSize: 0 })]) as DataError).code).toBe('E_DATA_OPTION');
  });

  it('prefetching yields the same batches', async () => {
    const sync = [...batches(ds, { batchSize: 3, seed: 1 })];
    const prefetched = [];
    for await (const b of prefetchBatches(ds, { batchSize: 3, seed: 1 })) prefetched.push(b);
    expect(prefetched).toEqual(sync);
    // Stopping early is fine, and errors surface to the consumer.
    for await (const b of prefetchBatches(ds, { batchSize: 3 })) if (b.index === 0) break;
    const failing = prefetchBatches(ds, { batchSize: 3, transform: () => { throw new DataError('E_DATA_OPTION', 'boom'); } });
    await expect(failing.next()).rejects.toThrow('boom');
  });
});
