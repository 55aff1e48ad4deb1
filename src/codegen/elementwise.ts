import type { Graph, Op, Tensor, UnaryFn } from '../ir/graph.js';
import { numel } from '../ir/graph.js';
import type { Kernel, TargetInfo } from './kernel.js';
import { tensorOf } from './shapes.js';
import { elementwiseTile, type ElementwiseTile } from './variants.js';
import { bindingsOf, ceilDiv, declareBindings, f32, foldDispatch, range, u32, type BufferDecl } from './wgsl.js';

/**
 * Elementwise kernels (unary, unary_grad, n-ary add): vec4 elements when the per-sample size is a
 * multiple of 4, scalars otherwise; each invocation handles several, strided by the workgroup so
 * neighbouring invocations touch neighbouring words. `T` is the element type in the expressions.
 */

/** WebGPU's default maxStorageBuffersPerShaderStage: inputs plus the output must fit. */
const MAX_STORAGE_BUFFERS = 8;

/** y = fn(v) for v: T. */
export function unaryExpr(fn: UnaryFn, alpha: number): string {
  const a = f32(alpha);
  switch (fn) {
    case 'relu':
      return 'max(v, T(0.0))';
    case 'relu6':
      return 'clamp(v, T(0.0), T(6.0))';
    case 'leaky_relu':
      return `select(T(${a}) * v, v, v > T(0.0))`;
    case 'elu':
      return `select(T(${a}) * (exp(min(v, T(0.0))) - T(1.0)), v, v > T(0.0))`;
    case 'sigmoid':
      return 'T(1.0) / (T(1.0) + exp(-v))';
    case 'tanh':
      // tanh saturates in f32 long before 15; clamping keeps exp-based lowerings from overflowing.
      return 'tanh(clamp(v, T(-15.0), T(15.0)))';
    case 'identity':
      return 'v';
  }
}

/**
 * dx for dy = d: T from the forward OUTPUT y: T (graph.ts: unary_grad reads [dy, y]). Kinks follow
 * PyTorch: relu and relu6 pass nothing at 0 (and 6), leaky_relu and elu take the negative slope.
 */
export function unaryGradExpr(fn: UnaryFn, alpha: number): string {
  const a = f32(alpha);
  switch (fn) {
    case 'relu':
      return 'select(T(0.0), d, y > T(0.0))';
    case 'relu6':
      return 'select(T(0.0), d, (y > T(0.0)) & (y < T(6.0)))';
    case 'leaky_relu':
      return `select(T(${a}) * d, d, y > T(0.0))`;
    case 'elu':
      return `select(d * (y + T(${a})), d, y > T(0.0))`;
    case 'sigmoid':
      return 'd * y * (T(1.0) - y)';
    case 'tanh':
      return 'd * (T(1.0) - y * y)';
    case 'identity':
      return 'd';
  }
}

interface ElementwiseSpec {
  readonly name: string;
  readonly op: Op;
  /** Input buffer names, in order, and what each element's value is bound to. */
  readonly inputs: readonly { readonly buffer: string; readonly tensor: Tensor; readonly bind: string }[];
  readonly output: Tensor;
  /** Expression of type T over the bound names. */
  readonly expr: string;
}

function elementwise(spec: ElementwiseSpec, target: TargetInfo, tile: ElementwiseTile): Kernel {
  const out = spec.output;
  const n = numel(out.shape);
  for (const i of spec.inputs) {
    if (numel(i.tensor.shape) !== n || i.tensor.batched !== out.batched) {
      throw new Error(`internal: ${spec.name} over ${i.tensor.name} (${i.tensor.shape.join('×')}) and ${out.name} (${out.shape.join('×')})`);
    }
  }
  if (spec.inputs.length + 1 > MAX_STORAGE_BUFFERS) {
    throw new Error(`internal: ${spec.name}:${spec.op.layer} has ${spec.inputs.length} inputs; kernels bind at most ${MAX_STORAGE_BUFFERS - 1} (split the sum)`);
  }
  const vec = n % 4 === 0;
  const type: 'vec4<f32>' | 'f32' = vec ? 'vec4<f32>' : 'f32';
  const buffers: BufferDecl[] = [
    ...spec.inputs.map((i) => ({ name: i.buffer, tensor: i.tensor.id, access: 'read' as const, type })),
    { name: 'result', tensor: out.id, access: 'read_write', type },
  ];
  const units = vec ? n / 4 : n;
  const { wg, perInvocation } = tile;
  const total = out.batched ? `params.batch * ${u32(units)}` : u32(units);
  const binds = spec.inputs.map((i) => `      let ${i.bind} = ${i.buffer}[e];`).join('\n');
  const body = range(perInvocation)
    .map((j) => `  {\n    let e = base + ${u32(j * wg)};\n    if (e < total) {\n${binds}\n      result[e] = ${spec.expr};\n    }\n  }`)
    .join('\n');
  const source = `// ${spec.name}: ${out.shape.join('×')}${out.batched ? ' per sample' : ''}, ${vec ? 'vec4' : 'scalar'}
alias T = ${type};
${declareBindings(buffers)}

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
    dispatch: (batch) => foldDispatch(ceilDiv(units * (out.batched ? batch : 1), perWorkgroup), target.maxComputeWorkgroupsPerDimension),
  };
}

/** unary: [x] → [y]. */
export function emitUnary(op: Op, graph: Graph, target: TargetInfo, tile?: ElementwiseTile): Kernel {
  if (op.kind !== 'unary') throw new Error(`internal: emitUnary got ${op.kind}`);
  const x = tensorOf(graph, op.inputs[0]);
  return elementwise(
    { name: `unary_${op.fn}`, op, inputs: [{ buffer: 'x', tensor: x, bind: 'v' }], output: tensorOf(graph, op.outputs[0]), expr: unaryExpr(op.fn, op.alpha) },
    target,
    tile ?? elementwiseTile(target),
  );
}

/** unary_grad: [dy, y] → [dx], y the forward output. */
export function emitUnaryGrad(op: Op, graph: Graph, target: TargetInfo, tile?: ElementwiseTile): Kernel {
  if (op.kind !== 'unary_grad') throw new Error(`internal: emitUnaryGrad got ${op.kind}`);
  const inputs = [
    { buffer: 'dy', tensor: tensorOf(graph, op.inputs[0]), bind: 'd' },
    { buffer: 'yf', tensor: tensorOf(graph, op.inputs[1]), bind: 'y' },
  ];
  return elementwise(
    { name: `unary_grad_${op.fn}`, op, inputs, output: tensorOf(graph, op.outputs[0]), expr: unaryGradExpr(op.fn, op.alpha) },
    target,
    tile ?? elementwiseTile(target),
  );
}

/** add: [a, b, …] → [y], the sum of all inputs. */
export function emitAdd(op: Op, graph: Graph, target: TargetInfo, tile?: ElementwiseTile): Kernel {
  if (op.kind !== 'add') throw new Error(`internal: emitAdd got ${op.kind}`);
  if (op.inputs.length < 1) throw new Error('internal: add without inputs');
  const inputs = op.inputs.map((id, i) => ({ buffer: `in${i}`, tensor: tensorOf(graph, id), bind: `v${i}` }));
  return elementwise(
    { name: 'add', op, inputs, output: tensorOf(graph, op.outputs[0]), expr: inputs.map((i) => i.bind).join(' + ') },
    target,
    tile ?? elementwiseTile(target),
  );
}
