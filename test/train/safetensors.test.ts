import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeSafetensors, encodeSafetensors, floatTensor, type DecodedTensor } from '../../src/train/safetensors.js';
import { SafetensorsError, type SafetensorsErrorCode } from '../../src/train/errors.js';

/** A file from a header object and raw data bytes, padded as the reference writer does. */
function rawFile(header: unknown, data: Uint8Array | number[] = [], pad = true): Uint8Array {
  let json = JSON.stringify(header);
  if (pad) json = json.padEnd(Math.ceil(json.length / 8) * 8, ' ');
  const h = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

function headerText(bytes: Uint8Array): string {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return new TextDecoder().decode(bytes.subarray(8, 8 + n));
}

function codeOf(f: () => unknown): SafetensorsErrorCode | 'no error' | 'untyped' {
  try {
    f();
    return 'no error';
  } catch (e) {
    return e instanceof SafetensorsError ? e.code : 'untyped';
  }
}

const f32 = (...v: number[]): Float32Array => Float32Array.from(v);

function floats(t: DecodedTensor): number[] {
  if (t.dtype === 'I64') throw new Error('expected a float tensor');
  return Array.from(t.data);
}

describe('encode/decode round trips', () => {
  it('keeps several tensors, their shapes, values and the metadata', () => {
    const tensors = {
      'conv1.weight': { shape: [2, 1, 2, 2], data: f32(1, -2, 3.5, 4, 5, 6, 7, 8) },
      'conv1.bias': { shape: [2], data: f32(0.25, -0.125) },
      'fc.weight': { shape: [3, 1], data: f32(Math.PI, -Infinity, 1e-40) },
      step: { shape: [], data: BigInt64Array.from([123456789012345n]) },
    };
    const meta = { format: 'cnnc', epoch: '3', note: 'ünïcødé ✓' };
    const back = decodeSafetensors(encodeSafetensors(tensors, meta));
    expect({ ...back.metadata }).toEqual(meta);
    expect(Object.keys(back.tensors).sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, t] of Object.entries(tensors)) {
      expect(back.tensors[name].shape).toEqual(t.shape);
      expect(back.tensors[name].data).toEqual(t.data);
    }
    expect(back.tensors.step.dtype).toBe('I64');
    expect(back.tensors['fc.weight'].dtype).toBe('F32');
  });

  it('handles empty, scalar and 1-element tensors, NaN, and no tensors at all', () => {
    const tensors = {
      empty: { shape: [0, 3], data: new Float32Array(0) },
      scalar: { shape: [], data: f32(NaN) },
      one: { shape: [1], data: f32(-0) },
    };
    const back = decodeSafetensors(encodeSafetensors(tensors));
    expect(back.tensors.empty.shape).toEqual([0, 3]);
    expect(back.tensors.empty.data.length).toBe(0);
    expect(back.tensors.scalar.shape).toEqual([]);
    expect(Number.isNaN(back.tensors.scalar.data[0])).toBe(true);
    expect(Object.is(back.tensors.one.data[0], -0)).toBe(true);
    expect(Object.keys(back.metadata)).toEqual([]);
    const none = decodeSafetensors(encodeSafetensors({}));
    expect(Object.keys(none.tensors)).toEqual([]);
  });

  it('lays out the file as the reference writer does', () => {
    const bytes = encodeSafetensors(
      { b: { shape: [1], data: f32(2) }, a: { shape: [2], data: f32(1, 1) }, n: { shape: [1], data: BigInt64Array.from([7n]) } },
      { k: 'v' },
    );
    const text = headerText(bytes);
    // Metadata first; then decreasing alignment (I64 before F32), then by name; spaces pad to 8 bytes.
    expect(text.trimEnd()).toBe(
      '{"__metadata__":{"k":"v"},"n":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},' +
        '"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]},"b":{"dtype":"F32","shape":[1],"data_offsets":[16,20]}}',
    );
    expect(text.length % 8).toBe(0);
    expect(/^[^ ]*} *$/.test(text)).toBe(true);
    expect(bytes.length).toBe(8 + text.length + 20);
    // Data is little-endian float32 at an 8-byte aligned position.
    const view = new DataView(bytes.buffer, 8 + text.length);
    expect(view.getBigInt64(0, true)).toBe(7n);
    expect(view.getFloat32(8, true)).toBe(1);
    expect(view.getFloat32(16, true)).toBe(2);
  });

  it('reads unpadded headers from other writers', () => {
    const data = new Uint8Array(f32(1.5, -2).buffer);
    const back = decodeSafetensors(rawFile({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, data, false));
    expect(back.tensors.x.data).toEqual(f32(1.5, -2));
  });

  it('decodes F16, BF16 and F64 to float32', () => {
    const half = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x0400, 0x3555, 0x8000, 0x7c00, 0xfc00, 0x7e00];
    const bf16 = [0x3f80, 0xc040, 0x4049, 0x0000, 0x7f80, 0xff80, 0x7fc0, 0x3e80];
    const f64 = new Float64Array([Math.PI, -1e-3, 1e300]);
    const data = new Uint8Array(half.length * 2 + bf16.length * 2 + f64.byteLength);
    const view = new DataView(data.buffer);
    half.forEach((h, i) => view.setUint16(i * 2, h, true));
    bf16.forEach((h, i) => view.setUint16(20 + i * 2, h, true));
    f64.forEach((v, i) => view.setFloat64(36 + i * 8, v, true));
    const file = rawFile(
      {
        h: { dtype: 'F16', shape: [10], data_offsets: [0, 20] },
        b: { dtype: 'BF16', shape: [2, 4], data_offsets: [20, 36] },
        d: { dtype: 'F64', shape: [3], data_offsets: [36, 60] },
      },
      data,
    );
    const back = decodeSafetensors(file);
    expect(back.tensors.h.dtype).toBe('F16');
    expect(floats(back.tensors.h)).toEqual([1, -2, 65504, 2 ** -24, 2 ** -14, Math.fround(0.333251953125), -0, Infinity, -Infinity, NaN]);
    expect(floats(back.tensors.b)).toEqual([1, -3, 3.140625, 0, Infinity, -Infinity, NaN, 0.25]);
    expect(back.tensors.b.shape).toEqual([2, 4]);
    expect(floats(back.tensors.d)).toEqual([Math.fround(Math.PI), Math.fround(-1e-3), Infinity]);
  });

  it('reads from a Uint8Array that is a view at an odd offset', () => {
    const bytes = encodeSafetensors({ w: { shape: [3], data: f32(1, 2, 3) } });
    const host = new Uint8Array(bytes.length + 3);
    host.set(bytes, 3);
    expect(decodeSafetensors(host.subarray(3)).tensors.w.data).toEqual(f32(1, 2, 3));
  });

  it('floatTensor finds a float tensor and checks its shape', () => {
    const file = decodeSafetensors(encodeSafetensors({ w: { shape: [2], data: f32(1, 2) }, s: { shape: [], data: BigInt64Array.from([1n]) } }));
    expect(floatTensor(file, 'w', [2])).toEqual(f32(1, 2));
    expect(codeOf(() => floatTensor(file, 'w', [1, 2]))).toBe('E_ST_BAD_TENSOR');
    expect(codeOf(() => floatTensor(file, 's'))).toBe('E_ST_BAD_TENSOR');
    expect(codeOf(() => floatTensor(file, 'missing'))).toBe('E_ST_BAD_TENSOR');
    expect(codeOf(() => floatTensor(file, 'toString'))).toBe('E_ST_BAD_TENSOR');
  });
});

describe('encoder input errors', () => {
  it('rejects a shape that disagrees with the data, a bad dimension, and the reserved name', () => {
    expect(codeOf(() => encodeSafetensors({ w: { shape: [2, 2], data: f32(1, 2, 3) } }))).toBe('E_ST_BAD_TENSOR');
    expect(codeOf(() => encodeSafetensors({ w: { shape: [-1], data: f32(1) } }))).toBe('E_ST_BAD_TENSOR');
    expect(codeOf(() => encodeSafetensors({ __metadata__: { shape: [1], data: f32(1) } }))).toBe('E_ST_BAD_TENSOR');
  });
});

describe('corrupt files give typed errors', () => {
  const four = new Uint8Array(f32(1, 2).buffer);
  const cases: [string, Uint8Array, SafetensorsErrorCode][] = [
    ['shorter than the length field', new Uint8Array(5), 'E_ST_TRUNCATED'],
    ['header longer than the file', (() => { const b = rawFile({}); new DataView(b.buffer).setBigUint64(0, 1000n, true); return b; })(), 'E_ST_TRUNCATED'],
    ['header over 100 MB', (() => { const b = rawFile({}); new DataView(b.buffer).setBigUint64(0, 2n ** 40n, true); return b; })(), 'E_ST_HEADER_TOO_LARGE'],
    ['header not starting with {', rawFile([1, 2]), 'E_ST_HEADER_JSON'],
    ['header not JSON', (() => { const b = rawFile({ a: 1 }); b[12] = 0x2c; return b; })(), 'E_ST_HEADER_JSON'],
    ['header not UTF-8', (() => { const b = rawFile({ abc: 'x' }); b[10] = 0xff; return b; })(), 'E_ST_HEADER_JSON'],
    ['metadata not strings', rawFile({ __metadata__: { a: 1 } }), 'E_ST_BAD_METADATA'],
    ['metadata not an object', rawFile({ __metadata__: 'x' }), 'E_ST_BAD_METADATA'],
    ['entry not an object', rawFile({ w: 3 }), 'E_ST_BAD_ENTRY'],
    ['shape with a negative', rawFile({ w: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, four), 'E_ST_BAD_ENTRY'],
    ['offsets not a pair', rawFile({ w: { dtype: 'F32', shape: [2], data_offsets: [0] } }, four), 'E_ST_BAD_ENTRY'],
    ['offsets reversed', rawFile({ w: { dtype: 'F32', shape: [0], data_offsets: [8, 0] } }, four), 'E_ST_BAD_ENTRY'],
    ['unknown dtype', rawFile({ w: { dtype: 'F12', shape: [2], data_offsets: [0, 8] } }, four), 'E_ST_UNKNOWN_DTYPE'],
    ['unsupported dtype', rawFile({ w: { dtype: 'I32', shape: [2], data_offsets: [0, 8] } }, four), 'E_ST_UNSUPPORTED_DTYPE'],
    ['sub-byte dtype', rawFile({ w: { dtype: 'F4', shape: [2], data_offsets: [0, 1] } }, four), 'E_ST_UNSUPPORTED_DTYPE'],
    ['size and shape disagree', rawFile({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, four), 'E_ST_SIZE_MISMATCH'],
    ['offsets past the data', rawFile({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, four), 'E_ST_OFFSETS_OUT_OF_RANGE'],
    [
      'overlapping tensors',
      rawFile({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, four),
      'E_ST_OFFSETS_OVERLAP',
    ],
    ['a hole before a tensor', rawFile({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, four), 'E_ST_OFFSETS_HOLE'],
    ['trailing bytes', rawFile({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, four), 'E_ST_OFFSETS_HOLE'],
  ];
  it.each(cases)('%s', (_name, bytes, code) => {
    expect(codeOf(() => decodeSafetensors(bytes))).toBe(code);
  });

  const small = encodeSafetensors(
    { w: { shape: [2, 3], data: f32(1, 2, 3, 4, 5, 6) }, b: { shape: [2], data: f32(7, 8) }, n: { shape: [], data: BigInt64Array.from([5n]) } },
    { epoch: '1' },
  );

  it('every truncation of a small file is a typed error', () => {
    for (let cut = 0; cut < small.length; cut++) {
      const code = codeOf(() => decodeSafetensors(small.subarray(0, cut)));
      expect(code, `cut at ${cut}`).not.toBe('untyped');
      expect(code, `cut at ${cut}`).not.toBe('no error');
    }
    expect(codeOf(() => decodeSafetensors(small))).toBe('no error');
  });

  it('every single-byte corruption either decodes or is a typed error', () => {
    for (let i = 0; i < small.length; i++) {
      for (const v of [0x00, 0x20, 0x22, 0x30, 0x39, 0x5d, 0x7b, 0xff]) {
        const bad = small.slice();
        bad[i] = v;
        expect(codeOf(() => decodeSafetensors(bad)), `byte ${i} = ${v}`).not.toBe('untyped');
      }
    }
  });

  it('random bytes never give an untyped error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.nat(200), (tail, len) => {
        const b = new Uint8Array(8 + tail.length);
        new DataView(b.buffer).setBigUint64(0, BigInt(len), true);
        b.set(tail, 8);
        return codeOf(() => decodeSafetensors(b)) !== 'untyped';
      }),
      { numRuns: 500 },
    );
  });
});
