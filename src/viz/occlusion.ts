/**
 * Occlusion sensitivity (Zeiler and Fergus, 2014): slide a grey patch over the image and see how
 * much the class's probability drops with each part hidden. Plain arrays: the caller runs the
 * occluded copies through the model in batches.
 */

/** Top-left corners of a patch slid by `stride`, the last row and column flush with the edges. */
export function occlusionPositions(h: number, w: number, patch: number, stride: number): (readonly [number, number])[] {
  const along = (n: number) => {
    const p = Math.min(patch, n);
    const starts: number[] = [];
    for (let s = 0; s + p < n; s += stride) starts.push(s);
    starts.push(n - p);
    return [...new Set(starts)];
  };
  return along(h).flatMap((y) => along(w).map((x) => [y, x] as const));
}

/** The image (C×H×W) with the patch at (y, x) set to `fill` in every channel. */
export function occlude(image: ArrayLike<number>, shape: readonly number[], at: readonly [number, number], patch: number, fill: number): Float32Array {
  const [c, h, w] = shape;
  const out = Float32Array.from(image);
  for (let k = 0; k < c; k++) {
    for (let y = at[0]; y < Math.min(h, at[0] + patch); y++) for (let x = at[1]; x < Math.min(w, at[1] + patch); x++) out[(k * h + y) * w + x] = fill;
  }
  return out;
}

/** Per pixel, the mean drop over the patches that covered it (pixels no patch covered: 0). */
export function occlusionMap(drops: ArrayLike<number>, positions: readonly (readonly [number, number])[], h: number, w: number, patch: number): Float32Array {
  const sum = new Float32Array(h * w);
  const count = new Float32Array(h * w);
  positions.forEach(([py, px], i) => {
    for (let y = py; y < Math.min(h, py + patch); y++) {
      for (let x = px; x < Math.min(w, px + patch); x++) {
        sum[y * w + x] += drops[i];
        count[y * w + x]++;
      }
    }
  });
  return sum.map((s, i) => (count[i] ? s / count[i] : 0));
}
