/**
 * How a tensor kept as a storage texture is laid out (kernels and runtimes share these facts).
 *
 * On lavapipe a vec4 read from a read-only `rgba32float` storage texture costs ~5.8 ns per 8-lane
 * statement against ~14 ns for a vec4 from a storage buffer and ~3 ns for one f32
 * (../shared/probes/lavapipe §3): a texel is the cheapest way to load four floats per lane. A
 * tensor the plan keeps as a texture (Tensor.texture) is a flat run of texels, each four floats,
 * packed row-major into rows of TEXTURE_WIDTH texels, so its size is not bound by the texture's
 * height limit per dimension only: a texture of R rows holds R · TEXTURE_WIDTH texels.
 */
export const TEXTURE_FORMAT = 'rgba32float';

/** WGSL's language feature for read-only (and read-write) storage textures, which the texture convs read. */
export const READONLY_TEXTURES = 'readonly_and_readwrite_storage_textures';

/** Texels per texture row: a power of two, so a flat index splits with a mask and a shift. */
export const TEXTURE_WIDTH = 2048;
const SHIFT = Math.log2(TEXTURE_WIDTH);

/** WGSL: the texel coordinates of the flat texel index `i` (a u32 expression). */
export function texelAt(i: string): string {
  return `vec2<u32>((${i}) & ${TEXTURE_WIDTH - 1}u, (${i}) >> ${SHIFT}u)`;
}

/** Rows of the texture that holds `texels` texels. */
export function textureRows(texels: number): number {
  return Math.max(1, Math.ceil(texels / TEXTURE_WIDTH));
}
