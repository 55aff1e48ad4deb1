import type { Graph, Op } from './graph.js';
import { UNARY_GRAD_FROM } from './graph.js';

/**
 * Fusion: which ops share one kernel. A pass over the graph that returns plain data; the graph
 * itself is unchanged, so the float64 reference still runs op by op and each fused kernel is
 * tested against the ops it replaces.
 */
export interface Group {
  /** The op that gives the kernel its shape (conv2d, dense, a gradient GEMM, a pool …). */
  readonly anchor: number;
  /**
   * A `unary_grad` whose result is the anchor's incoming gradient (input 0): the kernel computes
   * dy·f′ (from y, or from x for silu, gelu and hardswish) as it reads, and the product is never stored.
   */
  readonly prologue?: number;
  /**
   * `add` and `unary` ops applied, in order, to the anchor's output before it is written. A tensor
   * of the chain that a later op also reads (the input of silu, gelu or hardswish, which their
   * gradient needs) is stored on the way as well (codegen/group.ts).
   */
  readonly epilogue: readonly number[];
  /**
   * Ops computed by the same kernel from the same inputs: the bias gradient beside the weight
   * gradient, the loss gradient beside the loss.
   */
  readonly siblings: readonly number[];
}

export interface FusionPlan {
  /** In execution order; every op of the graph is in exactly one group or is an alias. */
  readonly groups: readonly Group[];
  /** reshape outputs that share their input's buffer (tensor → tensor it aliases). */
  readonly aliases: ReadonlyMap<number, number>;
}

/**
 * What the kernel emitters can absorb on the target (codegen/fusion-rules.ts answers for them), so
 * that the plan is exactly what runs: one kernel per group.
 */
export interface FusionRules {
  /**
   * Whether the kernel of `anchor` can apply these ops, in order, to its output as it stores it
   * (reading its incoming gradient through `prologue`, where it has one).
   */
  epilogue(anchor: Op, chain: readonly Op[], g: Graph, prologue?: Op): boolean;
  /** Whether the kernel of `anchor` should apply an activation derivative to its input 0 as it reads. */
  prologue(anchor: Op, g: Graph): boolean;
  /** Whether the kernel of `anchor` also computes `sibling` (a bias gradient, a loss gradient). */
  sibling(anchor: Op, sibling: Op, g: Graph): boolean;
}

export interface FuseOptions {
  /** Off: one op per kernel (for testing kernels in isolation and for measuring what fusion buys). */
  readonly enabled?: boolean;
}

export function fuse(g: Graph, rules: FusionRules, opts: FuseOptions = {}): FusionPlan {
  const enabled = opts.enabled ?? true;
  const consumers = new Map<number, Op[]>();
  for (const op of g.ops) for (const i of op.inputs) consumers.set(i, [...(consumers.get(i) ?? []), op]);
  const isOutput = new Set(g.outputs);
  /**
   * The op an epilogue chain may continue with after tensor t: its only consumer; or an activation
   * whose derivative needs its input, when every other consumer is that derivative (the backward
   * pass reads t, so the kernel stores t as well as continuing, which saves a pass over t).
   */
  const next = (t: number): Op | undefined => {
    const cs = consumers.get(t) ?? [];
    if (isOutput.has(t)) return undefined;
    if (cs.length === 1) return cs[0];
    const forward = cs.filter((c) => !(c.kind === 'unary_grad' && c.inputs[1] === t));
    const f = forward.length === 1 ? forward[0] : undefined;
    return f?.kind === 'unary' && UNARY_GRAD_FROM[f.fn] === 'input' ? f : undefined;
  };

  const taken = new Set<number>();
  const aliases = new Map<number, number>();
  const groups: Group[] = [];

  // Activation derivatives that every consumer applies while reading (else one kernel stores them).
  const inlinable = new Set<number>();
  if (enabled) {
    for (const op of g.ops) {
      if (op.kind !== 'unary_grad') continue;
      const cs = consumers.get(op.outputs[0]) ?? [];
      if (cs.length > 0 && !isOutput.has(op.outputs[0]) && cs.every((c) => c.inputs[0] === op.outputs[0] && rules.prologue(c, g))) inlinable.add(op.id);
    }
  }
  const producer = new Map<number, Op>();
  for (const op of g.ops) for (const o of op.outputs) producer.set(o, op);

  for (const op of g.ops) {
    if (taken.has(op.id)) continue;
    if (op.kind === 'reshape') {
      aliases.set(op.outputs[0], aliases.get(op.inputs[0]) ?? op.inputs[0]);
      taken.add(op.id);
      continue;
    }
    if (inlinable.has(op.id)) {
      taken.add(op.id);
      continue;
    }
    const epilogue: number[] = [];
    const siblings: number[] = [];
    let prologue: number | undefined;
    if (enabled) {
      const dy = producer.get(op.inputs[0]);
      if (dy && inlinable.has(dy.id)) prologue = dy.id;
      const chain: Op[] = [];
      let out = op.outputs[0];
      // A chain continues with activations and adds; in the backward pass, with the derivative of
      // an activation applied to a gradient sum (dy = the running value; the saved tensor is read).
      const continues = (n: Op) => n.kind === 'unary' || n.kind === 'add' || (n.kind === 'unary_grad' && n.inputs[0] === out && n.inputs[1] !== out && !inlinable.has(n.id));
      for (let n = next(out); n && continues(n) && !taken.has(n.id); n = next(out)) {
        // An add (or a derivative) may take other operands, but only ones already computed before this kernel.
        if (n.kind !== 'unary' && n.inputs.some((i) => i !== out && (producer.get(i)?.id ?? -1) > op.id)) break;
        if (!rules.epilogue(op, [...chain, n], g, prologue === undefined ? undefined : g.ops[prologue])) break;
        chain.push(n);
        out = n.outputs[0];
      }
      for (const n of chain) {
        epilogue.push(n.id);
        taken.add(n.id);
      }
      // Siblings: ops on the same inputs, after the anchor, that its kernel computes too.
      for (const s of consumers.get(op.inputs[0]) ?? []) {
        if (s.id <= op.id || taken.has(s.id) || s.inputs[0] !== op.inputs[0] || !rules.sibling(op, s, g)) continue;
        siblings.push(s.id);
        taken.add(s.id);
      }
    }
    taken.add(op.id);
    groups.push({ anchor: op.id, prologue, epilogue, siblings });
  }
  return { groups, aliases };
}
