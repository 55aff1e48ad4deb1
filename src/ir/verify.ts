import type { Graph, Op } from './graph.js';
import { numel } from './graph.js';

/** Inputs and outputs each op kind takes: [inputs (min, max), outputs]. */
const ARITY: Record<Op['kind'], readonly [number, number, number]> = {
  conv2d: [2, 3, 1], conv2d_grad_input: [2, 2, 1], conv2d_grad_weight: [2, 2, 1], bias_grad: [1, 1, 1],
  pool2d: [1, 1, 1], pool2d_grad: [3, 3, 1], adaptive_pool: [1, 1, 1], adaptive_pool_grad: [2, 2, 1],
  maxout: [1, 1, 1], maxout_grad: [2, 2, 1], dense: [2, 3, 1], dense_grad_input: [2, 2, 1], dense_grad_weight: [2, 2, 1],
  reshape: [1, 1, 1], dropout: [1, 1, 1], dropout_grad: [1, 1, 1], batchnorm: [5, 5, 1], batchnorm_fold: [5, 6, 2], batchnorm_grad: [5, 5, 3], batchnorm_infer_grad: [3, 3, 1],
  lrn: [1, 1, 1], lrn_grad: [2, 2, 1], unary: [1, 1, 1], unary_grad: [2, 2, 1], softmax: [1, 1, 1], softmax_grad: [2, 2, 1],
  add: [1, Infinity, 1], concat: [2, Infinity, 1], slice_channels: [1, 1, 1],
  softmax_cross_entropy: [2, 2, 1], softmax_cross_entropy_grad: [2, 2, 1], mse: [2, 2, 1], mse_grad: [2, 2, 1],
};

/** Ops whose output has exactly the shape of their first input. */
const SAME_SHAPE = new Set<Op['kind']>(['batchnorm_infer_grad', 'unary', 'dropout', 'dropout_grad', 'lrn', 'softmax', 'add', 'unary_grad', 'lrn_grad', 'softmax_grad']);

/**
 * Checks the IR's invariants between stages; returns the problems found (empty when sound).
 * These are compiler bugs, never user errors, so callers throw on any.
 */
export function verifyGraph(g: Graph): string[] {
  const problems: string[] = [];
  const say = (op: Op | undefined, msg: string) => problems.push(op ? `op ${op.id} ${op.kind} (${op.layer}): ${msg}` : msg);
  g.tensors.forEach((t, i) => t.id !== i && say(undefined, `tensor ${i} has id ${t.id}`));
  const produced = new Map<number, number>();
  // Graph inputs are written by the host whatever their role (a seeded gradient is one, autodiff.ts).
  const ready = new Set<number>([...g.inputs, ...g.tensors.filter((t) => ['input', 'target', 'param', 'state'].includes(t.role)).map((t) => t.id)]);
  for (const op of g.ops) {
    const [minIn, maxIn, outs] = ARITY[op.kind];
    if (op.inputs.length < minIn || op.inputs.length > maxIn) say(op, `takes ${minIn}–${maxIn} inputs, has ${op.inputs.length}`);
    if (op.kind === 'batchnorm' ? op.outputs.length !== (op.training ? 3 : 1) : op.outputs.length !== outs) say(op, `has ${op.outputs.length} outputs`);
    for (const i of op.inputs) {
      if (!g.tensors[i]) say(op, `reads unknown tensor ${i}`);
      else if (!ready.has(i)) say(op, `reads ${g.tensors[i].name} before it is computed`);
    }
    for (const o of op.outputs) {
      const t = g.tensors[o];
      if (!t) {
        say(op, `writes unknown tensor ${o}`);
        continue;
      }
      if (produced.has(o)) say(op, `writes ${t.name}, already written by op ${produced.get(o)}`);
      if (['input', 'target', 'param', 'state'].includes(t.role)) say(op, `writes the ${t.role} ${t.name}`);
      produced.set(o, op.id);
      ready.add(o);
    }
    const x = g.tensors[op.inputs[0]];
    const y = g.tensors[op.outputs[0]];
    if (!x || !y) continue;
    if (SAME_SHAPE.has(op.kind) && x.shape.join() !== y.shape.join()) say(op, `changes the shape ${x.shape} to ${y.shape}`);
    if (op.kind === 'add') for (const i of op.inputs) if (g.tensors[i]?.shape.join() !== y.shape.join()) say(op, `adds ${g.tensors[i]?.shape} to ${y.shape}`);
    if (op.kind === 'reshape' && numel(x.shape) !== numel(y.shape)) say(op, `reshapes ${x.shape} to ${y.shape}`);
    if (op.kind === 'concat') {
      const c = op.inputs.reduce((n, i) => n + (g.tensors[i]?.shape[0] ?? 0), 0);
      if (c !== y.shape[0]) say(op, `concatenates ${c} channels into ${y.shape[0]}`);
    }
    if (op.kind === 'conv2d') {
      const w = g.tensors[op.inputs[1]];
      const { stride, pad, dilation, groups } = op.attrs;
      const expect = [0, 1].map((a) => Math.floor((x.shape[a + 1] + pad[2 * a] + pad[2 * a + 1] - dilation[a] * (w.shape[a + 2] - 1) - 1) / stride[a]) + 1);
      if (w.shape[0] !== y.shape[0] || w.shape[1] * groups !== x.shape[0] || expect.join() !== y.shape.slice(1).join()) {
        say(op, `conv shapes do not fit: x ${x.shape}, w ${w.shape}, y ${y.shape}`);
      }
    }
    if (op.kind === 'batchnorm_fold') {
      const o = x.shape[0];
      const perChannel = op.inputs.slice(1).map((i) => g.tensors[i]?.shape.join());
      const folded = g.tensors[op.outputs[1]];
      if (op.inputs.length !== (op.bias ? 6 : 5)) say(op, `takes ${op.inputs.length} inputs with bias=${op.bias}`);
      if (y.shape.join() !== x.shape.join() || folded?.shape.join() !== `${o}` || perChannel.some((s) => s !== `${o}`)) {
        say(op, `fold shapes do not fit: w ${x.shape}, per-channel ${perChannel.join(' ')}, w' ${y.shape}, b' ${folded?.shape}`);
      }
    }
    if (op.kind === 'dense') {
      const w = g.tensors[op.inputs[1]];
      if (w.shape[1] !== x.shape[0] || w.shape[0] !== y.shape[0]) say(op, `dense shapes do not fit: x ${x.shape}, w ${w.shape}, y ${y.shape}`);
    }
  }
  for (const o of g.outputs) if (!ready.has(o)) say(undefined, `output ${o} is never computed`);
  for (const [p, d] of g.grads ?? []) {
    if (!ready.has(d)) say(undefined, `gradient of ${g.tensors[p].name} is never computed`);
    else if (g.tensors[d].shape.join() !== g.tensors[p].shape.join()) say(undefined, `gradient of ${g.tensors[p].name} has shape ${g.tensors[d].shape}`);
  }
  return problems;
}
