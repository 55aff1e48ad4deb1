import type { Graph, Op, OpKind, Tensor, TensorRole } from './graph.js';
import { UNARY_GRAD_FROM } from './graph.js';

/**
 * Reverse-mode differentiation of a training graph: one gradient rule per op kind (the table
 * below), applied from the loss (or from a seeded tensor, see `seed`) backwards. Gradients reaching a tensor from several consumers are
 * summed with one `add`. The result is the forward graph followed by the backward ops, with
 * `grads` mapping each parameter (and, when asked, each input) to its gradient tensor.
 */
export interface AutodiffOptions {
  /** Also differentiate with respect to the model inputs (saliency maps). */
  readonly wrtInputs?: boolean;
  /**
   * Start the backward pass from this tensor instead of from the loss, with a gradient the host
   * writes: the result gets a tensor `seed:<name>` (role 'grad', the tensor's shape), listed last
   * in its inputs. The objective is then Σ seed·tensor: a one-hot seed on the logits gives a class
   * score's gradient (saliency), 1/(H·W) on one channel the gradient of that channel's mean
   * (activation maximisation). Only the model inputs are differentiated, so no parameter
   * gradients are built, and the graph needs no loss (an inference graph will do).
   */
  readonly seed?: number;
  /**
   * Also give the total gradient of these tensors (a layer's output) in `grads`, keyed by the
   * tensor: Grad-CAM weighs a conv layer's channels by the gradient reaching them.
   */
  readonly alsoWrt?: readonly number[];
  /**
   * How relu passes a signal back. `gradient` (the default) is the derivative: dy where the
   * forward input was positive. `deconvnet` is Zeiler and Fergus's deconvolutional network, which
   * projects an activation back to pixels: relu is applied to the signal itself, whatever the
   * forward pass did (max pooling still unpools through the recorded switches, and convolutions
   * become their transposes, exactly as in the gradient). `guided` is guided backpropagation
   * (Springenberg et al., 2015): both, so only positive signal through positive units flows.
   * Other activations always pass their derivative.
   */
  readonly relu?: 'gradient' | 'deconvnet' | 'guided';
}

class Backward {
  readonly tensors: Tensor[];
  readonly ops: Op[];

  constructor(g: Graph) {
    this.tensors = [...g.tensors];
    this.ops = [...g.ops];
  }

  grad(of: number, role: TensorRole = 'grad'): number {
    const t = this.tensors[of];
    const id = this.tensors.length;
    this.tensors.push({ id, name: `grad:${t.name}`, shape: t.shape, batched: t.batched, role });
    return id;
  }

  tensor(name: string, like: Tensor): number {
    const id = this.tensors.length;
    this.tensors.push({ id, name, shape: like.shape, batched: like.batched, role: 'grad' });
    return id;
  }

  op(kind: OpKind, inputs: readonly number[], outputs: readonly number[], from: Op): void {
    this.ops.push({ ...kind, id: this.ops.length, inputs, outputs, layer: from.layer, span: from.span } as Op);
  }
}

/** Gradients of an op's inputs given the gradients of its outputs (undefined: no gradient flows). */
type Rule = (op: Op, dys: readonly (number | undefined)[], b: Backward, want: (i: number) => boolean) => (number | undefined)[];

/** One output, gradient to the first input only, through a single backward op. */
function through(make: (op: Op) => OpKind, extra: (op: Op) => number[] = () => []): Rule {
  return (op, [dy], b, want) => {
    if (dy === undefined || !want(0)) return [];
    const dx = b.grad(op.inputs[0]);
    b.op(make(op), [dy, ...extra(op)], [dx], op);
    return [dx];
  };
}

/** conv2d and dense: input, weight and (optional) bias gradients. */
function linear(gradInput: (op: Op) => OpKind, gradWeight: (op: Op) => OpKind): Rule {
  return (op, [dy], b, want) => {
    if (dy === undefined) return [];
    const [x, w, bias] = op.inputs;
    const out: (number | undefined)[] = [];
    if (want(0)) b.op(gradInput(op), [dy, w], [(out[0] = b.grad(x))], op);
    if (want(1)) b.op(gradWeight(op), [dy, x], [(out[1] = b.grad(w))], op);
    if (bias !== undefined && want(2)) b.op({ kind: 'bias_grad' }, [dy], [(out[2] = b.grad(bias))], op);
    return out;
  };
}

function attrsOf<K extends Op['kind']>(op: Op, kind: K): Extract<Op, { kind: K }> {
  if (op.kind !== kind) throw new Error(`autodiff: expected ${kind}, got ${op.kind}`);
  return op as Extract<Op, { kind: K }>;
}

/**
 * Backward ops and the fold of inference weights are never differentiated again: the graph has
 * no second derivatives. Reaching one is a compiler bug.
 */
const NO_RULE = null;

/** A gradient rule for every op kind (a missing kind is a type error). */
const RULES: { readonly [K in Op['kind']]: Rule | typeof NO_RULE } = {
  conv2d_grad_input: NO_RULE, conv2d_grad_weight: NO_RULE, bias_grad: NO_RULE, pool2d_grad: NO_RULE,
  adaptive_pool_grad: NO_RULE, maxout_grad: NO_RULE, dense_grad_input: NO_RULE, dense_grad_weight: NO_RULE,
  dropout_grad: NO_RULE, batchnorm_fold: NO_RULE, batchnorm_grad: NO_RULE, batchnorm_infer_grad: NO_RULE,
  lrn_grad: NO_RULE, unary_grad: NO_RULE, softmax_grad: NO_RULE, softmax_cross_entropy_grad: NO_RULE, mse_grad: NO_RULE,
  // Made only by concat's gradient rule; no layer lowers to it.
  slice_channels: NO_RULE,
  conv2d: linear(
    (op) => ({ kind: 'conv2d_grad_input', attrs: attrsOf(op, 'conv2d').attrs }),
    (op) => ({ kind: 'conv2d_grad_weight', attrs: attrsOf(op, 'conv2d').attrs }),
  ),
  dense: linear(() => ({ kind: 'dense_grad_input' }), () => ({ kind: 'dense_grad_weight' })),
  pool2d: through((op) => ({ kind: 'pool2d_grad', attrs: attrsOf(op, 'pool2d').attrs }), (op) => [op.inputs[0], op.outputs[0]]),
  adaptive_pool: through((op) => ({ kind: 'adaptive_pool_grad', mode: attrsOf(op, 'adaptive_pool').mode }), (op) => [op.inputs[0]]),
  maxout: through((op) => ({ kind: 'maxout_grad', k: attrsOf(op, 'maxout').k }), (op) => [op.inputs[0]]),
  reshape: through(() => ({ kind: 'reshape' })),
  dropout: through((op) => {
    const d = attrsOf(op, 'dropout');
    return { kind: 'dropout_grad', p: d.p, seed: d.seed };
  }),
  lrn: through((op) => {
    const { size, alpha, beta, k } = attrsOf(op, 'lrn');
    return { kind: 'lrn_grad', size, alpha, beta, k };
  }, (op) => [op.inputs[0]]),
  unary: through((op) => {
    const u = attrsOf(op, 'unary');
    return { kind: 'unary_grad', fn: u.fn, alpha: u.alpha };
  }, (op) => [UNARY_GRAD_FROM[attrsOf(op, 'unary').fn] === 'input' ? op.inputs[0] : op.outputs[0]]),
  softmax: through(() => ({ kind: 'softmax_grad' }), (op) => [op.outputs[0]]),
  add: (op, [dy], _b, want) => op.inputs.map((_, i) => (dy !== undefined && want(i) ? dy : undefined)),
  concat: (op, [dy], b, want) => {
    if (dy === undefined) return [];
    let start = 0;
    return op.inputs.map((x, i) => {
      const count = b.tensors[x].shape[0];
      const from = start;
      start += count;
      if (!want(i)) return undefined;
      const dx = b.grad(x);
      b.op({ kind: 'slice_channels', start: from, count }, [dy], [dx], op);
      return dx;
    });
  },
  batchnorm: (op, [dy], b, want) => {
    const bn = attrsOf(op, 'batchnorm');
    if (dy === undefined) return [];
    if (!bn.training) {
      // Running statistics are constants here, so batchnorm is a per-channel scale and shift:
      // dx = dy·γ/√(running_var + ε). Only the input gradient exists (what saliency and
      // activation maximisation need); γ and β are trained in training mode.
      if (want(1) || want(2)) throw new Error(`autodiff: batchnorm ${op.layer} in inference mode has no gamma/beta gradient (train in training mode)`);
      if (!want(0)) return [];
      const dx = b.grad(op.inputs[0]);
      b.op({ kind: 'batchnorm_infer_grad', eps: bn.eps }, [dy, op.inputs[1], op.inputs[4]], [dx], op);
      return [dx];
    }
    const [x, gamma, beta] = op.inputs;
    const [, mean, invstd] = op.outputs;
    const dx = b.grad(x);
    const dgamma = b.grad(gamma);
    const dbeta = b.grad(beta);
    b.op({ kind: 'batchnorm_grad' }, [dy, x, gamma, mean, invstd], [dx, dgamma, dbeta], op);
    return [want(0) ? dx : undefined, want(1) ? dgamma : undefined, want(2) ? dbeta : undefined];
  },
  softmax_cross_entropy: (op, _dys, b, want) => {
    if (!want(0)) return [];
    const dx = b.grad(op.inputs[0]);
    b.op({ kind: 'softmax_cross_entropy_grad' }, op.inputs, [dx], op);
    return [dx];
  },
  mse: (op, _dys, b, want) => {
    if (!want(0)) return [];
    const dx = b.grad(op.inputs[0]);
    b.op({ kind: 'mse_grad' }, op.inputs, [dx], op);
    return [dx];
  },
};

/** relu for the deconvnet and guided backpropagation (AutodiffOptions.relu): relu of the signal, then (guided) the derivative's mask. */
function reluRule(how: 'deconvnet' | 'guided'): Rule {
  const unary = RULES.unary!;
  return (op, [dy], b, want) => {
    if (dy === undefined || !want(0)) return [];
    const rectified = b.tensor(`${how}:${b.tensors[op.outputs[0]].name}`, b.tensors[dy]);
    b.op({ kind: 'unary', fn: 'relu', alpha: 0 }, [dy], [rectified], op);
    if (how === 'deconvnet') return [rectified];
    return unary(op, [rectified], b, want);
  };
}

export function differentiate(g: Graph, opts: AutodiffOptions = {}): Graph {
  const seeded = opts.seed !== undefined;
  const loss = g.tensors.find((t) => t.role === 'loss');
  if (!loss && !seeded) throw new Error('autodiff: the graph has no loss (lower it in train mode)');
  if (seeded && !g.tensors[opts.seed!]) throw new Error(`autodiff: no tensor ${opts.seed} to seed`);
  const inputs = g.inputs.filter((i) => g.tensors[i].role === 'input');
  // Which tensors depend on something we differentiate with respect to.
  const varying = new Set<number>(seeded ? [] : g.params);
  if (opts.wrtInputs || seeded) for (const i of inputs) varying.add(i);
  for (const op of g.ops) if (op.inputs.some((i) => varying.has(i))) for (const o of op.outputs) varying.add(o);

  const b = new Backward(g);
  const contributions = new Map<number, number[]>();
  let seedInput: number | undefined;
  if (seeded) {
    const target = g.tensors[opts.seed!];
    seedInput = b.tensor(`seed:${target.name}`, target);
    contributions.set(target.id, [seedInput]);
  }
  const add = (t: number, d: number) => contributions.set(t, [...(contributions.get(t) ?? []), d]);
  /** The total gradient of a tensor: one contribution as is, several summed by one `add`. */
  const total = (t: number, from: Op): number | undefined => {
    const cs = contributions.get(t);
    if (!cs || cs.length === 0) return undefined;
    if (cs.length === 1) return cs[0];
    const sum = b.tensor(`grad:${g.tensors[t].name}`, g.tensors[t]);
    b.op({ kind: 'add' }, cs, [sum], from);
    contributions.set(t, [sum]);
    return sum;
  };

  for (let i = g.ops.length - 1; i >= 0; i--) {
    const op = g.ops[i];
    const isLoss = loss !== undefined && !seeded && op.outputs.includes(loss.id);
    if (!op.inputs.some((x) => varying.has(x))) continue;
    const dys = op.outputs.map((o) => total(o, op));
    if (!isLoss && dys.every((d) => d === undefined)) continue;
    const rule = op.kind === 'unary' && op.fn === 'relu' && opts.relu && opts.relu !== 'gradient' ? reluRule(opts.relu) : RULES[op.kind];
    if (!rule) throw new Error(`internal: autodiff reached ${op.kind} (layer ${op.layer}), which has no gradient rule`);
    const dxs = rule(op, dys, b, (k) => varying.has(op.inputs[k]));
    dxs.forEach((d, k) => d !== undefined && add(op.inputs[k], d));
  }

  const grads = new Map<number, number>();
  const wrt = seeded ? inputs : [...g.params, ...(opts.wrtInputs ? inputs : [])];
  for (const p of wrt) {
    const producer = g.ops.find((o) => o.inputs.includes(p));
    const d = producer ? total(p, producer) : undefined;
    if (d !== undefined) grads.set(p, d);
  }
  for (const t of opts.alsoWrt ?? []) {
    const producer = g.ops.find((o) => o.outputs.includes(t));
    const d = producer ? total(t, producer) : undefined;
    if (d !== undefined) grads.set(t, d);
  }
  const withSeed = seedInput === undefined ? g.inputs : [...g.inputs, seedInput];
  return { ...g, tensors: b.tensors, ops: b.ops, inputs: withSeed, grads };
}
