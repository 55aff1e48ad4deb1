import onnxProto from 'onnx-proto';
import type { CheckedModel } from '../check/model.js';
import { positionOf, type SourceFile } from '../diagnostics/source.js';
import type { WeightTensor } from '../engine/session.js';
import type { Graph, Op, Pad4, PoolAttrs } from '../ir/graph.js';
import { lowerModel } from '../ir/lower.js';
import { onlyWhatComputes } from '../ir/prune.js';
import { poolDivisors } from '../ir/reference/pool.js';

const { onnx } = onnxProto;

/**
 * A checked model as an ONNX model (`cnnc export --to onnx`): the inference graph — batchnorm
 * with its running statistics, dropout gone — with a dynamic batch dimension `N`, the weights as
 * initializers under cnnc's names, nodes named after the layers and a doc_string with each
 * layer's source line. Each IR op becomes the standard operators with exactly cnnc's semantics;
 * where ONNX's own attribute differs (ceil-mode windows, the average's divisor in windows that
 * run past the padding, adaptive windows that do not divide the input, LRN of even size), the op
 * is written out in smaller operators rather than trusted to a runtime's reading of the spec.
 * The protobuf is written by onnx-proto (the ONNX schema compiled for protobufjs).
 */

export interface OnnxOptions {
  /** The operator set: 13 to 17 (17 by default; what Debian's onnx 1.12 checks). */
  readonly opset?: number;
  readonly producerVersion?: string;
}

export const OPSETS = [13, 14, 15, 16, 17] as const;

export function exportOnnx(model: CheckedModel, weights: Readonly<Record<string, WeightTensor>>, sources: ReadonlyMap<string, SourceFile>, opts: OnnxOptions = {}): Uint8Array {
  const opset = opts.opset ?? 17;
  if (!OPSETS.includes(opset as (typeof OPSETS)[number])) throw new RangeError(`opset ${opset}: cnnc writes opsets ${OPSETS.join(', ')}`);
  const g = lowerModel(model, { mode: 'infer' });
  const output = g.outputs[0];
  const b = new Builder(g, sources);
  for (const t of g.tensors) {
    if (t.role !== 'param' && t.role !== 'state') continue;
    const w = weights[t.name];
    // A batchnorm without affine reads constant ones and zeros, which are nobody's weights.
    const data = w?.data ?? (t.init?.kind === 'const' ? new Float32Array(t.shape.reduce((x, y) => x * y, 1)).fill(t.init.value) : undefined);
    if (!data) throw new Error(`internal: no weights for ${t.name}`);
    b.initializer(t.name, t.shape, data);
  }
  for (const op of onlyWhatComputes(g, output).ops) emitOp(b, op);
  const input = g.tensors[g.inputs[0]];
  const graph = onnx.GraphProto.create({
    name: model.name,
    node: b.nodes,
    initializer: b.initializers,
    input: g.inputs.map((i) => valueInfo(b.name(i), g.tensors[i].shape)),
    output: [valueInfo(b.name(output), g.tensors[output].shape)],
    docString: `${model.name}: input N × ${input.shape.join(' × ')}, output N × ${g.tensors[output].shape.join(' × ')}`,
  });
  const m = onnx.ModelProto.create({
    irVersion: opset >= 15 ? 8 : 7,
    opsetImport: [{ domain: '', version: opset }],
    producerName: 'cnnc',
    producerVersion: opts.producerVersion ?? '',
    graph,
    docString: `exported by cnnc from ${model.span.file.split('/').pop()}`,
  });
  return onnx.ModelProto.encode(m).finish();
}

function valueInfo(name: string, shape: readonly number[]): onnxProto.onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, ...shape.map((d) => ({ dimValue: d }))] } } } };
}

type Attr = number | readonly number[] | string | { readonly float: number } | { readonly floats: readonly number[] };

class Builder {
  readonly nodes: onnxProto.onnx.INodeProto[] = [];
  readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly names = new Map<number, string>();
  private readonly used = new Set<string>();
  private temp = 0;

  constructor(
    readonly graph: Graph,
    private readonly sources: ReadonlyMap<string, SourceFile>,
  ) {}

  /** The ONNX name of an IR tensor: its own for inputs and weights, `<layer>` for a layer's output. */
  name(t: number): string {
    const known = this.names.get(t);
    if (known) return known;
    const tensor = this.graph.tensors[t];
    // Weights are initializers under their own names, made first.
    const name = tensor.role === 'param' || tensor.role === 'state' ? tensor.name : this.unique(tensor.name);
    this.names.set(t, name);
    return name;
  }

  shape(t: number): readonly number[] {
    return this.graph.tensors[t].shape;
  }

  unique(base: string): string {
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** One node; returns its output's name (a fresh one unless `out` is given). */
  node(op: Op, type: string, inputs: readonly string[], attrs: Readonly<Record<string, Attr>> = {}, out?: string): string {
    const output = out ?? this.unique(`${op.layer}/${type}_${++this.temp}`);
    this.nodes.push({
      name: this.unique(`${op.layer}/${type}`),
      opType: type,
      input: [...inputs],
      output: [output],
      attribute: Object.entries(attrs).map(([name, v]) => attribute(name, v)),
      docString: this.where(op),
    });
    return output;
  }

  initializer(name: string, shape: readonly number[], data: ArrayLike<number>): string {
    const bytes = new Uint8Array(data.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i], true);
    this.initializers.push({ name, dims: [...shape], dataType: onnx.TensorProto.DataType.FLOAT, rawData: bytes });
    this.used.add(name);
    return name;
  }

  /** A float constant (a divisor, a scale) as an initializer. */
  floats(op: Op, what: string, shape: readonly number[], data: ArrayLike<number>): string {
    return this.initializer(this.unique(`${op.layer}/${what}`), shape, data);
  }

  /** An int64 constant (pads, shapes, slice bounds). */
  ints(op: Op, what: string, data: readonly number[]): string {
    const bytes = new Uint8Array(data.length * 8);
    const view = new DataView(bytes.buffer);
    data.forEach((v, i) => view.setBigInt64(8 * i, BigInt(v), true));
    const name = this.unique(`${op.layer}/${what}`);
    this.initializers.push({ name, dims: [data.length], dataType: onnx.TensorProto.DataType.INT64, rawData: bytes });
    return name;
  }

  private where(op: Op): string {
    const src = op.span && this.sources.get(op.span.file);
    if (!op.span || !src) return op.layer;
    const text = src.text.slice(op.span.start, op.span.end).replace(/\s+/g, ' ');
    return `${op.layer}: ${op.span.file.split('/').pop()}:${positionOf(src, op.span.start).line} ${text.length > 80 ? `${text.slice(0, 77)}...` : text}`;
  }
}

function attribute(name: string, v: Attr): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') return { name, type: T.INT, i: v };
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if ('float' in v) return { name, type: T.FLOAT, f: v.float };
  if ('floats' in v) return { name, type: T.FLOATS, floats: [...v.floats] };
  return { name, type: T.INTS, ints: [...(v as readonly number[])] };
}

/** ONNX's pads: [top, left, bottom, right] from cnnc's [top, bottom, left, right]. */
function onnxPads(p: Pad4): number[] {
  return [p[0], p[2], p[1], p[3]];
}

function emitOp(b: Builder, op: Op): void {
  const x = b.name(op.inputs[0]);
  const out = b.name(op.outputs[0]);
  switch (op.kind) {
    case 'conv2d': {
      const { stride, pad, dilation, groups, padMode } = op.attrs;
      const w = b.shape(op.inputs[1]);
      const inputs = [x, b.name(op.inputs[1]), ...(op.bias ? [b.name(op.inputs[2])] : [])];
      let pads = onnxPads(pad);
      if (padMode === 'replicate' && pad.some((p) => p > 0)) {
        inputs[0] = b.node(op, 'Pad', [x, b.ints(op, 'pads', [0, 0, pad[0], pad[2], 0, 0, pad[1], pad[3]])], { mode: 'edge' });
        pads = [0, 0, 0, 0];
      }
      b.node(op, 'Conv', inputs, { kernel_shape: [w[2], w[3]], strides: [...stride], pads, dilations: [...dilation], group: groups }, out);
      return;
    }
    case 'dense':
      b.node(op, 'Gemm', [x, b.name(op.inputs[1]), ...(op.bias ? [b.name(op.inputs[2])] : [])], { transB: 1 }, out);
      return;
    case 'pool2d':
      pool(b, op, x, out);
      return;
    case 'adaptive_pool':
      adaptive(b, op, x, out);
      return;
    case 'maxout': {
      const s = b.shape(op.inputs[0]);
      const reshaped = b.node(op, 'Reshape', [x, b.ints(op, 'groups', [0, s[0] / op.k, op.k, ...s.slice(1)])]);
      b.node(op, 'ReduceMax', [reshaped], { axes: [2], keepdims: 0 }, out);
      return;
    }
    case 'reshape':
      // Flatten, or dropout at inference (the same shape): Identity keeps the layer's name.
      b.node(op, b.shape(op.inputs[0]).length === b.shape(op.outputs[0]).length ? 'Identity' : 'Flatten', [x], b.shape(op.inputs[0]).length === b.shape(op.outputs[0]).length ? {} : { axis: 1 }, out);
      return;
    case 'batchnorm': {
      const [, gamma, beta, mean, variance] = op.inputs.map((i) => b.name(i));
      b.node(op, 'BatchNormalization', [x, gamma, beta, mean, variance], { epsilon: { float: op.eps } }, out);
      return;
    }
    case 'lrn':
      lrn(b, op, x, out);
      return;
    case 'unary':
      unary(b, op, x, out);
      return;
    case 'softmax':
      b.node(op, 'Softmax', [x], { axis: 1 }, out);
      return;
    case 'add':
      b.node(op, 'Sum', op.inputs.map((i) => b.name(i)), {}, out);
      return;
    case 'concat':
      b.node(op, 'Concat', op.inputs.map((i) => b.name(i)), { axis: 1 }, out);
      return;
    default:
      throw new Error(`internal: the ONNX export has no rule for ${op.kind} (layer ${op.layer}); inference graphs do not contain it`);
  }
}

/**
 * Pooling with cnnc's windows. A ceil-mode window that runs past the input is given the padding it
 * needs at the end (never read as data: -inf for max, 0 for sums), so every runtime sees plain
 * floor-mode windows; the average is then the windowed sum over cnnc's divisor, a constant per
 * output position (count_pad or not, clipped at the padding as PyTorch clips).
 */
function pool(b: Builder, op: Extract<Op, { kind: 'pool2d' }>, x: string, out: string): void {
  const a: PoolAttrs = op.attrs;
  const [, h, w] = b.shape(op.inputs[0]);
  const [, oh, ow] = b.shape(op.outputs[0]);
  const extraH = Math.max(0, (oh - 1) * a.stride[0] + a.kernel[0] - (h + a.pad[0] + a.pad[1]));
  const extraW = Math.max(0, (ow - 1) * a.stride[1] + a.kernel[1] - (w + a.pad[2] + a.pad[3]));
  const pads = [a.pad[0], a.pad[2], a.pad[1] + extraH, a.pad[3] + extraW];
  const win = { kernel_shape: [...a.kernel], strides: [...a.stride], pads };
  switch (a.mode) {
    case 'max':
      b.node(op, 'MaxPool', [x], win, out);
      return;
    case 'min': {
      const neg = b.node(op, 'Neg', [x]);
      b.node(op, 'Neg', [b.node(op, 'MaxPool', [neg], win)], {}, out);
      return;
    }
    case 'l2':
      b.node(op, 'LpPool', [x], { ...win, p: 2 }, out);
      return;
    case 'avg': {
      const divisors = avgDivisors(a, h, w, oh, ow);
      const full = a.kernel[0] * a.kernel[1];
      if (divisors.every((d) => d === full)) {
        b.node(op, 'AveragePool', [x], { ...win, count_include_pad: 1 }, out);
        return;
      }
      // count_include_pad = 1 with every window inside the (extended) padding divides by K·K:
      // rescale to cnnc's divisor.
      const mean = b.node(op, 'AveragePool', [x], { ...win, count_include_pad: 1 });
      b.node(op, 'Mul', [mean, b.floats(op, 'divisor', [1, 1, oh, ow], divisors.map((d) => full / d))], {}, out);
      return;
    }
  }
}

/** cnnc's divisor for each output position: the reference's own windows (ir/reference/pool.ts). */
export function avgDivisors(a: PoolAttrs, h: number, w: number, oh: number, ow: number): number[] {
  return poolDivisors({ h, w, oh, ow }, a);
}

/**
 * PyTorch's adaptive windows (output i covers floor(i·H/OH) … ceil((i+1)·H/OH) − 1): one pooling
 * node when they tile the input evenly, else rows then columns (the mean and the maximum over a
 * rectangle are the same taken axis by axis), each window a Slice and a Reduce.
 */
function adaptive(b: Builder, op: Extract<Op, { kind: 'adaptive_pool' }>, x: string, out: string): void {
  const [, h, w] = b.shape(op.inputs[0]);
  const [, oh, ow] = b.shape(op.outputs[0]);
  const type = op.mode === 'avg' ? 'AveragePool' : 'MaxPool';
  if (oh === 1 && ow === 1) {
    b.node(op, op.mode === 'avg' ? 'GlobalAveragePool' : 'GlobalMaxPool', [x], {}, out);
    return;
  }
  if (h % oh === 0 && w % ow === 0) {
    const k = [h / oh, w / ow];
    b.node(op, type, [x], { kernel_shape: k, strides: k }, out);
    return;
  }
  const reduce = op.mode === 'avg' ? 'ReduceMean' : 'ReduceMax';
  const along = (input: string, axis: number, size: number, o: number, last: string | undefined): string => {
    if (size === o) return last ? b.node(op, 'Identity', [input], {}, last) : input;
    const parts: string[] = [];
    for (let i = 0; i < o; i++) {
      const start = Math.floor((i * size) / o);
      const end = Math.ceil(((i + 1) * size) / o);
      const slice = b.node(op, 'Slice', [input, b.ints(op, 'start', [start]), b.ints(op, 'end', [end]), b.ints(op, 'axis', [axis])]);
      parts.push(b.node(op, reduce, [slice], { axes: [axis], keepdims: 1 }));
    }
    return b.node(op, 'Concat', parts, { axis }, last);
  };
  along(along(x, 2, h, oh, undefined), 3, w, ow, out);
}

/**
 * LRN: ONNX's operator for odd sizes (the same window as PyTorch's); for even sizes PyTorch puts
 * the extra channel before, ONNX after, so the sum of squares is written out: x² padded along the
 * channels, averaged over `size` channels by a 3-D pool, y = x / (k + α·mean)^β.
 */
function lrn(b: Builder, op: Extract<Op, { kind: 'lrn' }>, x: string, out: string): void {
  if (op.size % 2 === 1) {
    b.node(op, 'LRN', [x], { size: op.size, alpha: { float: op.alpha }, beta: { float: op.beta }, bias: { float: op.k } }, out);
    return;
  }
  const sq = b.node(op, 'Mul', [x, x]);
  const five = b.node(op, 'Unsqueeze', [sq, b.ints(op, 'axis', [1])]);
  const before = Math.floor(op.size / 2);
  const after = op.size - 1 - before;
  const padded = b.node(op, 'Pad', [five, b.ints(op, 'pads', [0, 0, before, 0, 0, 0, 0, after, 0, 0])]);
  const mean = b.node(op, 'AveragePool', [padded], { kernel_shape: [op.size, 1, 1], strides: [1, 1, 1] });
  const back = b.node(op, 'Squeeze', [mean, b.ints(op, 'axis', [1])]);
  const scaled = b.node(op, 'Mul', [back, b.floats(op, 'alpha', [], [op.alpha])]);
  const base = b.node(op, 'Add', [scaled, b.floats(op, 'k', [], [op.k])]);
  const power = b.node(op, 'Pow', [base, b.floats(op, 'beta', [], [op.beta])]);
  b.node(op, 'Div', [x, power], {}, out);
}

function unary(b: Builder, op: Extract<Op, { kind: 'unary' }>, x: string, out: string): void {
  const scalar = (what: string, v: number) => b.floats(op, what, [], [v]);
  switch (op.fn) {
    case 'relu': b.node(op, 'Relu', [x], {}, out); return;
    case 'relu6': b.node(op, 'Clip', [x, scalar('min', 0), scalar('max', 6)], {}, out); return;
    case 'leaky_relu': b.node(op, 'LeakyRelu', [x], { alpha: { float: op.alpha } }, out); return;
    case 'elu': b.node(op, 'Elu', [x], { alpha: { float: op.alpha } }, out); return;
    case 'sigmoid': b.node(op, 'Sigmoid', [x], {}, out); return;
    case 'tanh': b.node(op, 'Tanh', [x], {}, out); return;
    case 'identity': b.node(op, 'Identity', [x], {}, out); return;
    case 'silu': b.node(op, 'Mul', [x, b.node(op, 'Sigmoid', [x])], {}, out); return;
    case 'hardswish': b.node(op, 'Mul', [x, b.node(op, 'HardSigmoid', [x], { alpha: { float: 1 / 6 }, beta: { float: 0.5 } })], {}, out); return;
    case 'gelu': {
      // x·Φ(x) = x/2·(1 + erf(x/√2)); Gelu is an operator only from opset 20.
      const erf = b.node(op, 'Erf', [b.node(op, 'Mul', [x, scalar('inv_sqrt2', Math.SQRT1_2)])]);
      const one = b.node(op, 'Add', [erf, scalar('one', 1)]);
      b.node(op, 'Mul', [b.node(op, 'Mul', [x, scalar('half', 0.5)]), one], {}, out);
      return;
    }
    case 'gelu_tanh': {
      const cube = b.node(op, 'Mul', [b.node(op, 'Mul', [x, x]), x]);
      const inner = b.node(op, 'Add', [x, b.node(op, 'Mul', [cube, scalar('c', 0.044715)])]);
      const t = b.node(op, 'Tanh', [b.node(op, 'Mul', [inner, scalar('sqrt_2_over_pi', Math.sqrt(2 / Math.PI))])]);
      b.node(op, 'Mul', [b.node(op, 'Mul', [x, scalar('half', 0.5)]), b.node(op, 'Add', [t, scalar('one', 1)])], {}, out);
      return;
    }
  }
}

