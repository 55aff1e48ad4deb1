import pngjs from 'pngjs';
import type { Picture } from './raster.js';

/**
 * PNG encoding through `pngjs` (pure JavaScript, long maintained, already the project's decoder),
 * 8-bit RGB without alpha. Returns the bytes; writing the file is the caller's business.
 */
export function encodePng(p: Picture): Uint8Array {
  const png = new pngjs.PNG({ width: p.width, height: p.height, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  png.data = Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength);
  return pngjs.PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false });
}

/** PNG bytes back to a Picture (alpha dropped), for tests and for reading pictures we wrote. */
export function decodePng(bytes: Uint8Array): Picture {
  const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const n = png.width * png.height;
  const data = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) data.set(png.data.subarray(i * 4, i * 4 + 3), i * 3);
  return { width: png.width, height: png.height, data };
}
