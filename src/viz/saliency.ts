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
