import type { Graph, Op, OpKind } from '../ir/graph.js';
import { emitBatchnormInferGrad } from './batchnorm-infer-grad.js';
import { emitBiasGrad } from './bias-grad.js';
import { emitConv2d } from './conv-forward.js';
import { emitConv2dGradInput } from './conv-grad-input.js';
import { emitConv2dGradWeight } from './conv-grad-weight.js';
import { emitDense } from './dense.js';
import { emitAdd, emitUnary, emitUnaryGrad } from './elementwise.js';
import { OP_EMITTERS } from './emit-ops.js';
import type { Kernel, TargetInfo } from './kernel.js';

/** An emitter: a pure function from one op (and the graph's shapes) to one kernel. */
export type Emitter = (op: Op, graph: Graph, target: TargetInfo) => Kernel;

/** An emitter for every op kind (the pooling, normalisation, channel, dropout and loss ones from emit-ops.ts); a missing kind is a type error. */
export const EMITTERS: { readonly [K in OpKind['kind']]: Emitter } = {
  ...OP_EMITTERS,
  conv2d: (op, g, t) => emitConv2d(op, g, t),
  conv2d_grad_input: (op, g, t) => emitConv2dGradInput(op, g, t),
  conv2d_grad_weight: (op, g, t) => emitConv2dGradWeight(op, g, t),
  bias_grad: emitBiasGrad,
  batchnorm_infer_grad: emitBatchnormInferGrad,
  dense: (op, g, t) => emitDense(op, g, t),
  dense_grad_input: (op, g, t) => emitDense(op, g, t),
  dense_grad_weight: (op, g, t) => emitDense(op, g, t),
  unary: (op, g, t) => emitUnary(op, g, t),
  unary_grad: (op, g, t) => emitUnaryGrad(op, g, t),
  add: (op, g, t) => emitAdd(op, g, t),
};

export function emitKernel(op: Op, graph: Graph, target: TargetInfo): Kernel {
  return EMITTERS[op.kind](op, graph, target);
}
