import { DataError } from '../errors.js';
import type { ColorPca } from './color-pca.js';
import { Rng } from './rng.js';

/**
 * On-the-fly augmentation of a batch, AlexNet's two forms: geometric (random translation, zero
 * fill; horizontal reflection) and colour (add to every pixel's RGB the principal components of
 * the data set's colours, each scaled by its eigenvalue times a draw from N(0, σ), one draw per
 * image; grey images have no colour, so their intensity is scaled by 1 + N(0, σ) instead).
 *
 * Each image's random numbers come from its own stream keyed by (seed, epoch, batch, image), so a
 * batch is a pure function of its key: reproducible, and independent of which batches came before.
 * All draws happen whatever is enabled, so turning one option on never changes another's draws.
 * Values are not clamped: the input may already be normalised.
 */

export interface AugmentOptions {
  /** Largest shift in pixels, each axis drawn uniformly from [-k, k]. */
  readonly translate?: number;
  /** Probability of a horizontal flip. */
  readonly flip?: number;
  /** σ of the colour jitter (AlexNet used 0.1); RGB images need `pca`. */
  readonly colorSigma?: number;
  readonly pca?: ColorPca;
}

export interface AugmentKey {
  readonly seed: number;
  readonly epoch: number;
  readonly batch: number;
}

/** What is done to one image. */
export interface ImageAugmentation {
  readonly dx: number;
  readonly dy: number;
  readonly flip: boolean;
  /** Draws from N(0, σ): per principal component (RGB), or alpha[0] for the grey scale factor. */
  readonly alpha: readonly [number, number, number];
}

type Shape = readonly [number, number, number];

export function drawAugmentation(options: AugmentOptions, key: AugmentKey, image: number): ImageAugmentation {
  const rng = new Rng(key.seed, key.epoch, key.batch, image, 0x4155);
  const k = Math.max(0, Math.floor(options.translate ?? 0));
  const dy = rng.int(2 * k + 1) - k;
  const dx = rng.int(2 * k + 1) - k;
  const flip = rng.uniform() < (options.flip ?? 0);
  const sigma = options.colorSigma ?? 0;
  const alpha: [number, number, number] = [rng.normal() * sigma, rng.normal() * sigma, rng.normal() * sigma];
  return { dx, dy, flip, alpha };
}

/**
 * One C×H×W image with `aug` applied: out[c][y][x] = in[c][y − dy][x' − dx] (x' mirrored when
 * flipping), 0 where that falls outside, plus the colour offset.
 */
export function augmentImage(src: Float32Array, shape: Shape, aug: ImageAugmentation, pca?: ColorPca, out = new Float32Array(src.length)): Float32Array {
  const [c, h, w] = shape;
  const offset = colorOffset(c, aug, pca);
  const scale = c === 1 ? 1 + aug.alpha[0] : 1;
  for (let ch = 0; ch < c; ch++) {
    const base = ch * h * w;
    const add = offset[ch] ?? 0;
    for (let y = 0; y < h; y++) {
      const sy = y - aug.dy;
      for (let x = 0; x < w; x++) {
        const tx = x - aug.dx;
        const sx = aug.flip ? w - 1 - tx : tx;
        const inside = sy >= 0 && sy < h && tx >= 0 && tx < w;
        out[base + y * w + x] = inside ? src[base + sy * w + sx] * scale + add : 0;
      }
    }
  }
  return out;
}

function colorOffset(channels: number, aug: ImageAugmentation, pca: ColorPca | undefined): number[] {
  if (channels === 1 || aug.alpha.every((a) => a === 0)) return [];
  if (channels !== 3) throw new DataError('E_DATA_OPTION', `colour jitter needs 1 or 3 channels, not ${channels}`);
  if (pca === undefined) throw new DataError('E_DATA_OPTION', 'colour jitter of RGB images needs the data set\'s colour PCA');
  const out = [0, 0, 0];
  for (let i = 0; i < 3; i++) {
    const weight = aug.alpha[i] * pca.eigenvalues[i];
    for (let ch = 0; ch < 3; ch++) out[ch] += pca.eigenvectors[i][ch] * weight;
  }
  return out;
}

/** The first `n` images of a batch x (N×C×H×W), augmented; rows from n on are copied as they are. */
export function augmentBatch(x: Float32Array, n: number, shape: Shape, options: AugmentOptions, key: AugmentKey): Float32Array {
  const size = shape[0] * shape[1] * shape[2];
  const out = new Float32Array(x.length);
  for (let i = 0; i < n; i++) {
    const aug = drawAugmentation(options, key, i);
    augmentImage(x.subarray(i * size, (i + 1) * size), shape, aug, options.pca, out.subarray(i * size, (i + 1) * size));
  }
  out.set(x.subarray(n * size), n * size);
  return out;
}

/** A `transform` for `batches`: augmentation keyed by (seed, epoch, batch index). */
export function augmenter(shape: Shape, options: AugmentOptions, seed: number, epoch: number): (x: Float32Array, n: number, index: number) => Float32Array {
  return (x, n, batch) => augmentBatch(x, n, shape, options, { seed, epoch, batch });
}
