import { zipSync } from 'fflate';

/**
 * A state dict as `torch.save` writes it (`cnnc train --save-format pt`): a zip archive, stored
 * uncompressed, with `archive/data.pkl` (a protocol-2 pickle of an OrderedDict from names to
 * `torch._utils._rebuild_tensor_v2` calls, each naming its storage by a persistent id),
 * `archive/data/<k>` (each tensor's float32 bytes, little-endian), `archive/version` and
 * `archive/byteorder`. Only the globals a weights-only `torch.load` accepts appear, so it loads
 * with `weights_only=True` as well. Written by hand: the format is four opcode patterns, and a
 * pickling library would add code that can write anything. Read back by torch-file.ts.
 */
export function encodeTorchZip(tensors: Readonly<Record<string, { readonly shape: readonly number[]; readonly data: Float32Array }>>): Uint8Array {
  const files: Record<string, [Uint8Array, { level: 0 }]> = {};
  const p = new PickleWriter();
  p.op(0x80, 2); // PROTO 2
  p.global('collections', 'OrderedDict');
  p.op(0x29, 0x52); // EMPTY_TUPLE, REDUCE
  p.op(0x28); // MARK
  Object.entries(tensors).forEach(([name, t], key) => {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== count) throw new Error(`internal: ${name} has ${t.data.length} values for ${t.shape.join('×')}`);
    p.string(name);
    p.global('torch._utils', '_rebuild_tensor_v2');
    p.op(0x28); // MARK: the arguments
    p.op(0x28); // MARK: the persistent id
    p.string('storage');
    p.global('torch', 'FloatStorage');
    p.string(String(key));
    p.string('cpu');
    p.int(count);
    p.op(0x74, 0x51); // TUPLE, BINPERSID
    p.int(0); // storage offset
    p.tuple(t.shape);
    p.tuple(contiguousStrides(t.shape));
    p.op(0x89); // requires_grad = False
    p.global('collections', 'OrderedDict');
    p.op(0x29, 0x52); // backward hooks: OrderedDict()
    p.op(0x74, 0x52); // TUPLE, REDUCE
    const bytes = new Uint8Array(t.data.length * 4);
    new Float32Array(bytes.buffer).set(t.data); // little-endian on every machine WebGPU runs on
    files[`archive/data/${key}`] = [bytes, { level: 0 }];
  });
  p.op(0x75, 0x2e); // SETITEMS, STOP
  files['archive/data.pkl'] = [p.bytes(), { level: 0 }];
  files['archive/byteorder'] = [new TextEncoder().encode('little'), { level: 0 }];
  files['archive/version'] = [new TextEncoder().encode('3\n'), { level: 0 }];
  // torch reads data.pkl first and expects it first in the archive, as torch.save puts it.
  const ordered = Object.fromEntries(Object.entries(files).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b)));
  return zipSync(ordered);
}

function rank(name: string): number {
  return name.endsWith('data.pkl') ? 0 : name.includes('/data/') ? 1 : 2;
}

function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

class PickleWriter {
  private readonly parts: number[] = [];

  op(...codes: number[]): void {
    this.parts.push(...codes);
  }

  global(module: string, name: string): void {
    this.op(0x63, ...ascii(`${module}\n${name}\n`));
  }

  string(s: string): void {
    const b = new TextEncoder().encode(s);
    this.op(0x58, ...u32(b.length), ...b); // BINUNICODE
  }

  int(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) throw new Error(`internal: pickle int ${n}`);
    if (n < 256) this.op(0x4b, n); // BININT1
    else this.op(0x4a, ...u32(n)); // BININT
  }

  tuple(items: readonly number[]): void {
    this.op(0x28);
    for (const v of items) this.int(v);
    this.op(0x74);
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

function ascii(s: string): number[] {
  return [...s].map((c) => c.charCodeAt(0));
}

function u32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}
