/**
 * Small raster pictures for the `viz` commands: 8-bit RGB, built from float maps by normalising
 * them, enlarged by whole factors, and laid out in grids. Plain data in, plain data out; encoding
 * to PNG is png.ts's job.
 */

/** An 8-bit RGB picture, rows top to bottom, 3 bytes per pixel. */
export interface Picture {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export type Rgb = readonly [number, number, number];

/** Between tiles: light grey, so a black tile and a white tile both stand apart from it. */
export const GAP_COLOUR: Rgb = [200, 200, 200];

export function blank(width: number, height: number, colour: Rgb = GAP_COLOUR): Picture {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(colour, i * 3);
  return { width, height, data };
}

/** The colour of pixel (x, y). */
export function pixel(p: Picture, x: number, y: number): Rgb {
  const i = (y * p.width + x) * 3;
  return [p.data[i], p.data[i + 1], p.data[i + 2]];
}

/** [min, max] of the finite values (NaN and ±∞ are left out); [0, 0] when there are none. */
export function finiteRange(values: ArrayLike<number>): readonly [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 0];
}

/**
 * Values mapped onto [0, 1] by a range ([min, max] of the values by default). A constant map
 * becomes 0.5 everywhere, so it reads as "nothing varies here" rather than as black or white.
 * Values that are not finite become 0.
 */
export function normalise(values: ArrayLike<number>, range: readonly [number, number] = finiteRange(values)): Float32Array {
  const [lo, hi] = range;
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = !Number.isFinite(v) ? 0 : hi > lo ? Math.min(1, Math.max(0, (v - lo) / (hi - lo))) : 0.5;
  }
  return out;
}

const byte = (v: number): number => Math.round(Math.min(1, Math.max(0, v)) * 255);

/** A grey picture from an H×W map of values in [0, 1] (normalise first for other ranges). */
export function grey(unit: ArrayLike<number>, height: number, width: number): Picture {
  checkLength(unit, height * width, 'grey');
  const data = new Uint8Array(height * width * 3);
  for (let i = 0; i < height * width; i++) data.fill(byte(unit[i]), i * 3, i * 3 + 3);
  return { width, height, data };
}

/** A colour picture from three H×W planes (CHW order) of values in [0, 1]. */
export function rgb(planes: ArrayLike<number>, height: number, width: number): Picture {
  const n = height * width;
  checkLength(planes, 3 * n, 'rgb');
  const data = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) data[i * 3 + c] = byte(planes[c * n + i]);
  return { width, height, data };
}

/** A C×H×W image in [0, 1] (C = 1 or 3) as it is, clipped to [0, 1]: for model inputs. */
export function imagePicture(chw: ArrayLike<number>, shape: readonly number[]): Picture {
  const [c, h, w] = shape;
  if (c === 3) return rgb(chw, h, w);
  // Any other channel count: the mean over channels, which for C = 1 is the image itself.
  const mean = new Float32Array(h * w);
  for (let k = 0; k < c; k++) for (let i = 0; i < h * w; i++) mean[i] += chw[k * h * w + i] / c;
  return grey(mean, h, w);
}

/** Every pixel repeated `factor` times across and down (nearest neighbour, so pixels stay sharp). */
export function upscale(p: Picture, factor: number): Picture {
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`internal: upscale factor ${factor}`);
  if (factor === 1) return p;
  const width = p.width * factor;
  const height = p.height * factor;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const sy = Math.floor(y / factor);
    for (let x = 0; x < width; x++) {
      const s = (sy * p.width + Math.floor(x / factor)) * 3;
      data.set(p.data.subarray(s, s + 3), (y * width + x) * 3);
    }
  }
  return { width, height, data };
}

/** The whole factor that makes the longer side of an H×W map at least `target` pixels (at least 1). */
export function scaleFor(height: number, width: number, target: number): number {
  return Math.max(1, Math.ceil(target / Math.max(height, width, 1)));
}

/** `src` copied into `dst` with its top-left corner at (x, y); `dst` is changed in place. */
export function blit(dst: Picture, src: Picture, x: number, y: number): void {
  for (let row = 0; row < src.height; row++) {
    const to = ((y + row) * dst.width + x) * 3;
    dst.data.set(src.data.subarray(row * src.width * 3, (row + 1) * src.width * 3), to);
  }
}

export interface GridOptions {
  /** Tiles per row (default: about the square root of their number). */
  readonly columns?: number;
  /** Pixels between tiles and around the edge. */
  readonly gap?: number;
  readonly background?: Rgb;
}

/** Where a grid puts its tiles: the picture's size and each tile's top-left corner. */
export interface GridLayout {
  readonly width: number;
  readonly height: number;
  cell(i: number): { readonly x: number; readonly y: number };
}

/**
 * Tiles row by row with `gap` pixels (default 1) between them and around the edge; each cell is
 * as large as the largest tile, and smaller tiles sit in their cell's top-left corner.
 */
export function gridLayout(tiles: readonly Picture[], opts: GridOptions = {}): GridLayout {
  const gap = opts.gap ?? 1;
  const n = Math.max(tiles.length, 1);
  const columns = Math.min(opts.columns ?? Math.ceil(Math.sqrt(n)), n);
  const rows = Math.ceil(n / columns);
  const cellW = Math.max(1, ...tiles.map((t) => t.width));
  const cellH = Math.max(1, ...tiles.map((t) => t.height));
  return {
    width: gap + columns * (cellW + gap),
    height: gap + rows * (cellH + gap),
    cell: (i) => ({ x: gap + (i % columns) * (cellW + gap), y: gap + Math.floor(i / columns) * (cellH + gap) }),
  };
}

/** The tiles drawn as gridLayout places them. */
export function grid(tiles: readonly Picture[], opts: GridOptions = {}): Picture {
  const layout = gridLayout(tiles, opts);
  const out = blank(layout.width, layout.height, opts.background ?? GAP_COLOUR);
  tiles.forEach((t, i) => {
    const { x, y } = layout.cell(i);
    blit(out, t, x, y);
  });
  return out;
}

function checkLength(values: ArrayLike<number>, n: number, who: string): void {
  if (values.length !== n) throw new Error(`internal: ${who} got ${values.length} values for ${n} pixels`);
}
