/**
 * Small helpers shared by the reference ops. The reference works on Float64Array in the layouts of
 * graph.ts (NCHW, OIHW, [out, in]); each op gets its sizes passed explicitly so the files stay free
 * of graph lookups, which live in run.ts.
 */

/**
 * Throws when an array does not have the length its tensor's shape implies. This is a broken
 * invariant of the caller (a wrong buffer), never a user error, so throwing is right.
 */
export function expectLength(a: Float64Array, n: number, what: string): void {
  if (a.length !== n) throw new Error(`reference: ${what} has ${a.length} elements, expected ${n}`);
}

/**
 * Channels and positions per sample: C×H×W → [C, H·W], a flat [F] → [F, 1]. Every channel-wise
 * op (softmax, concat, maxout, batchnorm, LRN, bias grads) treats both layouts the same way,
 * because the channel axis is the outermost per-sample axis in NCHW.
 */
export function channelsAndPositions(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  let p = 1;
  for (let i = 1; i < shape.length; i++) p *= shape[i];
  return [shape[0], p];
}

/** Sizes of a batched channel-wise tensor: N samples × C channels × P positions. */
export interface NCP {
  readonly n: number;
  readonly c: number;
  readonly p: number;
}
