import { SafetensorsError, type SafetensorsErrorCode } from './errors.js';
import { DTYPE_BYTES, SUB_BYTE_DTYPES } from './dtypes.js';

/**
 * Reading and validating the header of a safetensors file. Files come from anywhere (downloads,
 * half-written checkpoints), so every number is checked before it is used, and the data buffer
 * must be covered exactly, as the specification demands (no holes: no polyglot files).
 */

/** The reference implementation refuses headers over 100 MB; so does cnnc. */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;

export interface HeaderEntry {
  readonly name: string;
  readonly dtype: string;
  readonly shape: number[];
  readonly count: number;
  /** Offsets into the data buffer. */
  readonly begin: number;
  readonly end: number;
}

export interface ParsedHeader {
  readonly entries: HeaderEntry[];
  readonly metadata: Record<string, string>;
  /** The data buffer: everything after the header. */
  readonly data: Uint8Array;
}

function fail(code: SafetensorsErrorCode, message: string): never {
  throw new SafetensorsError(code, message);
}

export function parseHeader(bytes: Uint8Array): ParsedHeader {
  if (bytes.length < 8) fail('E_ST_TRUNCATED', `file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) fail('E_ST_HEADER_TOO_LARGE', `header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  const headerLen = Number(n);
  if (8 + headerLen > bytes.length) {
    fail('E_ST_TRUNCATED', `header of ${headerLen} bytes does not fit in the ${bytes.length}-byte file (truncated?)`);
  }
  const json = parseJson(bytes.subarray(8, 8 + headerLen));
  const data = bytes.subarray(8 + headerLen);
  let metadata: Record<string, string> = Object.create(null) as Record<string, string>;
  const entries: HeaderEntry[] = [];
  for (const [name, value] of Object.entries(json)) {
    if (name === '__metadata__') metadata = parseMetadata(value);
    else entries.push(parseEntry(name, value));
  }
  checkCoverage(entries, data.length);
  return { entries, metadata, data };
}

function parseJson(header: Uint8Array): Record<string, unknown> {
  if (header.length === 0 || header[0] !== 0x7b) fail('E_ST_HEADER_JSON', 'header does not start with "{"');
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(header);
  } catch {
    fail('E_ST_HEADER_JSON', 'header is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    fail('E_ST_HEADER_JSON', `header is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isObject(value)) fail('E_ST_HEADER_JSON', 'header is not a JSON object');
  return value as Record<string, unknown>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseMetadata(value: unknown): Record<string, string> {
  if (!isObject(value)) return fail('E_ST_BAD_METADATA', '"__metadata__" is not an object');
  const out = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') fail('E_ST_BAD_METADATA', `metadata "${k}" is not a string`);
    out[k] = v as string;
  }
  return out;
}

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function parseEntry(name: string, value: unknown): HeaderEntry {
  if (!isObject(value)) return fail('E_ST_BAD_ENTRY', `tensor "${name}": entry is not an object`);
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string') return fail('E_ST_BAD_ENTRY', `tensor "${name}": "dtype" is not a string`);
  if (SUB_BYTE_DTYPES.has(dtype)) fail('E_ST_UNSUPPORTED_DTYPE', `tensor "${name}" has sub-byte dtype ${dtype}, which cnnc does not read`);
  const size = Object.hasOwn(DTYPE_BYTES, dtype) ? DTYPE_BYTES[dtype] : fail('E_ST_UNKNOWN_DTYPE', `tensor "${name}" has unknown dtype "${dtype}"`);
  if (!Array.isArray(shape) || !shape.every(isIndex)) return fail('E_ST_BAD_ENTRY', `tensor "${name}": "shape" is not a list of non-negative integers`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex)) {
    return fail('E_ST_BAD_ENTRY', `tensor "${name}": "data_offsets" is not a pair of non-negative integers`);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) fail('E_ST_BAD_ENTRY', `tensor "${name}": data_offsets end ${end} is before begin ${begin}`);
  const dims = shape as number[];
  let count = 1;
  for (const d of dims) {
    count *= d;
    if (!Number.isSafeInteger(count * size)) fail('E_ST_SIZE_MISMATCH', `tensor "${name}": shape [${dims.join(', ')}] is too large`);
  }
  if (end - begin !== count * size) {
    fail('E_ST_SIZE_MISMATCH', `tensor "${name}": ${dtype} [${dims.join(', ')}] needs ${count * size} bytes but data_offsets span ${end - begin}`);
  }
  return { name, dtype, shape: [...dims], count, begin, end };
}

/** The ranges, sorted, must tile [0, dataLength) exactly. */
function checkCoverage(entries: readonly HeaderEntry[], dataLength: number): void {
  for (const e of entries) {
    if (e.end > dataLength) {
      fail('E_ST_OFFSETS_OUT_OF_RANGE', `tensor "${e.name}" ends at byte ${e.end} of a ${dataLength}-byte data buffer (truncated file?)`);
    }
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  let last = '';
  for (const e of sorted) {
    if (e.begin < pos) fail('E_ST_OFFSETS_OVERLAP', `tensors "${last}" and "${e.name}" overlap at byte ${e.begin}`);
    if (e.begin > pos) fail('E_ST_OFFSETS_HOLE', `bytes ${pos}..${e.begin} of the data buffer belong to no tensor`);
    if (e.end > e.begin) last = e.name;
    pos = e.end;
  }
  if (pos !== dataLength) fail('E_ST_OFFSETS_HOLE', `bytes ${pos}..${dataLength} of the data buffer belong to no tensor`);
}
