import type { Graph, Op, Tensor } from './graph.js';

/**
 * Batchnorm folded into the conv (or dense) before it, for inference graphs: conv → batchnorm
 * becomes one `batchnorm_fold` op, which computes folded weights and bias from the original
 * parameters and running statistics, and a conv with those weights and a bias that writes the
 * batchnorm's output. The conv's kernel then takes the activation after it as its epilogue, as
 * any conv with a bias does, and the normalised tensor is never written twice.
 *
 * The fold is an op, not a constant computed here: weights live on the device and change there
 * (setWeights, the copy from the training executor), so the folded ones must be recomputed where
 * they live. The fold ops come first in the graph: they read only parameters and state, so a
 * runtime may run them once per change of weights instead of once per forward.
 *
 * Parameter tensors keep their ids and names (users still see PyTorch's `bn1.running_var`); the
 * folded weights are new tensors with the role 'derived', appended after the existing ones.
 */
export interface FoldOptions {
  /** Tensors the caller reads after a run (a probe of the conv's output): never folded away. */
  readonly keep?: ReadonlySet<number>;
}

export function foldBatchnorm(g: Graph, opts: FoldOptions = {}): Graph {
  // Training graphs normalise with batch statistics: nothing there is constant between steps.
  if (g.grads || !g.ops.some((op) => op.kind === 'batchnorm' && !op.training)) return g;
  const consumers = new Map<number, Op[]>();
  for (const op of g.ops) for (const i of op.inputs) consumers.set(i, [...(consumers.get(i) ?? []), op]);
  const visible = new Set([...g.outputs, ...(opts.keep ?? [])]);

  const tensors: Tensor[] = [...g.tensors];
  const derived = (name: string, shape: readonly number[]): number => {
    const id = tensors.length;
    tensors.push({ id, name, shape, batched: false, role: 'derived' });
    return id;
  };
  const folds: Op[] = [];
  const replaced = new Map<number, Op>();
  const removed = new Set<number>();
  for (const op of g.ops) {
    if (op.kind !== 'conv2d' && op.kind !== 'dense') continue;
    const y = op.outputs[0];
    const users = consumers.get(y) ?? [];
    const bn = users[0];
    if (users.length !== 1 || visible.has(y) || bn.kind !== 'batchnorm' || bn.training || bn.inputs[0] !== y) continue;
    const [, gamma, beta, runMean, runVar] = bn.inputs;
    const w = g.tensors[op.inputs[1]];
    const wf = derived(`${op.layer}.weight_folded`, w.shape);
    const bf = derived(`${op.layer}.bias_folded`, [w.shape[0]]);
    const bias = op.bias ? [op.inputs[2]] : [];
    folds.push({
      kind: 'batchnorm_fold', eps: bn.eps, bias: op.bias, id: -1,
      inputs: [w.id, ...bias, gamma, beta, runMean, runVar], outputs: [wf, bf], layer: bn.layer, span: bn.span,
    });
    replaced.set(op.id, { ...op, bias: true, inputs: [op.inputs[0], wf, bf], outputs: bn.outputs });
    removed.add(bn.id);
  }
  if (!folds.length) return g;
  const ops = [...folds, ...g.ops.filter((op) => !removed.has(op.id)).map((op) => replaced.get(op.id) ?? op)];
  return { ...g, tensors, ops: ops.map((op, id) => ({ ...op, id })) };
}
