import { SafetensorsError } from './errors.js';
import { DTYPE_BYTES, floatsFromBytes, int64sFromBytes, isFloatDtype, littleEndianBytes } from './dtypes.js';
import type { FloatDtype } from './dtypes.js';
import { parseHeader, type HeaderEntry } from './safetensors-header.js';

/**
 * The safetensors format (huggingface/safetensors): 8 bytes of little-endian u64 header length N,
 * N bytes of UTF-8 JSON `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {…}}`
 * starting with `{` and padded with spaces, then the data buffer, little-endian, row-major.
 * Offsets are relative to the data buffer, which they must cover exactly: no holes, no overlap.
 *
 * cnnc writes F32 (parameters, optimizer state) and I64 (counters such as the step); it reads
 * F16, BF16 and F64 too, converted to float32, since PyTorch checkpoints often hold those.
 */


/** A tensor to write: `data` holds exactly the product of `shape` elements, row-major. */
export interface TensorInput {
  readonly shape: readonly number[];
  readonly data: Float32Array | BigInt64Array;
}

/** A tensor read back; `dtype` is what the file stored (floats all arrive as Float32Array). */
export type DecodedTensor =
  | { readonly dtype: FloatDtype; readonly shape: number[]; readonly data: Float32Array }
  | { readonly dtype: 'I64'; readonly shape: number[]; readonly data: BigInt64Array };

export interface Safetensors {
  readonly tensors: Record<string, DecodedTensor>;
  readonly metadata: Record<string, string>;
}

const METADATA_KEY = '__metadata__';

/**
 * Serialises as the reference writer does: tensors ordered by decreasing alignment, then by name,
 * packed back to back; header padded with spaces so the data starts at a multiple of 8 bytes.
 */
export function encodeSafetensors(tensors: Readonly<Record<string, TensorInput>>, metadata?: Readonly<Record<string, string>>): Uint8Array {
  const entries = Object.entries(tensors).map(([name, t]) => {
    checkInput(name, t);
    return { name, t, dtype: t.data instanceof Float32Array ? 'F32' : 'I64' };
  });
  entries.sort((a, b) => DTYPE_BYTES[b.dtype] - DTYPE_BYTES[a.dtype] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const header: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  if (metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new SafetensorsError('E_ST_BAD_METADATA', `metadata "${k}" is not a string`);
    }
    header[METADATA_KEY] = { ...metadata };
  }
  let offset = 0;
  for (const { name, t, dtype } of entries) {
    const end = offset + t.data.byteLength;
    header[name] = { dtype, shape: [...t.shape], data_offsets: [offset, end] };
    offset = end;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLen = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLen + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLen), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLen);
  let pos = 8 + headerLen;
  for (const { t } of entries) {
    out.set(littleEndianBytes(t.data), pos);
    pos += t.data.byteLength;
  }
  return out;
}

function checkInput(name: string, t: TensorInput): void {
  if (name === METADATA_KEY) throw new SafetensorsError('E_ST_BAD_TENSOR', `"${METADATA_KEY}" is reserved and cannot name a tensor`);
  if (!(t.data instanceof Float32Array) && !(t.data instanceof BigInt64Array)) {
    throw new SafetensorsError('E_ST_BAD_TENSOR', `tensor "${name}": data must be a Float32Array or BigInt64Array`);
  }
  let count = 1;
  for (const d of t.shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new SafetensorsError('E_ST_BAD_TENSOR', `tensor "${name}": bad dimension ${d} in shape [${t.shape.join(', ')}]`);
    count *= d;
  }
  if (count !== t.data.length) {
    throw new SafetensorsError('E_ST_BAD_TENSOR', `tensor "${name}": shape [${t.shape.join(', ')}] holds ${count} elements but data has ${t.data.length}`);
  }
}

/**
 * Parses and validates a whole file held in memory. Every problem is a SafetensorsError: a file
 * cut anywhere, a header that is not JSON, offsets outside the data or overlapping or leaving
 * holes, sizes that disagree with dtype × shape, and dtypes unknown or not supported here.
 */
export function decodeSafetensors(bytes: Uint8Array): Safetensors {
  const { entries, metadata, data } = parseHeader(bytes);
  const tensors: Record<string, DecodedTensor> = Object.create(null) as Record<string, DecodedTensor>;
  for (const e of entries) tensors[e.name] = convert(e, data.subarray(e.begin, e.end));
  return { tensors, metadata };
}

function convert(e: HeaderEntry, bytes: Uint8Array): DecodedTensor {
  const { dtype, name, shape, count } = e;
  if (isFloatDtype(dtype)) return { dtype, shape, data: floatsFromBytes(dtype, bytes, count) };
  if (dtype === 'I64') return { dtype, shape, data: int64sFromBytes(bytes, count) };
  throw new SafetensorsError('E_ST_UNSUPPORTED_DTYPE', `tensor "${name}" has dtype ${dtype}; cnnc reads F32, F16, BF16, F64 and I64`);
}

/** The float tensor `name`, or a typed error saying what is missing or wrong with it. */
export function floatTensor(file: Safetensors, name: string, shape?: readonly number[]): Float32Array {
  const t = Object.hasOwn(file.tensors, name) ? file.tensors[name] : undefined;
  if (t === undefined) throw new SafetensorsError('E_ST_BAD_TENSOR', `no tensor "${name}"`);
  if (t.dtype === 'I64') throw new SafetensorsError('E_ST_BAD_TENSOR', `tensor "${name}" is I64, a float tensor was expected`);
  if (shape !== undefined && (shape.length !== t.shape.length || shape.some((d, i) => d !== t.shape[i]))) {
    throw new SafetensorsError('E_ST_BAD_TENSOR', `tensor "${name}" has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}]`);
  }
  return t.data;
}
