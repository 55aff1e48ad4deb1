/**
 * Element types of safetensors files: sizes for every dtype the format names (so the offsets of
 * any file can be validated), and conversions to float32 for the ones cnnc reads. PyTorch
 * checkpoints often hold F16, BF16 or F64; cnnc computes in float32, so all of them widen or
 * round to Float32Array on load.
 */

/** Every dtype of the safetensors specification, with its size in bytes. */
export const DTYPE_BYTES: Readonly<Record<string, number>> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  F8_E8M0: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
};

/** Dtypes of the specification smaller than a byte: named, so the error says "unsupported". */
export const SUB_BYTE_DTYPES: ReadonlySet<string> = new Set(['F4', 'F6_E2M3', 'F6_E3M2']);

export type FloatDtype = 'F16' | 'BF16' | 'F32' | 'F64';
export type Dtype = FloatDtype | 'I64';

export function isFloatDtype(d: string): d is FloatDtype {
  return d === 'F16' || d === 'BF16' || d === 'F32' || d === 'F64';
}

/** Whether typed arrays on this host are little-endian, so raw file bytes can be reused as is. */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** IEEE 754 binary16 → number, subnormals, infinities and NaN included. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * Little-endian bytes of `count` elements of a float dtype → Float32Array. `bytes` may start at any
 * offset (file data is not necessarily aligned), so reads go through a DataView except for the
 * aligned little-endian F32 case, which is one copy.
 */
export function floatsFromBytes(dtype: FloatDtype, bytes: Uint8Array, count: number): Float32Array {
  const out = new Float32Array(count);
  if (dtype === 'F32' && HOST_LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes.subarray(0, count * 4));
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bits = new Uint32Array(1);
  const asFloat = new Float32Array(bits.buffer);
  for (let i = 0; i < count; i++) {
    switch (dtype) {
      case 'F32':
        out[i] = view.getFloat32(i * 4, true);
        break;
      case 'F64':
        out[i] = view.getFloat64(i * 8, true);
        break;
      case 'F16':
        out[i] = halfToFloat(view.getUint16(i * 2, true));
        break;
      case 'BF16':
        // bfloat16 is the high half of a float32: widening is exact.
        bits[0] = view.getUint16(i * 2, true) << 16;
        out[i] = asFloat[0];
        break;
    }
  }
  return out;
}

export function int64sFromBytes(bytes: Uint8Array, count: number): BigInt64Array {
  const out = new BigInt64Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < count; i++) out[i] = view.getBigInt64(i * 8, true);
  return out;
}

/** Little-endian bytes of a Float32Array or BigInt64Array, whatever the host's byte order. */
export function littleEndianBytes(data: Float32Array | BigInt64Array): Uint8Array {
  if (HOST_LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  if (data instanceof Float32Array) data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  else data.forEach((v, i) => view.setBigInt64(i * 8, v, true));
  return out;
}
