import { unzipSync } from 'fflate';
import { floatsFromBytes, int64sFromBytes } from './dtypes.js';
import type { DecodedTensor, Safetensors } from './safetensors.js';
import { PickleError, unpickle, type TensorRef, type TorchDtype } from './torch-pickle.js';

/**
 * A state dict saved by `torch.save` (a zip archive: `<name>/data.pkl`, the pickle, and
 * `<name>/data/<key>`, one record per storage) read as the tensors of a safetensors file, so the
 * same name matching loads it. The pickle goes through the restricted unpickler (torch-pickle.ts).
 * fflate reads the archive (torch stores its records uncompressed, but any zip works).
 */
export function isTorchZip(bytes: Uint8Array): boolean {
  return bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The legacy (pre-1.6) torch.save format starts with a pickled magic number instead of a zip. */
export function isLegacyTorch(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x80 && bytes[1] === 0x02;
}

export function decodeTorchZip(bytes: Uint8Array): Safetensors {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw new PickleError(false, `is not a readable zip archive (${e instanceof Error ? e.message : String(e)})`);
  }
  const pkl = Object.keys(files).find((n) => n.endsWith('/data.pkl') || n === 'data.pkl');
  if (!pkl) throw new PickleError(false, 'has no data.pkl: not a file written by torch.save');
  const prefix = pkl.slice(0, -'data.pkl'.length);
  let root = unpickle(files[pkl]);
  // A checkpoint dict that holds the state dict under a key, as training scripts often save it.
  if (root instanceof Map && !isStateDict(root)) root = [...root.values()].find((v) => v instanceof Map && isStateDict(v)) ?? root;
  if (!(root instanceof Map) || !isStateDict(root)) throw new PickleError(false, 'holds no state dict (a mapping from names to tensors)');
  const tensors: Record<string, DecodedTensor> = {};
  for (const [name, t] of root as Map<unknown, unknown>) {
    if (!isTensor(t)) continue;
    const record = files[`${prefix}data/${t.storage.key}`];
    if (!record) throw new PickleError(false, `has no record data/${t.storage.key} for tensor ${String(name)}`);
    tensors[String(name)] = materialise(t, record, String(name));
  }
  return { tensors, metadata: {} };
}

function isTensor(v: unknown): v is TensorRef {
  return typeof v === 'object' && v !== null && (v as TensorRef).kind === 'tensor';
}

function isStateDict(m: Map<unknown, unknown>): boolean {
  return m.size > 0 && [...m.entries()].every(([k, v]) => typeof k === 'string' && (isTensor(v) || typeof v === 'number'));
}

const BYTES: Record<TorchDtype, number> = { float32: 4, float64: 8, float16: 2, bfloat16: 2, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1 };

/** The tensor's elements in row-major order, from its storage, offset and strides. */
function materialise(t: TensorRef, record: Uint8Array, name: string): DecodedTensor {
  const count = t.shape.reduce((a, b) => a * b, 1);
  const size = BYTES[t.storage.dtype];
  const available = record.length / size;
  const flat = new Array<number>(count);
  let contiguous = true;
  for (let d = t.shape.length - 1, expect = 1; d >= 0; expect *= t.shape[d], d--) if (t.shape[d] > 1 && t.stride[d] !== expect) contiguous = false;
  const index = (i: number) => {
    if (contiguous) return t.offset + i;
    let rest = i;
    let at = t.offset;
    for (let d = t.shape.length - 1; d >= 0; d--) {
      at += (rest % t.shape[d]) * t.stride[d];
      rest = Math.floor(rest / t.shape[d]);
    }
    return at;
  };
  for (let i = 0; i < count; i++) {
    const at = index(i);
    if (at < 0 || at >= available) throw new PickleError(false, `tensor ${name} reads past its storage`);
    flat[i] = at;
  }
  const shape = [...t.shape];
  if (t.storage.dtype === 'int64') {
    const all = int64sFromBytes(record, available);
    return { dtype: 'I64', shape, data: BigInt64Array.from(flat, (at) => all[at]) };
  }
  const all = decodeNumbers(t.storage.dtype, record, available);
  return { dtype: 'F32', shape, data: Float32Array.from(flat, (at) => all[at]) };
}

function decodeNumbers(dtype: TorchDtype, record: Uint8Array, n: number): ArrayLike<number> {
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  switch (dtype) {
    case 'float32':
      return floatsFromBytes('F32', record, n);
    case 'float64':
      return floatsFromBytes('F64', record, n);
    case 'float16':
      return floatsFromBytes('F16', record, n);
    case 'bfloat16':
      return floatsFromBytes('BF16', record, n);
    case 'int32':
      return Array.from({ length: n }, (_, i) => view.getInt32(i * 4, true));
    case 'int16':
      return Array.from({ length: n }, (_, i) => view.getInt16(i * 2, true));
    case 'int8':
      return Array.from({ length: n }, (_, i) => view.getInt8(i));
    default:
      return Array.from({ length: n }, (_, i) => view.getUint8(i));
  }
}
