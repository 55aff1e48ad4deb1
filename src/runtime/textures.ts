/// <reference types="@webgpu/types" />
import { TEXTURE_FORMAT, TEXTURE_WIDTH, textureRows } from '../codegen/texture.js';
import { CnncError } from '../diagnostics/run-error.js';

/** GPUTextureUsage.COPY_DST and STORAGE_BINDING (Dawn's Node bindings define no GPUTextureUsage global). */
const COPY_DST = 0x02;
const STORAGE_BINDING = 0x08;

/**
 * The storage texture of a tensor kept as one (codegen/texture.ts: `texels` texels in rows of
 * TEXTURE_WIDTH), shared by sessions and compiled modules. Too many rows for the device is a
 * diagnostic that names the tensor and the fix, as a buffer over its limit is.
 */
export function createTensorTexture(device: GPUDevice, label: string, texels: number, batch?: number): GPUTexture {
  const rows = textureRows(texels);
  const limit = device.limits.maxTextureDimension2D;
  if (rows > limit) {
    throw new CnncError(
      'E_BUFFER_TOO_LARGE',
      `${label} needs a texture of ${rows} rows of ${TEXTURE_WIDTH} texels${batch !== undefined ? ` at batch ${batch}` : ''}, over the device's limit of ${limit}`,
      { help: batch !== undefined ? 'use a smaller batch' : 'the model is too large for this device' },
    );
  }
  return device.createTexture({ label, size: [TEXTURE_WIDTH, rows], format: TEXTURE_FORMAT, usage: STORAGE_BINDING | COPY_DST });
}
