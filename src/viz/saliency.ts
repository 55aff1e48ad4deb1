import { mulberry32 } from '../ir/random.js';
import { heatPicture, overlay } from './colormap.js';
import { finiteRange, grid, imagePicture, scaleFor, upscale, type Picture } from './raster.js';

/**
 * Saliency (Simonyan, Vedaldi and Zisserman, 2014): how much each input pixel moves the class
 * score, |∂score/∂pixel|, with the largest magnitude over colour channels, so one map serves grey
 * and colour inputs alike.
 */
export function saliencyMap(grad: ArrayLike<number>, shape: readonly number[]): Float32Array {
  const [c, h, w] = shape;
  if (grad.length !== c * h * w) throw new Error(`internal: saliency of ${grad.length} values for ${shape.join('×')}`);
  const out = new Float32Array(h * w);
  for (let k = 0; k < c; k++) for (let i = 0; i < h * w; i++) out[i] = Math.max(out[i], Math.abs(grad[k * h * w + i]));
  return out;
}

/**
 * SmoothGrad (Smilkov et al., 2017): `n` copies of the image with Gaussian noise of standard
 * deviation `sigma` (in the image's units) added, drawn from `seed`, one after another (n×C×H×W).
 */
export function noisyCopies(image: ArrayLike<number>, n: number, sigma: number, seed: number): Float32Array {
  const size = image.length;
  const out = new Float32Array(n * size);
  const uniform = mulberry32(seed);
  for (let i = 0; i < n * size; i++) {
    // Box–Muller; 1 − u keeps the logarithm finite.
    const z = Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
    out[i] = image[i % size] + sigma * z;
  }
  return out;
}

/** The mean over the copies of each copy's saliency map: SmoothGrad's sharper map. */
export function smoothSaliency(grads: Float32Array, n: number, shape: readonly number[]): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(shape[1] * shape[2]);
  for (let i = 0; i < n; i++) {
    const m = saliencyMap(grads.subarray(i * size, (i + 1) * size), shape);
    for (let j = 0; j < out.length; j++) out[j] += m[j] / n;
  }
  return out;
}

/** The map scaled by its largest value to [0, 1] (all zeros stay zeros: nothing is salient). */
export function unitSaliency(map: Float32Array): Float32Array {
  const [, hi] = finiteRange(map);
  return map.map((v) => (hi > 0 && Number.isFinite(v) ? v / hi : 0));
}

export interface SaliencyPictureOptions {
  /** Whole-number enlargement (default: images of at least 168 pixels). */
  readonly scale?: number;
}

/**
 * Three panels in a row, 1 pixel apart: the input image, the saliency heat map (inferno), and
 * the heat map laid over the image.
 */
export function renderSaliency(image: ArrayLike<number>, shape: readonly number[], map: Float32Array, opts: SaliencyPictureOptions = {}): Picture {
  const [, h, w] = shape;
  const scale = opts.scale ?? scaleFor(h, w, 168);
  const base = imagePicture(image, shape);
  const unit = unitSaliency(map);
  const panels = [upscale(base, scale), upscale(heatPicture(unit, h, w), scale), upscale(overlay(base, unit), scale)];
  return grid(panels, { columns: panels.length });
}
