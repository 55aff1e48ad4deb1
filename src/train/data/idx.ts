import { gunzipSync } from 'node:zlib';
import { DataError } from '../errors.js';

/**
 * The IDX format of MNIST (and Fashion-MNIST, KMNIST…): a big-endian magic number whose third
 * byte is the element type and fourth the number of dimensions, the dimensions as big-endian
 * u32, then the elements. Files are often distributed gzip-compressed; both forms are read.
 */

export const IDX_IMAGES_MAGIC = 2051;
export const IDX_LABELS_MAGIC = 2049;
const UNSIGNED_BYTE = 0x08;

export interface IdxArray {
  readonly magic: number;
  readonly dims: number[];
  readonly data: Uint8Array;
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Gunzips when the bytes start with the gzip magic, whatever the file is called. */
export function maybeGunzip(bytes: Uint8Array, file: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (e) {
    throw new DataError('E_DATA_FORMAT', `corrupt gzip data (${e instanceof Error ? e.message : String(e)})`, file, { cause: e });
  }
}

/** Parses an IDX file of unsigned bytes; the data must be exactly as long as the dimensions say. */
export function parseIdx(raw: Uint8Array, file: string): IdxArray {
  const bytes = maybeGunzip(raw, file);
  const bad = (msg: string): DataError => new DataError('E_DATA_FORMAT', msg, file);
  if (bytes.length < 4) throw bad(`${bytes.length} bytes is too short for an IDX file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (bytes[0] !== 0 || bytes[1] !== 0) throw bad(`magic number 0x${magic.toString(16).padStart(8, '0')} is not an IDX file's`);
  if (bytes[2] !== UNSIGNED_BYTE) throw bad(`IDX element type 0x${bytes[2].toString(16)} is not supported (only unsigned bytes, 0x08)`);
  const rank = bytes[3];
  const start = 4 + 4 * rank;
  if (bytes.length < start) throw bad(`file ends inside the IDX header (${bytes.length} bytes, ${rank} dimensions)`);
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < rank; i++) {
    dims.push(view.getUint32(4 + 4 * i, false));
    count *= dims[i];
  }
  const have = bytes.length - start;
  if (have !== count) {
    throw bad(`dimensions [${dims.join(', ')}] need ${count} bytes of data but the file holds ${have}${have < count ? ' (truncated?)' : ''}`);
  }
  return { magic, dims, data: bytes.subarray(start) };
}

/** An IDX image file: magic 2051, dimensions [count, rows, cols]. */
export function parseIdxImages(raw: Uint8Array, file: string): { count: number; rows: number; cols: number; pixels: Uint8Array } {
  const idx = parseIdx(raw, file);
  if (idx.magic !== IDX_IMAGES_MAGIC || idx.dims.length !== 3) {
    throw new DataError('E_DATA_FORMAT', `magic number ${idx.magic}, expected ${IDX_IMAGES_MAGIC} (IDX images: count × rows × columns)`, file);
  }
  const [count, rows, cols] = idx.dims;
  return { count, rows, cols, pixels: idx.data };
}

/** An IDX label file: magic 2049, one dimension. */
export function parseIdxLabels(raw: Uint8Array, file: string): Uint8Array {
  const idx = parseIdx(raw, file);
  if (idx.magic !== IDX_LABELS_MAGIC || idx.dims.length !== 1) {
    throw new DataError('E_DATA_FORMAT', `magic number ${idx.magic}, expected ${IDX_LABELS_MAGIC} (IDX labels: one dimension)`, file);
  }
  return idx.data;
}
