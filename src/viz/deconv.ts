import { grid, imagePicture, scaleFor, upscale, type Picture } from './raster.js';

/**
 * Reconstruction by deconvolution (Zeiler and Fergus, 2014): one activation of a layer, the rest
 * of the layer zeroed, projected back to pixels through the transposed convolutions, max
 * unpooling with the switches of the forward pass, and relu on the way down. The backward pass
 * itself is the generated one (ModelProbe.gradient with `relu: 'deconvnet'`); this file picks the
 * activations, builds the seeds and draws the result.
 */

/** One activation to project: a channel of the layer and a position in its map (0 for a dense layer). */
export interface Pick {
  readonly channel: number;
  /** Row-major index in the channel's H×W map. */
  readonly position: number;
  readonly value: number;
}

/**
 * The k strongest activations of one sample's layer output (C×H×W or F): with `channel`, its k
 * strongest positions; without, the k channels whose strongest activation is largest, each at that
 * position (as Zeiler and Fergus show the top activations of different feature maps). Only
 * positive activations are picked: relu on the way down would project a negative one to nothing.
 */
export function strongestActivations(a: ArrayLike<number>, shape: readonly number[], k: number, channel?: number): Pick[] {
  const c = shape[0];
  const p = shape.length === 3 ? shape[1] * shape[2] : 1;
  if (a.length !== c * p) throw new Error(`internal: ${a.length} activations for ${shape.join('×')}`);
  const candidates: Pick[] = [];
  if (channel !== undefined) {
    for (let i = 0; i < p; i++) candidates.push({ channel, position: i, value: a[channel * p + i] });
  } else {
    for (let ch = 0; ch < c; ch++) {
      let best = 0;
      for (let i = 1; i < p; i++) if (a[ch * p + i] > a[ch * p + best]) best = i;
      candidates.push({ channel: ch, position: best, value: a[ch * p + best] });
    }
  }
  return candidates
    .filter((x) => x.value > 0 && Number.isFinite(x.value))
    .sort((x, y) => y.value - x.value || x.channel - y.channel || x.position - y.position)
    .slice(0, k);
}

/** One seed per pick (batch × C·H·W): the picked activation's own value, every other one zero. */
export function deconvSeeds(picks: readonly Pick[], shape: readonly number[]): Float32Array {
  const per = shape.reduce((x, y) => x * y, 1);
  const p = shape.length === 3 ? shape[1] * shape[2] : 1;
  const seeds = new Float32Array(picks.length * per);
  picks.forEach((pick, b) => (seeds[b * per + pick.channel * p + pick.position] = pick.value));
  return seeds;
}

/** Rows and columns [y0, y1) × [x0, x1) where a reconstruction (C×H×W) is not zero; the whole image when it is zero everywhere. */
export interface Box {
  readonly y0: number;
  readonly y1: number;
  readonly x0: number;
  readonly x1: number;
}

export function supportBox(recon: ArrayLike<number>, shape: readonly number[]): Box {
  const [c, h, w] = shape;
  let peak = 0;
  for (let i = 0; i < c * h * w; i++) if (Number.isFinite(recon[i])) peak = Math.max(peak, Math.abs(recon[i]));
  let y0 = h;
  let y1 = 0;
  let x0 = w;
  let x1 = 0;
  // Float noise far below the peak is not support.
  const floor = peak * 1e-6;
  for (let k = 0; k < c; k++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        if (!(Math.abs(recon[(k * h + y) * w + x]) > floor)) continue;
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y + 1);
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x + 1);
      }
  return y1 > y0 ? { y0, y1, x0, x1 } : { y0: 0, y1: h, x0: 0, x1: w };
}

/** A C×H×W signed map for display: 0 is mid-grey, the largest |value| black or white (each channel for RGB). */
export function signedUnit(recon: ArrayLike<number>): Float32Array {
  let peak = 0;
  for (let i = 0; i < recon.length; i++) if (Number.isFinite(recon[i])) peak = Math.max(peak, Math.abs(recon[i]));
  return Float32Array.from({ length: recon.length }, (_, i) => (peak > 0 && Number.isFinite(recon[i]) ? 0.5 + (0.5 * recon[i]) / peak : 0.5));
}

/** The box of a C×H×W map, as a C×h×w map. */
export function crop(chw: ArrayLike<number>, shape: readonly number[], box: Box): Float32Array {
  const [c, h, w] = shape;
  const bh = box.y1 - box.y0;
  const bw = box.x1 - box.x0;
  const out = new Float32Array(c * bh * bw);
  for (let k = 0; k < c; k++) for (let y = 0; y < bh; y++) for (let x = 0; x < bw; x++) out[(k * bh + y) * bw + x] = chw[(k * h + box.y0 + y) * w + box.x0 + x];
  return out;
}

/**
 * One row per pick: the whole reconstruction, the reconstruction inside its support (the part of
 * the image the activation sees) and the same patch of the image, the patches enlarged to the
 * size of the whole.
 */
export function renderDeconvolution(image: ArrayLike<number>, shape: readonly number[], recons: Float32Array, boxes: readonly Box[], scale?: number): Picture {
  const [c, h, w] = shape;
  const per = c * h * w;
  const s = scale ?? scaleFor(h, w, 112);
  const tiles: Picture[] = [];
  boxes.forEach((box, i) => {
    const unit = signedUnit(recons.subarray(i * per, (i + 1) * per));
    const patch = [c, box.y1 - box.y0, box.x1 - box.x0];
    const zoom = Math.max(1, Math.floor((s * Math.max(h, w)) / Math.max(patch[1], patch[2])));
    tiles.push(upscale(imagePicture(unit, shape), s), upscale(imagePicture(crop(unit, shape, box), patch), zoom), upscale(imagePicture(crop(image, shape, box), patch), zoom));
  });
  return grid(tiles, { columns: 3, gap: 2 });
}
