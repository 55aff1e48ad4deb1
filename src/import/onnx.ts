import onnxProto from 'onnx-proto';
import { CnncError } from '../diagnostics/run-error.js';
import type { WeightTensor } from '../engine/session.js';
import { avgDivisors } from '../export/onnx.js';
import { formatSource } from '../syntax/format.js';
import { KEYWORDS } from '../syntax/tokens.js';
import { floatsFromBytes } from '../train/dtypes.js';
import { emitBody, findBlocks, type LNode } from './structure.js';

const { onnx } = onnxProto;

/**
 * An ONNX CNN as a readable .cnn file (`cnnc import`): the graph walked in order, each operator
 * read as the cnnc layer with the same semantics, with its output shape; layers with weights are
 * named after their ONNX initializers (`layer1.0.conv1`) where the exporter kept those names, else
 * conv1, bn1, fc1 …, and their weights come back under the new names. structure.ts then writes the
 * layers as pipelines and named values, and the parts that repeat as blocks. An operator with no
 * cnnc counterpart, or an attribute cnnc cannot express, stops the import with an error naming the
 * node — never a partial file.
 */
export interface ImportedModel {
  readonly name: string;
  readonly source: string;
  readonly weights: Record<string, WeightTensor>;
  /** Layer calls read from the graph (Identity, Dropout and Constant are dropped). */
  readonly layers: number;
}

type Shape = readonly number[];

const fail = (message: string, help?: string): never => {
  throw new CnncError('E_ONNX_UNSUPPORTED', message, help ? { help } : {});
};

export function importOnnx(bytes: Uint8Array, name: string): ImportedModel {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new CnncError('E_ONNX_FORMAT', `not an ONNX model (${e instanceof Error ? e.message : String(e)})`);
  }
  const graph = model.graph ?? fail('the ONNX model has no graph');
  const init = new Map<string, { dims: number[]; data: Float32Array }>();
  for (const t of graph.initializer ?? []) init.set(t.name!, { dims: (t.dims ?? []).map(Number), data: tensorData(t) });
  for (const n of graph.node ?? []) {
    if (n.opType === 'Constant') {
      const v = n.attribute?.find((a) => a.name === 'value')?.t;
      if (v) init.set(n.output![0], { dims: (v.dims ?? []).map(Number), data: tensorData(v) });
    }
  }
  const inputs = (graph.input ?? []).filter((i) => !init.has(i.name!));
  if (inputs.length !== 1) fail(`the model has ${inputs.length} inputs; cnnc imports models with one image input`);
  const input = inputs[0];
  const dims = (input.type?.tensorType?.shape?.dim ?? []).map((d) => Number(d.dimValue ?? 0));
  if (dims.length !== 4 || dims.slice(1).some((d) => !(d > 0))) fail(`input ${input.name} is ${dims.join('×')}; cnnc imports N×C×H×W images with a known C, H and W`);
  const inputName = identifier(input.name!, 'image');

  // Which tensors each tensor feeds, to know where a pipeline must stop and a value be named.
  const alias = new Map<string, string>();
  const real = (t: string) => alias.get(t) ?? t;
  const uses = new Map<string, number>();
  const skipped = new Set(['Identity', 'Dropout', 'Constant']);
  for (const n of graph.node ?? []) {
    if (skipped.has(n.opType!)) alias.set(n.output![0], real(n.input![0]));
  }
  for (const n of graph.node ?? []) if (!skipped.has(n.opType!)) for (const i of n.input ?? []) if (i && !init.has(real(i))) uses.set(real(i), (uses.get(real(i)) ?? 0) + 1);
  /** The nodes reading each tensor, for the patterns read as one layer (an average and its divisor). */
  const readers = new Map<string, onnxProto.onnx.INodeProto[]>();
  for (const n of graph.node ?? []) for (const i of n.input ?? []) if (i) readers.set(real(i), [...(readers.get(real(i)) ?? []), n]);
  const absorbed = new Set<onnxProto.onnx.INodeProto>();
  const output = real((graph.output ?? [])[0]?.name ?? fail('the model has no output'));
  uses.set(output, (uses.get(output) ?? 0) + 1);

  const shapes = new Map<string, Shape>([[input.name!, dims.slice(1)]]);
  const nodes: LNode[] = [];
  const weights: Record<string, WeightTensor> = {};
  const taken = new Set<string>([inputName]);
  const counters = new Map<string, number>();
  const shapeOf = (t: string): Shape => shapes.get(real(t)) ?? fail(`tensor ${t} is used before it is computed (the graph is not in order)`);
  /** A layer name: the initializer's module path where the exporter kept one, else kind + counter. */
  const layerName = (weight: string | undefined, prefix: string): string => {
    const path = weight?.replace(/\.(weight|bias|running_mean|running_var)$/, '');
    let n = path && /^[A-Za-z_][\w.]*$/.test(path) && !path.includes('::') && path !== weight ? path : undefined;
    if (n && taken.has(n)) n = undefined;
    if (!n) {
      let k = counters.get(prefix) ?? 0;
      do n = `${prefix}${++k}`;
      while (taken.has(n));
      counters.set(prefix, k);
    }
    taken.add(n);
    return n;
  };

  /**
   * An AveragePool whose only reader multiplies it by a constant per output position is how cnnc
   * exports a divisor ONNX cannot say (count_pad: false, a ceil-mode window past the padding):
   * the cnnc average whose divisors give that constant, or undefined.
   */
  const averageWithDivisor = (node: onnxProto.onnx.INodeProto, raw: number[], k: [number, number], s: [number, number], [h, w]: number[]) => {
    const next = readers.get(node.output![0]) ?? [];
    const mul = next.length === 1 && next[0].opType === 'Mul' ? next[0] : undefined;
    const factor = mul && init.get(real(mul.input![1] === node.output![0] ? mul.input![0] : mul.input![1]));
    if (!mul || !factor || factor.dims.length !== 4 || attributes(node).int('count_include_pad', 0) !== 1) return undefined;
    const [oh, ow] = factor.dims.slice(2);
    const pad: [number, number] = [raw[0], raw[1]];
    for (const ceil of [false, true]) {
      for (const countPad of [true, false]) {
        if (windows(h, k[0], s[0], pad[0], ceil) !== oh || windows(w, k[1], s[1], pad[1], ceil) !== ow) continue;
        const d = avgDivisors({ mode: 'avg', kernel: k, stride: s, pad: [pad[0], pad[0], pad[1], pad[1]], countPad }, h, w, oh, ow);
        if (d.every((v, i) => Math.abs((k[0] * k[1]) / v - factor.data[i]) <= 1e-5 * factor.data[i])) return { mul, pad, ceil, countPad, out: [oh, ow] };
      }
    }
    return undefined;
  };

  for (const node of graph.node ?? []) {
    const op = node.opType!;
    if (skipped.has(op) || absorbed.has(node)) continue;
    const where = `node ${node.name || node.output![0]} (${op})`;
    const attr = attributes(node);
    const out = node.output![0];
    const extend = (x: string, call: string, shape: Shape, name?: string) => {
      nodes.push({ call, name, inputs: [real(x)], output: out, shape });
      shapes.set(out, shape);
    };
    const x = node.input![0];
    const xs = () => shapeOf(x);
    switch (op) {
      case 'Conv': {
        const w = init.get(real(node.input![1])) ?? fail(`${where}: its weights are computed, not stored; cnnc imports convolutions with constant weights`);
        const [o, , kh, kw] = w.dims;
        const s = pair(attr.ints('strides', [1, 1]));
        const d = pair(attr.ints('dilations', [1, 1]));
        const group = attr.int('group', 1);
        const pads = convPads(attr, where, [kh, kw], s, d);
        const bias = node.input!.length > 2 && node.input![2] ? init.get(real(node.input![2])) : undefined;
        const [c, h, wd] = xs();
        const oh = Math.floor((h + 2 * pads[0] - d[0] * (kh - 1) - 1) / s[0]) + 1;
        const ow = Math.floor((wd + 2 * pads[1] - d[1] * (kw - 1) - 1) / s[1]) + 1;
        const lossy = (h + 2 * pads[0] - d[0] * (kh - 1) - 1) % s[0] !== 0 || (wd + 2 * pads[1] - d[1] * (kw - 1) - 1) % s[1] !== 0;
        const n = layerName(node.input![1], 'conv');
        weights[`${n}.weight`] = { shape: w.dims, data: w.data };
        if (bias) weights[`${n}.bias`] = { shape: bias.dims, data: bias.data };
        const args = [String(o), size([kh, kw]), ...(s[0] !== 1 || s[1] !== 1 ? [`stride: ${size(s)}`] : []), ...(pads[0] || pads[1] ? [`pad: ${size(pads)}`] : []), ...(d[0] !== 1 || d[1] !== 1 ? [`dilation: ${size(d)}`] : []), ...(group !== 1 ? [`groups: ${group}`] : []), ...(bias ? [] : ['bias: false']), ...(lossy ? ['round: floor'] : [])];
        if (c / group !== w.dims[1]) fail(`${where}: weights for ${w.dims[1]} input channels per group, but its input has ${c} in ${group} groups`);
        extend(x, `conv(${args.join(', ')})`, [o, oh, ow], n);
        break;
      }
      case 'BatchNormalization': {
        const [scale, b, mean, variance] = node.input!.slice(1).map((i) => init.get(real(i)) ?? fail(`${where}: its statistics are computed, not stored (an exporter in training mode); export in eval mode`));
        const n = layerName(node.input![1], 'bn');
        weights[`${n}.weight`] = { shape: scale.dims, data: scale.data };
        weights[`${n}.bias`] = { shape: b.dims, data: b.data };
        weights[`${n}.running_mean`] = { shape: mean.dims, data: mean.data };
        weights[`${n}.running_var`] = { shape: variance.dims, data: variance.data };
        const eps = attr.float('epsilon', 1e-5);
        const momentum = 1 - attr.float('momentum', 0.9);
        const args = [...(Math.abs(eps - 1e-5) > 1e-12 ? [`eps: ${num(eps)}`] : []), ...(Math.abs(momentum - 0.1) > 1e-6 ? [`momentum: ${num(momentum)}`] : [])];
        extend(x, `batchnorm${args.length ? `(${args.join(', ')})` : ''}`, xs(), n);
        break;
      }
      case 'Relu': extend(x, 'relu', xs()); break;
      case 'Sigmoid': extend(x, 'sigmoid', xs()); break;
      case 'Tanh': extend(x, 'tanh', xs()); break;
      case 'HardSwish': extend(x, 'hardswish', xs()); break;
      case 'LeakyRelu': extend(x, `leaky_relu(alpha: ${num(attr.float('alpha', 0.01))})`, xs()); break;
      case 'Elu': extend(x, `elu(alpha: ${num(attr.float('alpha', 1))})`, xs()); break;
      case 'Softmax': {
        const axis = attr.int('axis', -1);
        if (axis !== 1 && !(axis === -1 && xs().length === 1)) fail(`${where}: softmax over axis ${axis}; cnnc's softmax is over the channels (axis 1)`);
        extend(x, 'softmax', xs());
        break;
      }
      case 'Clip': {
        const lo = node.input![1] ? init.get(real(node.input![1]))?.data[0] : attr.float('min', -Infinity);
        const hi = node.input![2] ? init.get(real(node.input![2]))?.data[0] : attr.float('max', Infinity);
        if (lo !== 0 || hi !== 6) fail(`${where}: clip to [${lo}, ${hi}]; cnnc has relu6, clip to [0, 6]`);
        extend(x, 'relu6', xs());
        break;
      }
      case 'MaxPool':
      case 'AveragePool': {
        const k = pair(attr.ints('kernel_shape', []));
        const s = pair(attr.ints('strides', [1, 1]));
        const raw = attr.ints('pads', [0, 0, 0, 0]);
        const [c, h, w] = xs();
        if (op === 'AveragePool') {
          const read = averageWithDivisor(node, raw, k, s, [h, w]);
          if (read) {
            absorbed.add(read.mul);
            const args = [size(k), ...(s[0] !== k[0] || s[1] !== k[1] ? [`stride: ${size(s)}`] : []), ...(read.pad[0] || read.pad[1] ? [`pad: ${size(read.pad)}`] : []), ...(read.ceil ? ['round: ceil'] : []), `count_pad: ${read.countPad}`];
            nodes.push({ call: `avgpool(${args.join(', ')})`, inputs: [real(x)], output: read.mul.output![0], shape: [c, ...read.out] });
            shapes.set(read.mul.output![0], [c, ...read.out]);
            break;
          }
        }
        // Extra padding at the end only, on a max pool, is a ceil-mode window written out (as cnnc
        // exports it): read it back as `round: ceil` when that gives the same output size.
        const endOnly = op === 'MaxPool' && attr.int('ceil_mode', 0) === 0 && raw[2] >= raw[0] && raw[3] >= raw[1] && (raw[2] > raw[0] || raw[3] > raw[1]);
        const asCeil = endOnly && [0, 1].every((a) => {
          const n = a === 0 ? h : w;
          const floorOut = Math.floor((n + raw[a] + raw[a + 2] - k[a]) / s[a]) + 1;
          return floorOut === windows(n, k[a], s[a], raw[a], true);
        });
        const pads = asCeil ? ([raw[0], raw[1]] as [number, number]) : symmetricPads(raw, where);
        if (attr.ints('dilations', [1, 1]).some((v) => v !== 1)) fail(`${where}: dilated pooling`);
        if (pads[0] > Math.floor(k[0] / 2) || pads[1] > Math.floor(k[1] / 2)) fail(`${where}: padding ${pads.join('×')} is more than half its ${k.join('×')} window`);
        const ceil = attr.int('ceil_mode', 0) === 1 || asCeil;
        const lossy = (h + 2 * pads[0] - k[0]) % s[0] !== 0 || (w + 2 * pads[1] - k[1]) % s[1] !== 0;
        const countPad = op === 'AveragePool' && (pads[0] || pads[1]) ? [`count_pad: ${attr.int('count_include_pad', 0) === 1}`] : [];
        const args = [size(k), ...(s[0] !== k[0] || s[1] !== k[1] ? [`stride: ${size(s)}`] : []), ...(pads[0] || pads[1] ? [`pad: ${size(pads)}`] : []), ...(ceil ? ['round: ceil'] : lossy ? ['round: floor'] : []), ...countPad];
        extend(x, `${op === 'MaxPool' ? 'maxpool' : 'avgpool'}(${args.join(', ')})`, [c, windows(h, k[0], s[0], pads[0], ceil), windows(w, k[1], s[1], pads[1], ceil)]);
        break;
      }
      case 'GlobalAveragePool': extend(x, 'globalavgpool', [xs()[0], 1, 1]); break;
      case 'GlobalMaxPool': extend(x, 'globalmaxpool', [xs()[0], 1, 1]); break;
      case 'Flatten': {
        if (attr.int('axis', 1) !== 1) fail(`${where}: flatten from axis ${attr.int('axis', 1)}; cnnc flattens everything but the batch`);
        extend(x, 'flatten', [xs().reduce((a, b) => a * b, 1)]);
        break;
      }
      case 'Reshape': {
        const target = init.get(real(node.input![1]))?.data;
        if (!target || target.length !== 2 || !(target[1] === -1 || target[1] === xs().reduce((a, b) => a * b, 1))) fail(`${where}: a reshape other than flattening`);
        extend(x, 'flatten', [xs().reduce((a, b) => a * b, 1)]);
        break;
      }
      case 'Gemm': {
        if (attr.float('alpha', 1) !== 1 || attr.float('beta', 1) !== 1 || attr.int('transA', 0) !== 0) fail(`${where}: a Gemm with alpha, beta or transA; cnnc's dense is x·Wᵀ + b`);
        const w = init.get(real(node.input![1])) ?? fail(`${where}: its weights are computed, not stored`);
        if (xs().length !== 1) fail(`${where}: a dense layer on a ${xs().join('×')} input; flatten first`);
        const transB = attr.int('transB', 0) === 1;
        const [o, i] = transB ? w.dims : [w.dims[1], w.dims[0]];
        const n = layerName(node.input![1], 'fc');
        weights[`${n}.weight`] = { shape: [o, i], data: transB ? w.data : transpose(w.data, w.dims[0], w.dims[1]) };
        const bias = node.input!.length > 2 && node.input![2] ? init.get(real(node.input![2])) : undefined;
        if (bias) weights[`${n}.bias`] = { shape: [o], data: bias.data.length === o ? bias.data : fail(`${where}: a bias that is not one value per output`) };
        extend(x, `dense(${o}${bias ? '' : ', bias: false'})`, [o], n);
        break;
      }
      case 'LRN': {
        const s = attr.int('size', 0);
        if (s % 2 === 0) fail(`${where}: LRN of even size ${s}, whose window ONNX centres differently from cnnc (PyTorch)`);
        extend(x, `lrn(size: ${s}, alpha: ${num(attr.float('alpha', 1e-4))}, beta: ${num(attr.float('beta', 0.75))}, k: ${num(attr.float('bias', 1))})`, xs());
        break;
      }
      case 'Add':
      case 'Sum':
      case 'Concat': {
        if (op === 'Concat' && attr.int('axis', 1) !== 1) fail(`${where}: concatenation along axis ${attr.int('axis', 1)}; cnnc joins channels (axis 1)`);
        if (node.input!.some((i) => init.has(real(i)))) fail(`${where}: adds a constant tensor; cnnc adds layer outputs`);
        const parts = node.input!.map((i) => shapeOf(i));
        const shape = op === 'Concat' ? [parts.reduce((a, p) => a + p[0], 0), ...parts[0].slice(1)] : parts[0];
        nodes.push({ call: op === 'Concat' ? 'concat' : 'add', merge: true, inputs: node.input!.map(real), output: out, shape });
        shapes.set(out, shape);
        break;
      }
      default:
        fail(`${where}: cnnc has no layer for the ONNX operator ${op}`, 'supported: Conv, BatchNormalization, Relu, Sigmoid, Tanh, LeakyRelu, Elu, HardSwish, Clip (relu6), Softmax, MaxPool, AveragePool, GlobalAveragePool, GlobalMaxPool, Flatten, Reshape (flatten), Gemm, LRN, Add, Sum, Concat; Identity, Dropout and Constant are dropped');
    }
  }
  if (!shapes.has(output)) fail(`the output ${output} is never computed`);
  const { blocks, body } = findBlocks(nodes, weights);
  const lines = emitBody(body, input.name!, inputName, output);
  const modelName = identifier(name, 'model');
  const producer = [model.producerName, model.producerVersion].filter(Boolean).join(' ');
  const opset = model.opsetImport?.find((o) => !o.domain)?.version;
  const source = [
    `# Imported by cnnc from ${name}.onnx${producer ? ` (written by ${producer}` : ' ('}${opset ? `, opset ${opset}` : ''}); weights in ${modelName}.safetensors.`,
    '',
    ...blocks.flatMap((b) => [...b, '']),
    `model ${modelName} {`,
    `  input ${inputName}: ${dims.slice(1).join(' x ')}`,
    '',
    ...lines,
    '}',
    '',
  ].join('\n');
  // In cnnc fmt's layout, so the file is already formatted.
  return { name: modelName, source: formatSource(source).text ?? source, weights, layers: nodes.length };
}

function tensorData(t: onnxProto.onnx.ITensorProto): Float32Array {
  const type = t.dataType ?? 0;
  const D = onnx.TensorProto.DataType;
  if (t.rawData && t.rawData.length) {
    if (type === D.FLOAT) return floatsFromBytes('F32', t.rawData, t.rawData.length / 4);
    if (type === D.INT64) {
      const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
      return Float32Array.from({ length: t.rawData.length / 8 }, (_, i) => Number(view.getBigInt64(8 * i, true)));
    }
    if (type === D.DOUBLE) return floatsFromBytes('F64', t.rawData, t.rawData.length / 8);
  }
  if (t.floatData?.length) return Float32Array.from(t.floatData);
  if (t.int64Data?.length) return Float32Array.from(t.int64Data.map(Number));
  if (t.doubleData?.length) return Float32Array.from(t.doubleData);
  return new Float32Array(0);
}

function attributes(node: onnxProto.onnx.INodeProto) {
  const get = (name: string) => node.attribute?.find((a) => a.name === name);
  return {
    int: (name: string, fallback: number) => (get(name) ? Number(get(name)!.i ?? fallback) : fallback),
    float: (name: string, fallback: number) => (get(name) ? Number(get(name)!.f ?? fallback) : fallback),
    ints: (name: string, fallback: number[]) => (get(name)?.ints?.length ? get(name)!.ints!.map(Number) : fallback),
    str: (name: string, fallback: string) => (get(name)?.s ? new TextDecoder().decode(get(name)!.s!) : fallback),
  };
}

function convPads(attr: ReturnType<typeof attributes>, where: string, k: number[], s: number[], d: number[]): [number, number] {
  const auto = attr.str('auto_pad', 'NOTSET');
  if (auto === 'VALID') return [0, 0];
  if (auto !== 'NOTSET') {
    const total = [d[0] * (k[0] - 1), d[1] * (k[1] - 1)];
    if (s.some((v) => v !== 1) || total.some((t) => t % 2 !== 0)) fail(`${where}: auto_pad ${auto} with an odd total padding or a stride; cnnc pads both sides alike`);
    return [total[0] / 2, total[1] / 2];
  }
  return symmetricPads(attr.ints('pads', [0, 0, 0, 0]), where);
}

function symmetricPads(p: number[], where: string): [number, number] {
  if (p[0] !== p[2] || p[1] !== p[3]) fail(`${where}: padding ${p.join(', ')} differs between the two sides`, 'cnnc writes the same padding on both sides of an axis (or pad: same)');
  return [p[0], p[1]];
}

/**
 * Windows along an axis of size n, padded by p on both sides: floor or, with `ceil`, ceil mode
 * with PyTorch's rule that the last window starts inside the input or the leading padding (as
 * check/layers/window.ts computes it).
 */
function windows(n: number, k: number, s: number, p: number, ceil: boolean): number {
  const span = n + 2 * p - k;
  let o = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (o - 1) * s >= n + p) o--;
  return o;
}

function pair(v: number[]): [number, number] {
  return v.length === 1 ? [v[0], v[0]] : [v[0], v[1]];
}

function size(v: readonly number[]): string {
  return v[0] === v[1] ? String(v[0]) : `${v[0]}x${v[1]}`;
}

function num(v: number): string {
  return String(Number(v.toPrecision(7)));
}

function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

/** A .cnn name from an ONNX one: letters, digits and _, not starting with a digit. */
function identifier(raw: string, fallback: string): string {
  const s = raw.replace(/[^A-Za-z0-9_]/g, '_').replace(/^_+|_+$/g, '');
  const name = !s ? fallback : /^\d/.test(s) ? `m${s}` : s;
  return KEYWORDS.includes(name) ? `${name}_` : name;
}
