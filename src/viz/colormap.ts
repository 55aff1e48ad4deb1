import type { Picture, Rgb } from './raster.js';

/**
 * Matplotlib's "inferno" colour map (van der Walt and Smith, 2015), sampled at 17 evenly spaced
 * stops from its 256-entry table and interpolated linearly (within 7/255 of the full table).
 * Brightness rises monotonically from black through purple and orange to pale yellow, so a heat
 * map reads correctly in grey print and for the common colour-vision deficiencies, unlike "jet".
 */
const INFERNO: readonly Rgb[] = [
  [0, 0, 4], [11, 7, 36], [33, 12, 74], [60, 9, 101], [87, 16, 109], [112, 25, 110], [137, 34, 106], [163, 43, 97],
  [187, 55, 85], [209, 70, 68], [227, 89, 50], [241, 113, 30], [249, 141, 10], [252, 171, 15], [249, 202, 50],
  [242, 232, 101], [252, 255, 164],
];

/** The colour of t in [0, 1] (clipped; not finite reads as 0). */
export function inferno(t: number): Rgb {
  const u = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  const pos = u * (INFERNO.length - 1);
  const k = Math.min(Math.floor(pos), INFERNO.length - 2);
  const f = pos - k;
  const [a, b] = [INFERNO[k], INFERNO[k + 1]];
  const mix = (c: number): number => Math.round(a[c] * (1 - f) + b[c] * f);
  return [mix(0), mix(1), mix(2)];
}

/** An H×W map of values in [0, 1] in the colour map. */
export function heatPicture(unit: ArrayLike<number>, height: number, width: number): Picture {
  if (unit.length !== height * width) throw new Error(`internal: heat map of ${unit.length} values for ${height}×${width}`);
  const data = new Uint8Array(height * width * 3);
  for (let i = 0; i < height * width; i++) data.set(inferno(unit[i]), i * 3);
  return { width, height, data };
}

/**
 * The heat map laid over a picture of the same size: each pixel mixes the picture (shown in grey,
 * so the heat map's colours are not confused with the image's) with the heat colour in proportion
 * to the heat, so cold regions show the image and hot ones the colour map.
 */
export function overlay(base: Picture, unit: ArrayLike<number>, strength = 0.85): Picture {
  const n = base.width * base.height;
  if (unit.length !== n) throw new Error(`internal: overlay of ${unit.length} values on ${base.width}×${base.height}`);
  const data = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const [r, g, b] = [base.data[i * 3], base.data[i * 3 + 1], base.data[i * 3 + 2]];
    const luma = 0.299 * r + 0.587 * g + 0.114 * b;
    const heat = inferno(unit[i]);
    const a = strength * Math.min(1, Math.max(0, Number.isFinite(unit[i]) ? unit[i] : 0));
    for (let c = 0; c < 3; c++) data[i * 3 + c] = Math.round(luma * (1 - a) + heat[c] * a);
  }
  return { width: base.width, height: base.height, data };
}
