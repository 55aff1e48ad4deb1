/**
 * A restricted unpickler for what `torch.save(state_dict)` writes: dicts, lists, tuples, strings,
 * numbers, and the few globals a state dict names (an OrderedDict, tensor rebuilding, storage
 * types). Any other global — the way a pickle runs code — is refused with its name, before
 * anything is called: nothing in a file is ever executed. Opcodes are those of protocols 2 to 5.
 */

/** A storage a tensor points at: its dtype and its record in the archive (`data/<key>`). */
export interface StorageRef {
  readonly kind: 'storage';
  readonly dtype: TorchDtype;
  readonly key: string;
}

/** A tensor as the pickle describes it; its values come from the storage record. */
export interface TensorRef {
  readonly kind: 'tensor';
  readonly storage: StorageRef;
  readonly offset: number;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
}

export type TorchDtype = 'float32' | 'float64' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

const STORAGES: Record<string, TorchDtype> = {
  FloatStorage: 'float32', DoubleStorage: 'float64', HalfStorage: 'float16', BFloat16Storage: 'bfloat16',
  LongStorage: 'int64', IntStorage: 'int32', ShortStorage: 'int16', CharStorage: 'int8', ByteStorage: 'uint8', BoolStorage: 'bool',
};

/** The globals a state dict may name, as markers the REDUCE and BINPERSID opcodes understand. */
type Allowed = { readonly kind: 'global'; readonly name: 'OrderedDict' | 'rebuild_tensor' | 'rebuild_parameter' } | { readonly kind: 'storage_type'; readonly dtype: TorchDtype };

function allowedGlobal(module: string, name: string): Allowed | undefined {
  if (module === 'collections' && name === 'OrderedDict') return { kind: 'global', name: 'OrderedDict' };
  if (module === 'torch._utils' && name === '_rebuild_tensor_v2') return { kind: 'global', name: 'rebuild_tensor' };
  if (module === 'torch._utils' && name === '_rebuild_parameter') return { kind: 'global', name: 'rebuild_parameter' };
  if (module === 'torch' && STORAGES[name]) return { kind: 'storage_type', dtype: STORAGES[name] };
  return undefined;
}

/** A pickle that is not a state dict, or names something other than tensors. */
export class PickleError extends Error {
  constructor(
    readonly unsafe: boolean,
    message: string,
  ) {
    super(message);
    this.name = 'PickleError';
  }
}

const MARK = Symbol('mark');
type Value = unknown;

/** Reads a pickle; returns the object it builds (a state dict is a Map from names to TensorRefs). */
export function unpickle(bytes: Uint8Array): Value {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = new TextDecoder();
  let pos = 0;
  const stack: Value[] = [];
  const memo = new Map<number, Value>();
  const need = (n: number) => {
    if (pos + n > bytes.length) throw new PickleError(false, 'the pickle ends early');
  };
  const u8 = () => (need(1), bytes[pos++]);
  const u16 = () => (need(2), (pos += 2), view.getUint16(pos - 2, true));
  const u32 = () => (need(4), (pos += 4), view.getUint32(pos - 4, true));
  const i32 = () => (need(4), (pos += 4), view.getInt32(pos - 4, true));
  const str = (n: number) => (need(n), (pos += n), text.decode(bytes.subarray(pos - n, pos)));
  const line = () => {
    const end = bytes.indexOf(10, pos);
    if (end < 0) throw new PickleError(false, 'the pickle ends early');
    const s = text.decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const pop = () => {
    if (!stack.length) throw new PickleError(false, 'the pickle pops an empty stack');
    return stack.pop();
  };
  const popMark = (): Value[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) throw new PickleError(false, 'the pickle has no mark to pop to');
    const items = stack.slice(at + 1);
    stack.length = at;
    return items;
  };
  const global = (module: string, name: string) => {
    const g = allowedGlobal(module, name);
    if (!g) throw new PickleError(true, `names the global ${module}.${name}, which a state dict does not need; refused without running anything`);
    stack.push(g);
  };
  const setItems = (target: Value, items: Value[]) => {
    if (!(target instanceof Map)) throw new PickleError(false, 'sets items on something that is not a dict');
    for (let i = 0; i + 1 < items.length; i += 2) target.set(items[i], items[i + 1]);
  };
  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: u8(); break; // PROTO
      case 0x95: pos += 8; break; // FRAME (its length only helps streaming readers)
      case 0x2e: return pop(); // STOP
      case 0x28: stack.push(MARK); break;
      case 0x63: global(line(), line()); break; // GLOBAL
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        global(String(module), String(name));
        break;
      }
      case 0x71: memo.set(u8(), stack[stack.length - 1]); break; // BINPUT
      case 0x72: memo.set(u32(), stack[stack.length - 1]); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, stack[stack.length - 1]); break; // MEMOIZE
      case 0x68: stack.push(memoGet(memo, u8())); break; // BINGET
      case 0x6a: stack.push(memoGet(memo, u32())); break; // LONG_BINGET
      case 0x29: stack.push([]); break; // EMPTY_TUPLE
      case 0x74: stack.push(popMark()); break; // TUPLE
      case 0x85: stack.push([pop()]); break;
      case 0x86: { const b = pop(); const a = pop(); stack.push([a, b]); break; }
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); stack.push([a, b, c]); break; }
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x61: { const v = pop(); (stack[stack.length - 1] as Value[]).push(v); break; } // APPEND
      case 0x65: { const items = popMark(); (stack[stack.length - 1] as Value[]).push(...items); break; } // APPENDS
      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x73: { const v = pop(); const k = pop(); setItems(stack[stack.length - 1], [k, v]); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(stack[stack.length - 1], items); break; } // SETITEMS
      case 0x58: stack.push(str(u32())); break; // BINUNICODE
      case 0x8c: stack.push(str(u8())); break; // SHORT_BINUNICODE
      case 0x8d: { const n = Number(view.getBigUint64(pos, true)); pos += 8; stack.push(str(n)); break; } // BINUNICODE8
      case 0x55: stack.push(str(u8())); break; // SHORT_BINSTRING
      case 0x43: { const n = u8(); need(n); stack.push(bytes.slice(pos, pos + n)); pos += n; break; } // SHORT_BINBYTES
      case 0x42: { const n = u32(); need(n); stack.push(bytes.slice(pos, pos + n)); pos += n; break; } // BINBYTES
      case 0x4a: stack.push(i32()); break; // BININT
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x8a: { const n = u8(); need(n); stack.push(long(bytes.subarray(pos, pos + n))); pos += n; break; } // LONG1
      case 0x47: need(8); stack.push(view.getFloat64(pos, false)); pos += 8; break; // BINFLOAT (big-endian)
      case 0x88: stack.push(true); break;
      case 0x89: stack.push(false); break;
      case 0x4e: stack.push(null); break;
      case 0x51: stack.push(persistent(pop())); break; // BINPERSID
      case 0x52: { const args = pop(); const f = pop(); stack.push(reduce(f, args)); break; } // REDUCE
      case 0x62: pop(); break; // BUILD: a state dict's `_metadata`, not needed
      default:
        throw new PickleError(false, `uses the pickle opcode 0x${op.toString(16)}, which a state dict does not need`);
    }
  }
}

function memoGet(memo: Map<number, Value>, i: number): Value {
  if (!memo.has(i)) throw new PickleError(false, `refers to memo entry ${i}, which was never stored`);
  return memo.get(i);
}

/** A little-endian two's-complement integer (LONG1), as a number (state dicts hold small ones). */
function long(b: Uint8Array): number {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  if (b.length && b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
  return Number(v);
}

/** ('storage', storage type, key, location, numel): a record of the archive. */
function persistent(id: Value): StorageRef {
  if (!Array.isArray(id) || id[0] !== 'storage') throw new PickleError(false, 'has a persistent id that is not a storage');
  const type = id[1] as Allowed;
  if (type?.kind !== 'storage_type') throw new PickleError(false, 'has a storage of an unknown type');
  return { kind: 'storage', dtype: type.dtype, key: String(id[2]) };
}

function reduce(f: Value, args: Value): Value {
  const g = f as Allowed;
  if (!Array.isArray(args) || g?.kind !== 'global') throw new PickleError(false, 'calls something that is not an allowed global');
  switch (g.name) {
    case 'OrderedDict':
      return new Map();
    case 'rebuild_parameter':
      return args[0];
    case 'rebuild_tensor': {
      const [storage, offset, shape, stride] = args as [StorageRef, number, number[], number[]];
      if (storage?.kind !== 'storage' || !Array.isArray(shape) || !Array.isArray(stride)) throw new PickleError(false, 'rebuilds a tensor from something that is not a storage');
      const t: TensorRef = { kind: 'tensor', storage, offset: Number(offset), shape: shape.map(Number), stride: stride.map(Number) };
      return t;
    }
  }
}
