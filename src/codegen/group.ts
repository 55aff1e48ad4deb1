import type { Group } from '../ir/fuse.js';
import type { Graph, Op } from '../ir/graph.js';
import { numel } from '../ir/graph.js';
import { emitBiasGrad } from './bias-grad.js';
import { emitConv2d } from './conv-forward.js';
import { emitConv2dGradInput } from './conv-grad-input.js';
import { emitConv2dGradWeight } from './conv-grad-weight.js';
import { emitDense } from './dense.js';
import { emitAdd, MAX_STORAGE_BUFFERS, type Epilogue, type EpilogueStep, type Prologue } from './elementwise.js';
import { emitKernel } from './emit.js';
import type { Kernel, TargetInfo } from './kernel.js';
import { stridedGemmBlock } from './gemm-register.js';
import { emitLossWithGrad } from './loss.js';
import { convDimsOf } from './shapes.js';
import { gemmVariant, lanesTile, prologueAtLoad, splitKTile, type GemmVariant } from './variants.js';
import { ceilDiv } from './wgsl.js';

/**
 * The kernels of one fusion group (ir/fuse.ts): one kernel per group, which reads the incoming
 * gradient through the prologue's activation derivative, applies the epilogue's adds and
 * activations as it stores, and computes a bias gradient beside a weight gradient. Tensors between
 * the fused ops are never written, except one that a later op reads (the input of silu, gelu or
 * hardswish, for their gradient: a store step of the epilogue).
 *
 * More than one kernel comes back, in execution order, only:
 * - on software adapters, where a gradient kernel would re-read each dy element many times
 *   (variants.ts prologueAtLoad): the prologue runs once as an elementwise kernel, in the group of
 *   its first consumer, and every consumer's group reads the stored dy;
 * - for an epilogue on an anchor other than conv2d, dense and add (batchnorm's kernel is the other
 *   engineer's file): the anchor, then the epilogue as a group of its own (add + relu in one kernel);
 * - a fused kernel that would bind more than MAX_STORAGE_BUFFERS buffers (an epilogue adding many
 *   tensors): the parts that do not fit run as kernels of their own, the epilogue as above.
 */

export interface GroupOptions {
  /** A GEMM variant for conv2d, conv2d_grad_input and the dense kernels instead of the target's (tests). */
  readonly gemm?: GemmVariant;
  /** Where the prologue is applied, instead of the target's choice (variants.ts prologueAtLoad). */
  readonly prologue?: 'load' | 'apart';
}

/** Parts an anchor's kernel may fuse. */
interface Parts {
  readonly prologue?: Prologue;
  readonly epilogue?: Epilogue;
  /** The bias gradient tensor, written beside a weight gradient. */
  readonly biasGrad?: number;
}

export function emitGroup(group: Group, graph: Graph, target: TargetInfo, opts: GroupOptions = {}): Kernel[] {
  const op = (id: number): Op => {
    const o = graph.ops[id];
    if (!o || o.id !== id) throw new Error(`internal: op ${id} is not in the graph`);
    return o;
  };
  const anchor = op(group.anchor);
  if (group.prologue === undefined && !group.epilogue.length && !group.siblings.length) return [emitKernel(anchor, graph, target)];
  // A loss and its gradient (the group's one sibling) come from one kernel.
  if ((anchor.kind === 'softmax_cross_entropy' || anchor.kind === 'mse') && group.siblings.length === 1 && !group.epilogue.length && group.prologue === undefined) {
    return [emitLossWithGrad(anchor, op(group.siblings[0]), graph, target)];
  }
  const prologueOp = group.prologue !== undefined ? op(group.prologue) : undefined;
  const epilogueOps = group.epilogue.map(op);
  const siblings = group.siblings.map(op);
  const bias = siblings.find((s) => isBiasBeside(s, anchor, graph));
  const others = siblings.filter((s) => s !== bias);
  const apart = prologueOp !== undefined && prologueApart(prologueOp, graph, target, opts);
  const prologue = prologueOp && !apart ? prologueOf(prologueOp, anchor) : undefined;
  const epilogue = epilogueOps.length ? epilogueOf(epilogueOps, anchor, group, graph) : undefined;
  const readsDy = (s: Op) => s.inputs.includes(anchor.inputs[0]);
  // The prologue's output is never stored, so only ops that apply it themselves may read it.
  const pro = others.some((s) => readsDy(s) && s.kind !== 'bias_grad') ? undefined : prologue;
  const biasGrad = bias?.outputs[0];
  // Everything fused first; then the parts that did not fit, one by one, as kernels of their own.
  const candidates: Parts[] = [{ prologue: pro, epilogue, biasGrad }, { prologue: pro, epilogue }, { prologue: pro, biasGrad }, { prologue: pro }, {}];
  for (const parts of candidates) {
    const k = fusedAnchor(anchor, graph, target, parts, opts.gemm);
    if (!k || k.bindings.length > MAX_STORAGE_BUFFERS) continue;
    const fused = parts.prologue;
    const separate = (s: Op) => (s.kind === 'bias_grad' && readsDy(s) ? emitBiasGrad(s, graph, target, fused) : emitKernel(s, graph, target));
    return [
      ...(prologueOp && !fused && (!apart || firstConsumer(prologueOp, graph) === anchor.id) ? [emitKernel(prologueOp, graph, target)] : []),
      { ...k, name: fusedName(k, fused && prologueOp, parts.epilogue ? epilogueOps : [], parts.biasGrad !== undefined) },
      ...(bias && parts.biasGrad === undefined ? [separate(bias)] : []),
      ...others.map(separate),
      // An epilogue left out runs as a group of its own: its first op anchors the rest.
      ...(parts.epilogue || !epilogueOps.length ? [] : emitGroup({ anchor: epilogueOps[0].id, epilogue: group.epilogue.slice(1), siblings: [] }, graph, target, opts)),
    ];
  }
  throw new Error(`internal: no kernel for ${anchor.kind} (layer ${anchor.layer})`);
}

/**
 * A prologue computed by its own kernel, once, where some kernel reading its output would load each
 * element many times: the group of its first consumer runs that kernel, and every consumer's group
 * (all later in the plan) reads the stored gradient. The same answer for every consumer's group.
 */
function prologueApart(p: Op, g: Graph, t: TargetInfo, opts: GroupOptions): boolean {
  if (opts.prologue) return opts.prologue === 'apart';
  return g.ops.some((c) => c.inputs[0] === p.outputs[0] && !prologueAtLoad(t, dyReuse(c, g, t)));
}

function firstConsumer(p: Op, g: Graph): number | undefined {
  return g.ops.find((c) => c.inputs.includes(p.outputs[0]))?.id;
}

/**
 * How many workgroup tiles of a gradient kernel load the same dy element, from the tiles its
 * emitter picks on this target (an estimate: the choice it feeds is coarse).
 */
function dyReuse(a: Op, g: Graph, t: TargetInfo): number {
  switch (a.kind) {
    case 'conv2d_grad_weight': {
      // Every tile of dw columns walks all of dy for its output channels.
      const d = convDimsOf(a, g);
      const lanes = lanesTile(t, d.Og);
      return ceilDiv(d.Cg * d.KH * d.KW, lanes ? lanes.lanes * lanes.tn : splitKTile(t, d.Og).tn);
    }
    case 'conv2d_grad_input': {
      // Every tap that lands on a dy element reads it, once per tile of input channels.
      const d = convDimsOf(a, g);
      return Math.ceil(d.KH / d.SH) * Math.ceil(d.KW / d.SW) * ceilDiv(d.Cg, 8);
    }
    case 'dense_grad_input':
    case 'dense_grad_weight': {
      // dy is B for the input gradient (read by every tile of rows = input features) and A for
      // the weight gradient (read by every tile of columns = input features).
      const input = a.kind === 'dense_grad_input';
      const [out, inF] = g.tensors[input ? a.inputs[1] : a.outputs[0]].shape;
      const v = gemmVariant(t, input ? inF : out);
      const { bm, bn } = v.kind === 'shared' ? v : stridedGemmBlock(v);
      return ceilDiv(inF, input ? bm : bn);
    }
    default:
      return 1;
  }
}

/** The anchor's kernel with every given part fused, or undefined where its emitter cannot take one. */
function fusedAnchor(a: Op, g: Graph, t: TargetInfo, p: Parts, v: GemmVariant | undefined): Kernel | undefined {
  const only = (...allowed: (keyof Parts)[]) => (['prologue', 'epilogue', 'biasGrad'] as const).every((k) => p[k] === undefined || allowed.includes(k));
  switch (a.kind) {
    case 'conv2d':
      return only('epilogue') ? emitConv2d(a, g, t, v, p.epilogue) : undefined;
    case 'dense':
      return only('epilogue') ? emitDense(a, g, t, v, p) : undefined;
    case 'add': {
      // emitAdd binds every input, each other tensor the epilogue adds, and the output.
      const extra = new Set(p.epilogue?.steps.flatMap((s) => (s.kind === 'add' ? s.others : [])) ?? []).size;
      return only('epilogue') && a.inputs.length + extra < MAX_STORAGE_BUFFERS ? emitAdd(a, g, t, undefined, p.epilogue) : undefined;
    }
    case 'conv2d_grad_input':
      return only('prologue') ? emitConv2dGradInput(a, g, t, v, p.prologue) : undefined;
    case 'conv2d_grad_weight':
      return only('prologue', 'biasGrad') ? emitConv2dGradWeight(a, g, t, undefined, p) : undefined;
    case 'dense_grad_input':
      return only('prologue') ? emitDense(a, g, t, v, p) : undefined;
    case 'dense_grad_weight':
      return only('prologue', 'biasGrad') ? emitDense(a, g, t, v, p) : undefined;
    case 'bias_grad':
      return only('prologue') ? emitBiasGrad(a, g, t, p.prologue) : undefined;
    default:
      return only() ? emitKernel(a, g, t) : undefined;
  }
}

/** A bias gradient of the same dy as a weight gradient, one value per output channel (feature). */
function isBiasBeside(s: Op, anchor: Op, g: Graph): boolean {
  if (s.kind !== 'bias_grad' || s.inputs[0] !== anchor.inputs[0]) return false;
  if (anchor.kind !== 'conv2d_grad_weight' && anchor.kind !== 'dense_grad_weight') return false;
  return numel(g.tensors[s.outputs[0]].shape) === g.tensors[anchor.outputs[0]].shape[0];
}

function prologueOf(p: Op, anchor: Op): Prologue {
  if (p.kind !== 'unary_grad' || p.outputs[0] !== anchor.inputs[0]) {
    throw new Error(`internal: prologue ${p.kind} (op ${p.id}) does not produce the gradient ${anchor.kind} reads`);
  }
  return { fn: p.fn, alpha: p.alpha, raw: p.inputs[0], saved: p.inputs[1] };
}

/**
 * The epilogue ops as steps on the running value, checking that each consumes the one before. A
 * tensor of the chain that an op outside the group reads, or that the graph returns, is stored
 * before the next step (fuse.ts lets a chain run on through the input of silu, gelu or hardswish,
 * which their backward reads).
 */
function epilogueOf(ops: readonly Op[], anchor: Op, group: Group, graph: Graph): Epilogue {
  const inGroup = new Set([group.anchor, ...group.epilogue, ...group.siblings, ...(group.prologue !== undefined ? [group.prologue] : [])]);
  const readElsewhere = (t: number) => graph.outputs.includes(t) || graph.ops.some((o) => !inGroup.has(o.id) && o.inputs.includes(t));
  let cur = anchor.outputs[0];
  const steps = ops.flatMap((o): EpilogueStep[] => {
    const prev = cur;
    const self = o.inputs.filter((i) => i === prev).length;
    if (!self || (o.kind !== 'add' && o.kind !== 'unary')) throw new Error(`internal: epilogue ${o.kind} (op ${o.id}) does not consume tensor ${prev}`);
    cur = o.outputs[0];
    const store: EpilogueStep[] = readElsewhere(prev) ? [{ kind: 'store', tensor: prev }] : [];
    return [...store, o.kind === 'add' ? { kind: 'add', self, others: o.inputs.filter((i) => i !== prev) } : { kind: 'unary', fn: o.fn, alpha: o.alpha }];
  });
  return { steps, output: cur };
}

/** `relu_grad>conv2d_grad_weight&bias_grad:layer`, `conv2d_fwd+add+relu:layer`: what a fused kernel does, in the dumps. */
function fusedName(k: Kernel, pro: Op | undefined, epilogue: readonly Op[], bias: boolean): string {
  const colon = k.name.indexOf(':');
  const [base, layer] = colon < 0 ? [k.name, ''] : [k.name.slice(0, colon), k.name.slice(colon)];
  const pre = pro?.kind === 'unary_grad' ? `${pro.fn}_grad>` : '';
  const post = epilogue.map((e) => `+${e.kind === 'unary' ? e.fn : e.kind}`).join('');
  return `${pre}${base}${post}${bias ? '&bias_grad' : ''}${layer}`;
}
