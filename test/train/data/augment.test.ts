import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { augmentBatch, augmentImage, augmenter, drawAugmentation, type AugmentOptions } from '../../../src/train/data/augment.js';
import { colorPca, eigenSymmetric3, type ColorPca } from '../../../src/train/data/color-pca.js';
import { Rng } from '../../../src/train/data/rng.js';
import { batches } from '../../../src/train/data/batches.js';
import type { Dataset } from '../../../src/train/data/dataset.js';
import { DataError } from '../../../src/train/errors.js';
import { thrown } from './tmp.js';

const randomImages = (count: number, seed: number): Float32Array => {
  const rng = new Rng(seed);
  return Float32Array.from({ length: count }, () => rng.uniform());
};

const noColor = [0, 0, 0] as const;
const SHAPE = [3, 5, 7] as const;

describe('geometric augmentation', () => {
  it('translation shifts content exactly and fills with zeros', () => {
    fc.assert(
      fc.property(fc.integer({ min: -8, max: 8 }), fc.integer({ min: -6, max: 6 }), fc.boolean(), fc.nat(1000), (dx, dy, flip, seed) => {
        const [c, h, w] = SHAPE;
        const src = randomImages(c * h * w, seed);
        const out = augmentImage(src, SHAPE, { dx, dy, flip, alpha: noColor });
        for (let ch = 0; ch < c; ch++) {
          for (let y = 0; y < h; y++) {
            for (let x = 0; x < w; x++) {
              const sy = y - dy;
              const tx = x - dx;
              const inside = sy >= 0 && sy < h && tx >= 0 && tx < w;
              const sx = flip ? w - 1 - tx : tx;
              const want = inside ? src[ch * h * w + sy * w + sx] : 0;
              if (out[ch * h * w + y * w + x] !== want) return false;
            }
          }
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });

  it('flipping twice is the identity; a flip mirrors columns', () => {
    const src = randomImages(3 * 5 * 7, 1);
    const flip = { dx: 0, dy: 0, flip: true, alpha: noColor };
    const once = augmentImage(src, SHAPE, flip);
    expect(once[0]).toBe(src[6]);
    expect(once).not.toEqual(src);
    expect(augmentImage(once, SHAPE, flip)).toEqual(src);
  });

  it('draws shifts within [-k, k], flips with about the asked probability', () => {
    const opts: AugmentOptions = { translate: 2, flip: 0.3 };
    const seen = new Set<number>();
    let flips = 0;
    for (let i = 0; i < 2000; i++) {
      const a = drawAugmentation(opts, { seed: 5, epoch: 0, batch: 0 }, i);
      expect(Math.abs(a.dx)).toBeLessThanOrEqual(2);
      expect(Math.abs(a.dy)).toBeLessThanOrEqual(2);
      seen.add(a.dx);
      if (a.flip) flips++;
    }
    expect([...seen].sort()).toEqual([-1, -2, 0, 1, 2]);
    expect(flips / 2000).toBeGreaterThan(0.25);
    expect(flips / 2000).toBeLessThan(0.35);
  });
});

describe('determinism', () => {
  const opts: AugmentOptions = { translate: 3, flip: 0.5, colorSigma: 0.1, pca: eigenSymmetric3([[0.04, 0.01, 0], [0.01, 0.03, 0.005], [0, 0.005, 0.02]]) };
  const x = randomImages(4 * 105, 9);
  const run = (seed: number, epoch: number, batch: number): Float32Array => augmentBatch(x, 4, SHAPE, opts, { seed, epoch, batch });

  it('is a function of (seed, epoch, batch) only', () => {
    expect(run(1, 2, 3)).toEqual(run(1, 2, 3));
    expect(run(1, 2, 3)).not.toEqual(run(2, 2, 3));
    expect(run(1, 2, 3)).not.toEqual(run(1, 3, 3));
    expect(run(1, 2, 3)).not.toEqual(run(1, 2, 4));
  });

  it('turning one option on leaves the others\' draws alone', () => {
    const key = { seed: 4, epoch: 1, batch: 2 };
    const a = drawAugmentation({ translate: 3 }, key, 0);
    const b = drawAugmentation({ translate: 3, flip: 0.5, colorSigma: 0.2 }, key, 0);
    expect([a.dx, a.dy]).toEqual([b.dx, b.dy]);
  });

  it('leaves padding rows past n untouched, and plugs into batches', () => {
    const padded = augmentBatch(x, 2, SHAPE, opts, { seed: 1, epoch: 0, batch: 0 });
    expect(padded.subarray(210)).toEqual(x.subarray(210));
    const ds: Dataset = { images: x, labels: new Int32Array(4), shape: SHAPE, classes: 1 };
    const viaBatches = [...batches(ds, { batchSize: 4, transform: augmenter(SHAPE, opts, 1, 2) })];
    expect(viaBatches[0].x).toEqual(run(1, 2, 0));
  });
});

describe('colour augmentation', () => {
  it('adds to every pixel the eigenvalue-weighted principal components (AlexNet)', () => {
    const pca: ColorPca = { eigenvalues: [0.5, 0.2, 0.1], eigenvectors: [[0.6, 0.8, 0], [-0.8, 0.6, 0], [0, 0, 1]] };
    const src = randomImages(105, 3);
    const alpha = [0.1, -0.2, 0.3] as const;
    const out = augmentImage(src, SHAPE, { dx: 0, dy: 0, flip: false, alpha }, pca);
    const want = [0.6 * 0.05 - 0.8 * -0.04, 0.8 * 0.05 + 0.6 * -0.04, 0.03];
    for (let c = 0; c < 3; c++) for (let i = 0; i < 35; i++) expect(out[c * 35 + i] - src[c * 35 + i]).toBeCloseTo(want[c], 6);
  });

  it('scales grey intensity, and asks for the PCA of RGB images', () => {
    const src = randomImages(12, 4);
    const out = augmentImage(src, [1, 3, 4], { dx: 0, dy: 0, flip: false, alpha: [0.25, 0, 0] });
    out.forEach((v, i) => expect(v).toBeCloseTo(src[i] * 1.25, 6));
    const e = thrown(() => augmentImage(randomImages(105, 1), SHAPE, { dx: 0, dy: 0, flip: false, alpha: [0.1, 0, 0] }));
    expect((e as DataError).code).toBe('E_DATA_OPTION');
  });

  it('colour PCA recovers a known covariance', () => {
    // Pixels r = a, g = a + b, b = c with a, b, c uniform and independent: known covariance.
    const rng = new Rng(11);
    const n = 20000;
    const images = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) {
      const a = rng.uniform();
      const b = rng.uniform();
      images[i * 3] = a;
      images[i * 3 + 1] = a + b;
      images[i * 3 + 2] = rng.uniform();
    }
    const pca = colorPca(images, [3, 1, 1]);
    const v = 1 / 12;
    const cov = [[v, v, 0], [v, 2 * v, 0], [0, 0, v]];
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const rebuilt = [0, 1, 2].reduce((s, k) => s + pca.eigenvalues[k] * pca.eigenvectors[k][i] * pca.eigenvectors[k][j], 0);
        expect(rebuilt).toBeCloseTo(cov[i][j], 2);
      }
    }
    expect(pca.eigenvalues[0]).toBeGreaterThanOrEqual(pca.eigenvalues[1]);
    expect(pca.eigenvalues[1]).toBeGreaterThanOrEqual(pca.eigenvalues[2]);
  });

  it('the 3×3 eigen-decomposition is exact on random symmetric matrices', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 6, maxLength: 6 }), ([a, b, c, d, e, f]) => {
        const m = [[a, b, c], [b, d, e], [c, e, f]];
        // Positive semi-definite input (M·Mᵀ) so eigenvalues are not clamped.
        const psd = m.map((row, i) => m.map((_, j) => row.reduce((s, x, k) => s + x * m[j][k], 0)));
        const { eigenvalues: l, eigenvectors: v } = eigenSymmetric3(psd);
        for (let i = 0; i < 3; i++) {
          for (let j = 0; j < 3; j++) {
            const rebuilt = l[0] * v[0][i] * v[0][j] + l[1] * v[1][i] * v[1][j] + l[2] * v[2][i] * v[2][j];
            if (Math.abs(rebuilt - psd[i][j]) > 1e-9 * (1 + Math.abs(psd[i][j]) + l[0])) return false;
          }
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});
