import type { Activation } from '../engine/probe.js';
import { numel } from '../ir/graph.js';
import { blank, blit, grey, grid, normalise, scaleFor, upscale, GAP_COLOUR, type Picture } from './raster.js';

/**
 * A layer's output for one image as pictures: a C×H×W map as a grid of its C channels, each
 * normalised on its own (so a weak channel still shows its pattern; the table printed beside it
 * gives the scales); a flat vector of F features as one tile of cells, normalised as a whole.
 */

export interface ActivationPictureOptions {
  /** Whole-number enlargement (default: channels of at least 56 pixels). */
  readonly scale?: number;
}

/** The values of sample `sample` of an activation. */
export function sampleOf(a: Activation, sample: number): Float32Array {
  const n = numel(a.shape);
  return a.data.subarray(sample * n, (sample + 1) * n);
}

export function activationPicture(a: Activation, sample = 0, opts: ActivationPictureOptions = {}): Picture {
  const v = sampleOf(a, sample);
  if (a.shape.length === 3) {
    const [c, h, w] = a.shape;
    const scale = opts.scale ?? scaleFor(h, w, 56);
    const tiles = Array.from({ length: c }, (_, k) => upscale(grey(normalise(v.subarray(k * h * w, (k + 1) * h * w)), h, w), scale));
    return grid(tiles);
  }
  return grid([vectorTile(v, opts.scale)]);
}

/**
 * F values row by row: one row when there are few (class scores read left to right), else a
 * near-square block; cells past the end are left in the gap colour. Cells are at least 12 pixels.
 */
function vectorTile(v: Float32Array, scale?: number): Picture {
  const width = v.length <= 16 ? v.length : Math.ceil(Math.sqrt(v.length));
  const height = Math.ceil(v.length / width);
  const unit = normalise(v);
  const cell = scale ?? Math.max(12, scaleFor(height, width, 56));
  const out = blank(width * cell, height * cell, GAP_COLOUR);
  for (let i = 0; i < v.length; i++) blit(out, upscale(grey(unit.subarray(i, i + 1), 1, 1), cell), (i % width) * cell, Math.floor(i / width) * cell);
  return out;
}

/** Numbers to print beside a layer's pictures. */
export interface ActivationStats {
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Fraction of values that are exactly 0 (dead ReLU units). */
  readonly zeros: number;
  /** Values that are NaN or ±∞. */
  readonly nonFinite: number;
}

export function activationStats(values: ArrayLike<number>): ActivationStats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let zeros = 0;
  let nonFinite = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      nonFinite++;
      continue;
    }
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
    if (v === 0) zeros++;
    n++;
  }
  return { min: n ? min : NaN, max: n ? max : NaN, mean: n ? sum / n : NaN, zeros: values.length ? zeros / values.length : 0, nonFinite };
}
