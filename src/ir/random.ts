/**
 * The random stream for dropout masks, identical in every backend (the float64 reference, WGSL):
 * a 32-bit integer hash of (seed, step, index) → a uniform in [0, 1). Counter-based, so the
 * backward pass regenerates the forward mask instead of storing it.
 */
export function hash32(x: number): number {
  // PCG-style output permutation on a 32-bit state.
  let s = (Math.imul(x >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((s >>> ((s >>> 28) + 4)) ^ s) >>> 0, 277803737) >>> 0;
  s = ((word >>> 22) ^ word) >>> 0;
  return s;
}

export function dropoutUniform(seed: number, step: number, index: number): number {
  const h = hash32((hash32((hash32(seed) ^ step) >>> 0) ^ index) >>> 0);
  // 24 high bits: exactly representable in float32, so WGSL computes the same value.
  return (h >>> 8) / 16777216;
}

/** mulberry32: a tiny seeded generator of uniforms in [0, 1), reproducible from its seed (initial weights, tests). */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
