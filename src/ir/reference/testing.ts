import { mulberry32 } from '../random.js';
import type { Graph, Op, OpKind, Tensor, TensorRole } from '../graph.js';
import { evalOp, type RefContext } from './run.js';

/**
 * Tools for checking numbers against the reference: seeded random inputs (fresh each run, with the
 * seed printed on failure), the GUIDE's relative error ‖got − want‖/‖want‖ that NaN can never pass,
 * and one-op graphs for evaluating an op (or a kernel) in isolation.
 */

/** mulberry32 (ir/random.ts): a tiny seeded generator of uniforms in [0, 1), reproducible from its seed. */
export const seededRandom = mulberry32;

/** n uniforms in [lo, hi). */
export function randomArray(rand: () => number, n: number, lo = -1, hi = 1): Float64Array {
  return Float64Array.from({ length: n }, () => lo + (hi - lo) * rand());
}

/**
 * ‖got − want‖₂ / ‖want‖₂ (the absolute ‖got‖ when want is all zeros). Infinity when the lengths
 * differ or any element of either side is not finite, so NaN and ±∞ always fail a tolerance.
 */
export function relError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity;
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < got.length; i++) {
    if (!Number.isFinite(got[i]) || !Number.isFinite(want[i])) return Infinity;
    diff += (got[i] - want[i]) ** 2;
    norm += want[i] ** 2;
  }
  return norm === 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
}

export interface TensorSpec {
  /** Per-sample shape when batched. */
  readonly shape: readonly number[];
  readonly batched: boolean;
  readonly role?: TensorRole;
}

/** A graph of one op whose inputs are tensors 0 … k−1 and outputs the ones after them. */
export function singleOpGraph(kind: OpKind, inputs: readonly TensorSpec[], outputs: readonly TensorSpec[]): { graph: Graph; op: Op } {
  const tensors: Tensor[] = [...inputs, ...outputs].map((s, id) => ({
    id,
    name: id < inputs.length ? `in${id}` : `out${id - inputs.length}`,
    shape: s.shape,
    batched: s.batched,
    role: s.role ?? (id < inputs.length ? 'input' : 'activation'),
  }));
  const inIds = inputs.map((_, i) => i);
  const outIds = outputs.map((_, i) => inputs.length + i);
  const op: Op = { ...kind, id: 0, inputs: inIds, outputs: outIds, layer: kind.kind };
  return { graph: { tensors, ops: [op], inputs: inIds, outputs: outIds, params: [] }, op };
}

/** Evaluates one op on (spec, value) inputs through a one-op graph; returns its outputs. */
export function evalSingleOp(
  kind: OpKind, inputs: readonly (readonly [TensorSpec, Float64Array])[], outputs: readonly TensorSpec[], ctx: RefContext,
): Float64Array[] {
  const { graph, op } = singleOpGraph(kind, inputs.map(([s]) => s), outputs);
  return evalOp(op, graph, inputs.map(([, v]) => v), ctx);
}
