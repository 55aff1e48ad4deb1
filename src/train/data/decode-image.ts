import pngjs from 'pngjs';
import jpeg from 'jpeg-js';
import { DataError } from '../errors.js';

/**
 * PNG and JPEG decoding to 8-bit RGBA. `pngjs` and `jpeg-js` are pure JavaScript (no native build,
 * so `npm install` works on any machine and in CI without a compiler), long maintained and among
 * the most used decoders on npm; pngjs handles every bit depth, palette and interlacing, jpeg-js
 * baseline and progressive JPEG. The format is told by the file's magic bytes, not its name.
 */

export interface Rgba {
  readonly width: number;
  readonly height: number;
  /** width × height × 4 bytes, rows top to bottom. */
  readonly data: Uint8Array;
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPng(bytes: Uint8Array): boolean {
  return PNG_MAGIC.every((b, i) => bytes[i] === b);
}

export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

export function decodeImage(bytes: Uint8Array, file: string): Rgba {
  const png = isPng(bytes);
  if (!png && !isJpeg(bytes)) throw new DataError('E_DATA_IMAGE', 'not a PNG or JPEG image', file);
  let img: Rgba;
  try {
    img = png ? decodePng(bytes) : jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new DataError('E_DATA_IMAGE', `corrupt ${png ? 'PNG' : 'JPEG'} image (${why})`, file, { cause: e });
  }
  if (!(img.width > 0 && img.height > 0) || img.data.length < img.width * img.height * 4) {
    throw new DataError('E_DATA_IMAGE', `decoded to an empty or incomplete ${img.width}×${img.height} image`, file);
  }
  return img;
}

function decodePng(bytes: Uint8Array): Rgba {
  // pngjs rescales 16-bit samples to 8 bits and expands grey and palette images to RGBA.
  const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return { width: png.width, height: png.height, data: png.data };
}
