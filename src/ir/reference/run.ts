import { numel, type Graph, type Op, type Tensor } from '../graph.js';
import { conv2d, conv2dGradInput, conv2dGradWeight, type ConvDims } from './conv.js';
import { biasGrad, dense, denseGradInput, denseGradWeight, type DenseDims } from './dense.js';
import { add, concat, dropout, dropoutGrad, sliceChannels, softmax, softmaxGrad, unary, unaryGrad } from './elementwise.js';
import { mse, mseGrad, softmaxCrossEntropy, softmaxCrossEntropyGrad } from './loss.js';
import { batchnormFold, batchnormGrad, batchnormInfer, batchnormInferGrad, batchnormTrain, lrn, lrnGrad } from './norm.js';
import { adaptivePool, adaptivePoolGrad, maxout, maxoutGrad, pool2d, pool2dGrad, type PoolDims } from './pool.js';
import { channelsAndPositions, expectLength, type NCP } from './util.js';

/**
 * The float64 reference interpreter of the graph IR: the oracle every generated kernel is compared
 * against. Each op family lives in its own file as plain functions over Float64Array; this file
 * only maps an Op and the graph's tensor shapes onto those functions.
 */

export interface RefContext {
  /** N for every batched tensor. */
  readonly batch: number;
  /** The training step, which feeds dropout's random stream. */
  readonly step: number;
}

/** An op's outputs, plus new values for state tensors (batchnorm's running statistics). */
export interface OpResult {
  readonly outputs: Float64Array[];
  readonly state?: ReadonlyArray<readonly [number, Float64Array]>;
}

/** What a handler sees: input arrays, per-sample shapes of inputs and outputs, and N. */
interface Env {
  readonly x: readonly Float64Array[];
  readonly inShape: (i: number) => readonly number[];
  readonly outShape: (i: number) => readonly number[];
  /** The op's batch: ctx.batch when its first input is batched, else 1. */
  readonly n: number;
  readonly ctx: RefContext;
}

type Handler<K extends Op['kind']> = (op: Extract<Op, { kind: K }>, e: Env) => OpResult;

/** Conv sizes from the per-sample shapes of x (C×H×W), w (O×I×KH×KW) and y (O×OH×OW). */
function convDims(x: readonly number[], w: readonly number[], y: readonly number[], n: number): ConvDims {
  return { n, c: x[0], h: x[1], w: x[2], o: y[0], kh: w[2], kw: w[3], oh: y[1], ow: y[2] };
}

function poolDims(x: readonly number[], y: readonly number[], n: number): PoolDims {
  return { n, c: x[0], h: x[1], w: x[2], oh: y[1], ow: y[2] };
}

function ncp(shape: readonly number[], n: number): NCP {
  const [c, p] = channelsAndPositions(shape);
  return { n, c, p };
}

function denseDims(x: readonly number[], y: readonly number[], n: number): DenseDims {
  return { n, in: numel(x), out: numel(y) };
}

const out = (...outputs: Float64Array[]): OpResult => ({ outputs });

const table: { readonly [K in Op['kind']]: Handler<K> } = {
  conv2d: (op, e) => out(conv2d(e.x[0], e.x[1], op.bias ? e.x[2] : undefined, convDims(e.inShape(0), e.inShape(1), e.outShape(0), e.n), op.attrs)),
  conv2d_grad_input: (op, e) => out(conv2dGradInput(e.x[0], e.x[1], convDims(e.outShape(0), e.inShape(1), e.inShape(0), e.n), op.attrs)),
  conv2d_grad_weight: (op, e) => out(conv2dGradWeight(e.x[0], e.x[1], convDims(e.inShape(1), e.outShape(0), e.inShape(0), e.n), op.attrs)),
  bias_grad: (_op, e) => out(biasGrad(e.x[0], ncp(e.inShape(0), e.n))),
  pool2d: (op, e) => out(pool2d(e.x[0], poolDims(e.inShape(0), e.outShape(0), e.n), op.attrs)),
  pool2d_grad: (op, e) => out(pool2dGrad(e.x[0], e.x[1], e.x[2], poolDims(e.inShape(1), e.inShape(0), e.n), op.attrs)),
  adaptive_pool: (op, e) => out(adaptivePool(e.x[0], poolDims(e.inShape(0), e.outShape(0), e.n), op.mode)),
  adaptive_pool_grad: (op, e) => out(adaptivePoolGrad(e.x[0], e.x[1], poolDims(e.inShape(1), e.inShape(0), e.n), op.mode)),
  maxout: (op, e) => out(maxout(e.x[0], ncp(e.outShape(0), e.n), op.k)),
  maxout_grad: (op, e) => out(maxoutGrad(e.x[0], e.x[1], ncp(e.inShape(0), e.n), op.k)),
  dense: (op, e) => out(dense(e.x[0], e.x[1], op.bias ? e.x[2] : undefined, denseDims(e.inShape(0), e.outShape(0), e.n))),
  dense_grad_input: (_op, e) => out(denseGradInput(e.x[0], e.x[1], denseDims(e.outShape(0), e.inShape(0), e.n))),
  dense_grad_weight: (_op, e) => out(denseGradWeight(e.x[0], e.x[1], denseDims(e.inShape(1), e.inShape(0), e.n))),
  reshape: (_op, e) => out(e.x[0].slice()),
  dropout: (op, e) => out(dropout(e.x[0], op.p, op.seed, e.ctx.step)),
  dropout_grad: (op, e) => out(dropoutGrad(e.x[0], op.p, op.seed, e.ctx.step)),
  batchnorm: (op, e) => {
    const [x, gamma, beta, rm, rv] = e.x;
    const d = ncp(e.inShape(0), e.n);
    if (!op.training) return out(batchnormInfer(x, gamma, beta, rm, rv, d, op.eps));
    const r = batchnormTrain(x, gamma, beta, rm, rv, d, op.eps, op.momentum);
    return { outputs: [r.y, r.mean, r.invstd], state: [[op.inputs[3], r.runningMean], [op.inputs[4], r.runningVar]] };
  },
  batchnorm_fold: (op, e) => {
    const k = op.bias ? 2 : 1;
    const [gamma, beta, rm, rv] = e.x.slice(k);
    const r = batchnormFold(e.x[0], op.bias ? e.x[1] : undefined, gamma, beta, rm, rv, e.inShape(0)[0], op.eps);
    return out(r.w, r.b);
  },
  batchnorm_infer_grad: (op, e) => out(batchnormInferGrad(e.x[0], e.x[1], e.x[2], ncp(e.inShape(0), e.n), op.eps)),
  batchnorm_grad: (_op, e) => {
    const r = batchnormGrad(e.x[0], e.x[1], e.x[2], e.x[3], e.x[4], ncp(e.inShape(1), e.n));
    return out(r.dx, r.dgamma, r.dbeta);
  },
  lrn: (op, e) => out(lrn(e.x[0], ncp(e.inShape(0), e.n), op)),
  lrn_grad: (op, e) => out(lrnGrad(e.x[0], e.x[1], ncp(e.inShape(1), e.n), op)),
  unary: (op, e) => out(unary(e.x[0], op.fn, op.alpha)),
  unary_grad: (op, e) => out(unaryGrad(e.x[0], e.x[1], op.fn, op.alpha)),
  softmax: (_op, e) => out(softmax(e.x[0], ncp(e.inShape(0), e.n))),
  softmax_grad: (_op, e) => out(softmaxGrad(e.x[0], e.x[1], ncp(e.inShape(1), e.n))),
  add: (_op, e) => out(add(e.x)),
  concat: (_op, e) => out(concat(e.x, e.n, e.x.map((_, i) => numel(e.inShape(i))))),
  slice_channels: (op, e) => out(sliceChannels(e.x[0], ncp(e.inShape(0), e.n), op.start, op.count)),
  softmax_cross_entropy: (_op, e) => out(softmaxCrossEntropy(e.x[0], e.x[1], ncp(e.inShape(0), e.n))),
  softmax_cross_entropy_grad: (_op, e) => out(softmaxCrossEntropyGrad(e.x[0], e.x[1], ncp(e.inShape(0), e.n))),
  mse: (_op, e) => out(mse(e.x[0], e.x[1])),
  mse_grad: (_op, e) => out(mseGrad(e.x[0], e.x[1])),
};

function tensorOf(graph: Graph, id: number): Tensor {
  const t = graph.tensors[id];
  if (!t || t.id !== id) throw new Error(`reference: tensor ${id} is not graph.tensors[${id}]`);
  return t;
}

/** Elements of a tensor's whole value: N × per-sample shape when batched. */
function lengthOf(t: Tensor, ctx: RefContext): number {
  return (t.batched ? ctx.batch : 1) * numel(t.shape);
}

/** Evaluates one op, checking every array against its tensor's length on the way in and out. */
function evaluate(op: Op, graph: Graph, inputs: readonly Float64Array[], ctx: RefContext): OpResult {
  if (inputs.length !== op.inputs.length) throw new Error(`reference: op ${op.id} (${op.kind}) got ${inputs.length} inputs, expected ${op.inputs.length}`);
  const ins = op.inputs.map((id) => tensorOf(graph, id));
  const outs = op.outputs.map((id) => tensorOf(graph, id));
  ins.forEach((t, i) => expectLength(inputs[i], lengthOf(t, ctx), `op ${op.id} (${op.kind}) input ${i} '${t.name}'`));
  const env: Env = {
    x: inputs,
    inShape: (i) => ins[i].shape,
    outShape: (i) => outs[i].shape,
    n: ins.length > 0 && ins[0].batched ? ctx.batch : 1,
    ctx,
  };
  // The table is keyed by kind, so the handler found for op.kind takes exactly this op's variant.
  const r = (table[op.kind] as Handler<Op['kind']>)(op, env);
  if (r.outputs.length !== outs.length) throw new Error(`reference: op ${op.id} (${op.kind}) made ${r.outputs.length} outputs, expected ${outs.length}`);
  outs.forEach((t, i) => expectLength(r.outputs[i], lengthOf(t, ctx), `op ${op.id} (${op.kind}) output ${i} '${t.name}'`));
  return r;
}

/** evalOp, with the new values of the state tensors it updates in place (batchnorm's running statistics). */
export function evalOpWithState(op: Op, graph: Graph, inputs: readonly Float64Array[], ctx: RefContext): OpResult {
  return evaluate(op, graph, inputs, ctx);
}

/** Evaluates one op: inputs in op.inputs order; returns outputs in op.outputs order. */
export function evalOp(op: Op, graph: Graph, inputs: readonly Float64Array[], ctx: RefContext): Float64Array[] {
  return evaluate(op, graph, inputs, ctx).outputs;
}

/**
 * Runs every op of the graph in order. `values` holds inputs, targets, params and state (it is not
 * modified); the returned map holds those and every tensor the ops produce, by tensor id.
 *
 * Batchnorm in training mode updates its running statistics: after all ops have run, the returned
 * map holds new Float64Arrays for the running_mean and running_var tensors (its inputs 3 and 4), so
 * every op during the run, and the caller's `values`, see the statistics from before the step.
 */
export function runGraph(graph: Graph, values: ReadonlyMap<number, Float64Array>, ctx: RefContext): Map<number, Float64Array> {
  const result = new Map(values);
  const updates: (readonly [number, Float64Array])[] = [];
  for (const op of graph.ops) {
    const inputs = op.inputs.map((id) => {
      const v = result.get(id);
      if (!v) throw new Error(`reference: op ${op.id} (${op.kind}) reads tensor ${id}, which has no value yet`);
      return v;
    });
    const r = evaluate(op, graph, inputs, ctx);
    op.outputs.forEach((id, i) => result.set(id, r.outputs[i]));
    if (r.state) updates.push(...r.state);
  }
  for (const [id, v] of updates) result.set(id, v);
  return result;
}

/** Every op kind the interpreter evaluates: all of graph.ts's, since the table's type demands each. */
export const OP_KINDS: readonly Op['kind'][] = Object.keys(table) as Op['kind'][];
