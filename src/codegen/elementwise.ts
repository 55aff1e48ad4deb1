import type { Graph, Op, Tensor, UnaryFn } from '../ir/graph.js';
import { numel } from '../ir/graph.js';
import { activationFns, savedName, unaryExpr, unaryGradExpr, type ActivationUse } from './activation.js';
import type { Kernel, TargetInfo } from './kernel.js';
import { tensorOf } from './shapes.js';
import { elementwiseTile, type ElementwiseTile } from './variants.js';
import { bindingsOf, ceilDiv, declareBindings, f32, range, u32, type BufferDecl } from './wgsl.js';

/**
 * Elementwise kernels (unary, unary_grad, n-ary add): vec4 elements when the per-sample size is a
 * multiple of 4, scalars otherwise; each invocation handles several, strided by the workgroup so
 * neighbouring invocations touch neighbouring words. `T` is the element type in the expressions.
 */

/** WebGPU's default maxStorageBuffersPerShaderStage: every kernel's storage bindings must fit. */
export const MAX_STORAGE_BUFFERS = 8;

/**
 * Fused prologues and epilogues (ir/fuse.ts Group): the activation derivative a gradient kernel
 * applies as it reads its incoming gradient, and the adds and activations a forward kernel applies
 * to each value as it stores it. Both are per element, so any kernel that knows the flat index of
 * what it reads or writes can take them without touching its inner loop's structure.
 */

/** A unary_grad [raw, s] → dy applied while reading dy: dy = raw·f′(s); dy itself is never stored. */
export interface Prologue {
  readonly fn: UnaryFn;
  readonly alpha: number;
  readonly raw: number;
  /** unary_grad input 1: the forward output y, or the input x for silu, gelu and hardswish (graph.ts UNARY_GRAD_FROM). */
  readonly saved: number;
}

/**
 * What a weight-gradient kernel fuses: the prologue on dy, and the bias gradient db = Σ dy per
 * output channel (the tensor it writes), summed from the dy values the kernel loads anyway.
 */
export interface WeightGradFusion {
  readonly prologue?: Prologue;
  readonly biasGrad?: number;
}

/**
 * One epilogue op: `add` (the running value `self` times, plus other tensors at the same index),
 * `unary`, or `unary_grad` (the running value is dy, times the derivative from `saved` at the same
 * index: a gradient sum in the backward pass, then the activation's derivative); or `store`, which
 * writes the running value to a tensor of the chain that a later op reads (the input of silu, gelu
 * or hardswish, for their gradient) and goes on.
 */
export type EpilogueStep =
  | { readonly kind: 'add'; readonly self: number; readonly others: readonly number[] }
  | { readonly kind: 'unary'; readonly fn: UnaryFn; readonly alpha: number }
  | { readonly kind: 'unary_grad'; readonly fn: UnaryFn; readonly alpha: number; readonly saved: number }
  | { readonly kind: 'store'; readonly tensor: number };

export interface Epilogue {
  readonly steps: readonly EpilogueStep[];
  /** The tensor the kernel writes: the last step's output (intermediate tensors are never stored). */
  readonly output: number;
}

/**
 * The epilogue ops (`chain`, applied in order to the anchor's output) as steps on the running
 * value, checking that each consumes the one before. A tensor of the chain that an op outside the
 * anchor and its chain reads, or that the graph returns, is stored before the next step (the fusion
 * pass lets a chain run on through the input of silu, gelu or hardswish, which their backward
 * reads). The fusion rules count a kernel's bindings from the same steps.
 */
export function epilogueOf(anchor: Op, chain: readonly Op[], graph: Graph): Epilogue {
  const inGroup = new Set([anchor.id, ...chain.map((o) => o.id)]);
  const readElsewhere = (t: number) => graph.outputs.includes(t) || graph.ops.some((o) => !inGroup.has(o.id) && o.inputs.includes(t));
  let cur = anchor.outputs[0];
  const steps = chain.flatMap((o): EpilogueStep[] => {
    const prev = cur;
    const step = stepOf(o, prev);
    if (!step) throw new Error(`internal: epilogue ${o.kind} (op ${o.id}) does not consume tensor ${prev}`);
    cur = o.outputs[0];
    return readElsewhere(prev) ? [{ kind: 'store', tensor: prev }, step] : [step];
  });
  return { steps, output: cur };
}

/** Op `o` as a step on the running value `prev`, or undefined where it does not take it so. */
function stepOf(o: Op, prev: number): EpilogueStep | undefined {
  const self = o.inputs.filter((i) => i === prev).length;
  if (!self) return undefined;
  switch (o.kind) {
    case 'add':
      return { kind: 'add', self, others: o.inputs.filter((i) => i !== prev) };
    case 'unary':
      return { kind: 'unary', fn: o.fn, alpha: o.alpha };
    case 'unary_grad':
      // The running value must be dy (input 0), not the saved tensor the derivative reads.
      return o.inputs[0] === prev && o.inputs[1] !== prev ? { kind: 'unary_grad', fn: o.fn, alpha: o.alpha, saved: o.inputs[1] } : undefined;
    default:
      return undefined;
  }
}

/**
 * Statements updating `var r` of type T through the steps; `read(t)` is tensor t at this element,
 * `target(t)` the place a store step writes.
 */
function epilogueStatements(steps: readonly EpilogueStep[], T: string, read: (tensor: number) => string, target: (tensor: number) => string): string[] {
  return steps.map((s) => {
    if (s.kind === 'unary') return `{ let v = r; r = ${unaryExpr(s.fn, s.alpha, T)}; }`;
    if (s.kind === 'unary_grad') return `{ let d = r; let ${savedName(s.fn)} = ${read(s.saved)}; r = ${unaryGradExpr(s.fn, s.alpha, T)}; }`;
    if (s.kind === 'store') return `${target(s.tensor)} = r;`;
    const self = s.self === 1 ? 'r' : `${T}(${f32(s.self)}) * r`;
    return `r = ${[self, ...s.others.map(read)].join(' + ')};`;
  });
}

/** Other tensors an epilogue reads, once each, in order of first use. */
function epilogueInputs(e: Epilogue | undefined): number[] {
  return [...new Set((e?.steps ?? []).flatMap((s) => (s.kind === 'add' ? s.others : s.kind === 'unary_grad' ? [s.saved] : [])))];
}

/** Tensors an epilogue stores on the way, besides its output. */
function epilogueStores(e: Epilogue | undefined): number[] {
  return (e?.steps ?? []).flatMap((s) => (s.kind === 'store' ? [s.tensor] : []));
}

/** Helper functions an epilogue's activations call ('' for the inline ones). */
function epilogueFns(e: Epilogue | undefined, T: string): string {
  return activationFns((e?.steps ?? []).flatMap((s): ActivationUse[] => (s.kind === 'unary' || s.kind === 'unary_grad' ? [{ fn: s.fn, grad: s.kind === 'unary_grad' }] : [])), T);
}

/** How a kernel reads its incoming gradient: buffers to bind, WGSL functions, and a read at a flat index. */
export interface GradientRead {
  readonly buffers: readonly BufferDecl[];
  readonly fns: string;
  read(index: string): string;
}

/** The gradient buffer `name` (tensor), or with a prologue the raw gradient and the forward value (y or x) it is computed from. */
export function gradientRead(name: string, tensor: number, prologue?: Prologue): GradientRead {
  if (!prologue) return { buffers: [{ name, tensor, access: 'read' }], fns: '', read: (i) => `${name}[${i}]` };
  const raw = `${name}_raw`;
  const v = savedName(prologue.fn);
  const saved = `${name}_${v}`;
  return {
    buffers: [{ name: raw, tensor: prologue.raw, access: 'read' }, { name: saved, tensor: prologue.saved, access: 'read' }],
    fns: `${activationFns([{ fn: prologue.fn, grad: true }], 'f32')}
// ${name} = ${raw}·${prologue.fn}′(${saved}), a fused unary_grad: applied at every read, never stored.
fn read_${name}(i: u32) -> f32 {
  let d = ${raw}[i];
  let ${v} = ${saved}[i];
  return ${unaryGradExpr(prologue.fn, prologue.alpha, 'f32')};
}`,
    read: (i) => `read_${name}(${i})`,
  };
}

/** How a kernel stores its output: buffers to bind (the epilogue's reads, then the output), WGSL functions, a store statement. */
export interface OutputWrite {
  readonly buffers: readonly BufferDecl[];
  readonly fns: string;
  write(index: string, value: string): string;
}

/**
 * The output buffer `name` (tensor), or with an epilogue the final tensor, its steps applied at the
 * store (and any tensor a store step keeps, written on the way).
 */
export function outputWrite(name: string, tensor: number, epilogue?: Epilogue): OutputWrite {
  if (!epilogue) return { buffers: [{ name, tensor, access: 'read_write' }], fns: '', write: (i, v) => `${name}[${i}] = ${v};` };
  const others = epilogueInputs(epilogue);
  const stores = epilogueStores(epilogue);
  const buf = (t: number) => `${name}_in${others.indexOf(t)}`;
  const kept = (t: number) => `${name}_keep${stores.indexOf(t)}`;
  const body = epilogueStatements(epilogue.steps, 'f32', (t) => `${buf(t)}[i]`, (t) => `${kept(t)}[i]`).map((l) => `  ${l}`);
  return {
    buffers: [
      ...others.map((t) => ({ name: buf(t), tensor: t, access: 'read' as const })),
      ...stores.map((t) => ({ name: kept(t), tensor: t, access: 'read_write' as const })),
      { name, tensor: epilogue.output, access: 'read_write' },
    ],
    fns: `${epilogueFns(epilogue, 'f32')}
// The fused epilogue (adds of tensors at the same index, activations), applied once per stored value.
fn epilogue_${name}(acc: f32, i: u32) -> f32 {
  var r = acc;
${body.join('\n')}
  return r;
}`,
    write: (i, v) => `${name}[${i}] = epilogue_${name}(${v}, ${i});`,
  };
}

/**
 * outputWrite for kernels whose elements have type `T` (vec4 along positions, or f32): the epilogue's
 * buffers take that type too, and its steps run inline at each store (batchnorm's kernels).
 */
export function typedOutputWrite(name: string, tensor: number, T: 'vec4<f32>' | 'f32', epilogue?: Epilogue): OutputWrite {
  if (!epilogue) return { buffers: [{ name, tensor, access: 'read_write', type: T }], fns: '', write: (i, v) => `${name}[${i}] = ${v};` };
  const others = epilogueInputs(epilogue);
  const stores = epilogueStores(epilogue);
  const buf = (t: number) => `${name}_in${others.indexOf(t)}`;
  const kept = (t: number) => `${name}_keep${stores.indexOf(t)}`;
  return {
    buffers: [
      ...others.map((t) => ({ name: buf(t), tensor: t, access: 'read' as const, type: T })),
      ...stores.map((t) => ({ name: kept(t), tensor: t, access: 'read_write' as const, type: T })),
      { name, tensor: epilogue.output, access: 'read_write', type: T },
    ],
    fns: epilogueFns(epilogue, T),
    write: (i, v) => {
      const steps = epilogueStatements(epilogue.steps, T, (t) => `${buf(t)}[${i}]`, (t) => `${kept(t)}[${i}]`);
      return ['{', `  var r = ${v};`, ...steps.map((l) => `  ${l}`), `  ${name}[${i}] = r;`, '}'].join('\n    ');
    },
  };
}

interface ElementwiseSpec {
  readonly name: string;
  readonly op: Op;
  /** Input buffer names, in order, and what each element's value is bound to. */
  readonly inputs: readonly { readonly buffer: string; readonly tensor: Tensor; readonly bind: string }[];
  readonly output: Tensor;
  /** Expression of type T over the bound names. */
  readonly expr: string;
  /** Statements updating `var r`, which starts as expr and is stored (a fused epilogue). */
  readonly post?: readonly string[];
  /** Tensors the post statements store on the way (an epilogue's store steps), by buffer name. */
  readonly stores?: readonly { readonly buffer: string; readonly tensor: Tensor }[];
  /** Helper functions the expressions call. */
  readonly fns?: string;
}

function elementwise(spec: ElementwiseSpec, target: TargetInfo, tile: ElementwiseTile): Kernel {
  const out = spec.output;
  const n = numel(out.shape);
  for (const i of [...spec.inputs, ...(spec.stores ?? [])]) {
    if (numel(i.tensor.shape) !== n || i.tensor.batched !== out.batched) {
      throw new Error(`internal: ${spec.name} over ${i.tensor.name} (${i.tensor.shape.join('×')}) and ${out.name} (${out.shape.join('×')})`);
    }
  }
  if (spec.inputs.length + (spec.stores?.length ?? 0) + 1 > MAX_STORAGE_BUFFERS) {
    throw new Error(`internal: ${spec.name}:${spec.op.layer} has ${spec.inputs.length} inputs; kernels bind at most ${MAX_STORAGE_BUFFERS - 1} (split the sum)`);
  }
  const vec = n % 4 === 0;
  const type: 'vec4<f32>' | 'f32' = vec ? 'vec4<f32>' : 'f32';
  const buffers: BufferDecl[] = [
    ...spec.inputs.map((i) => ({ name: i.buffer, tensor: i.tensor.id, access: 'read' as const, type })),
    ...(spec.stores ?? []).map((s) => ({ name: s.buffer, tensor: s.tensor.id, access: 'read_write' as const, type })),
    { name: 'result', tensor: out.id, access: 'read_write', type },
  ];
  const units = vec ? n / 4 : n;
  const { wg, perInvocation } = tile;
  const total = out.batched ? `params.batch * ${u32(units)}` : u32(units);
  const binds = spec.inputs.map((i) => `      let ${i.bind} = ${i.buffer}[e];`).join('\n');
  const store = spec.post ? [`var r = ${spec.expr};`, ...spec.post, 'result[e] = r;'] : [`result[e] = ${spec.expr};`];
  const stores = store.map((l) => `      ${l}`).join('\n');
  const body = range(perInvocation)
    .map((j) => `  {\n    let e = base + ${u32(j * wg)};\n    if (e < total) {\n${binds}\n${stores}\n    }\n  }`)
    .join('\n');
  const source = `// ${spec.name}: ${out.shape.join('×')}${out.batched ? ' per sample' : ''}, ${vec ? 'vec4' : 'scalar'}
alias T = ${type};
${declareBindings(buffers)}${spec.fns ?? ''}

@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let total = ${total};
  let base = (wid.x + wid.y * nwg.x) * ${u32(wg * perInvocation)} + lid;
${body}
}
`;
  const perWorkgroup = wg * perInvocation;
  return {
    name: `${spec.name}:${spec.op.layer}`,
    layer: spec.op.layer,
    source,
    bindings: bindingsOf(buffers),
    workgroups: { units, batched: out.batched, perWorkgroup, times: 1 },
  };
}

/** unary: [x] → [y]. */
export function emitUnary(op: Op, graph: Graph, target: TargetInfo, tile?: ElementwiseTile): Kernel {
  if (op.kind !== 'unary') throw new Error(`internal: emitUnary got ${op.kind}`);
  const x = tensorOf(graph, op.inputs[0]);
  return elementwise(
    {
      name: `unary_${op.fn}`, op, inputs: [{ buffer: 'x', tensor: x, bind: 'v' }], output: tensorOf(graph, op.outputs[0]), expr: unaryExpr(op.fn, op.alpha),
      fns: activationFns([{ fn: op.fn, grad: false }], 'T'),
    },
    target,
    tile ?? elementwiseTile(target),
  );
}

/** unary_grad: [dy, y] → [dx], y the forward output (x, the forward input, for silu, gelu and hardswish). */
export function emitUnaryGrad(op: Op, graph: Graph, target: TargetInfo, tile?: ElementwiseTile): Kernel {
  if (op.kind !== 'unary_grad') throw new Error(`internal: emitUnaryGrad got ${op.kind}`);
  const v = savedName(op.fn);
  const inputs = [
    { buffer: 'dy', tensor: tensorOf(graph, op.inputs[0]), bind: 'd' },
    { buffer: `${v}f`, tensor: tensorOf(graph, op.inputs[1]), bind: v },
  ];
  return elementwise(
    {
      name: `unary_grad_${op.fn}`, op, inputs, output: tensorOf(graph, op.outputs[0]), expr: unaryGradExpr(op.fn, op.alpha),
      fns: activationFns([{ fn: op.fn, grad: true }], 'T'),
    },
    target,
    tile ?? elementwiseTile(target),
  );
}

/** add: [a, b, …] → [y], the sum of all inputs; with an epilogue, its steps before the store. */
export function emitAdd(op: Op, graph: Graph, target: TargetInfo, tile?: ElementwiseTile, epilogue?: Epilogue): Kernel {
  if (op.kind !== 'add') throw new Error(`internal: emitAdd got ${op.kind}`);
  if (op.inputs.length < 1) throw new Error('internal: add without inputs');
  const inputs = op.inputs.map((id, i) => ({ buffer: `in${i}`, tensor: tensorOf(graph, id), bind: `v${i}` }));
  const extra = epilogueInputs(epilogue).map((id, i) => ({ buffer: `ep${i}`, tensor: tensorOf(graph, id), bind: `e${i}` }));
  const stores = epilogueStores(epilogue).map((id, i) => ({ buffer: `keep${i}`, tensor: tensorOf(graph, id) }));
  const post = epilogue && epilogueStatements(
    epilogue.steps, 'T',
    (t) => extra[extra.findIndex((x) => x.tensor.id === t)].bind,
    (t) => `${stores[stores.findIndex((x) => x.tensor.id === t)].buffer}[e]`,
  );
  const fns = epilogueFns(epilogue, 'T');
  return elementwise(
    {
      name: 'add', op, inputs: [...inputs, ...extra], output: tensorOf(graph, epilogue?.output ?? op.outputs[0]),
      expr: inputs.map((i) => i.bind).join(' + '), ...(post ? { post } : {}), ...(stores.length ? { stores } : {}), ...(fns ? { fns } : {}),
    },
    target,
    tile ?? elementwiseTile(target),
  );
}
