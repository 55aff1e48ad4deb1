import { DataError } from '../errors.js';

/** Per-channel statistics of a data set, for normalising its inputs. */
export interface ChannelStats {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

type Shape = readonly [number, number, number];

/**
 * Mean and (population) standard deviation of each channel over all images and pixels of
 * `images` (N×C×H×W with [C, H, W] = shape). Sums run in float64: float32 sums over 47 million
 * MNIST pixels would lose digits.
 */
export function channelStats(images: Float32Array, shape: Shape): ChannelStats {
  const channels = shape[0];
  const plane = checkShape(shape);
  const sum = new Float64Array(channels);
  const sq = new Float64Array(channels);
  for (let base = 0, c = 0; base < images.length; base += plane, c = (c + 1) % channels) {
    let s = 0;
    let s2 = 0;
    for (let i = base; i < base + plane; i++) {
      s += images[i];
      s2 += images[i] * images[i];
    }
    sum[c] += s;
    sq[c] += s2;
  }
  const count = images.length / channels;
  const mean = Array.from(sum, (s) => (count ? s / count : 0));
  const std = Array.from(sq, (s2, c) => Math.sqrt(Math.max(count ? s2 / count - mean[c] * mean[c] : 0, 0)));
  return { mean, std };
}

/**
 * (x − mean) / std per channel into `out`, which may be `images` itself to save a copy of the
 * whole data set. A channel with std 0 (constant) is only centred: dividing would make NaNs.
 */
export function normalizeImages(images: Float32Array, shape: Shape, stats: ChannelStats, out = new Float32Array(images.length)): Float32Array {
  const channels = shape[0];
  const plane = checkShape(shape);
  if (stats.mean.length !== channels || stats.std.length !== channels) {
    throw new DataError('E_DATA_OPTION', `normalisation statistics are for ${stats.mean.length} channels, the images have ${channels}`);
  }
  if (out.length !== images.length) throw new DataError('E_DATA_OPTION', `normalisation output holds ${out.length} values, not ${images.length}`);
  for (let base = 0, c = 0; base < images.length; base += plane, c = (c + 1) % channels) {
    const m = stats.mean[c];
    const inv = stats.std[c] > 0 ? 1 / stats.std[c] : 1;
    for (let i = base; i < base + plane; i++) out[i] = (images[i] - m) * inv;
  }
  return out;
}

/** H × W, after checking the shape describes whole, non-empty images. */
function checkShape(shape: Shape): number {
  if (!shape.every((d) => Number.isInteger(d) && d > 0)) throw new DataError('E_DATA_OPTION', `bad image shape [${shape.join(', ')}]`);
  return shape[1] * shape[2];
}
