import type { Group } from '../ir/fuse.js';
import type { Graph, Op } from '../ir/graph.js';
import { emitBatchnorm } from './batchnorm.js';
import { emitBiasGrad } from './bias-grad.js';
import { emitConv2d, emitConv2dTextured } from './conv-forward.js';
import { emitConv2dGradInput, emitConv2dGradInputTextured } from './conv-grad-input.js';
import { emitConv2dGradWeight, emitConv2dGradWeightSplit } from './conv-grad-weight.js';
import { emitConv2dGradWeightTextured } from './conv-grad-weight-texture.js';
import { emitDense } from './dense.js';
import { emitAdd, epilogueOf, MAX_STORAGE_BUFFERS, type Epilogue, type Prologue } from './elementwise.js';
import { emitKernel } from './emit.js';
import type { Kernel, ScratchSpace, TargetInfo } from './kernel.js';
import { emitLossWithGrad } from './loss.js';
import { emitPool2dGrad } from './pool.js';
import type { GemmVariant } from './variants.js';

/**
 * The kernel of one fusion group (ir/fuse.ts), exactly as the plan says: it reads the incoming
 * gradient through the prologue's activation derivative, applies the epilogue's adds and
 * activations as it stores, and computes its siblings (a bias gradient beside a weight gradient,
 * a loss's gradient beside the loss). Tensors between the fused ops are never written, except one
 * that a later op reads (the input of silu, gelu or hardswish, for their gradient: a store step of
 * the epilogue). What each emitter can absorb is codegen/fusion-rules.ts's answer to the fusion
 * pass, so a group it cannot emit as one kernel is a compiler bug. The one exception: given
 * scratch space, a weight gradient with too few tiles for a software adapter's threads is two
 * kernels, partial sums over slices of the batch and their sum (conv-grad-weight.ts).
 */

export interface GroupOptions {
  /** A GEMM variant for conv2d, conv2d_grad_input and the dense kernels instead of the target's (tests). */
  readonly gemm?: GemmVariant;
  /** Storage private to a group's kernels; without it every group is one kernel. */
  readonly scratch?: ScratchSpace;
  /** The plan's mode: training plans may take the texture convs (variants.ts textureConvTile). Default 'infer'. */
  readonly mode?: 'train' | 'infer';
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
  if (anchor.kind === 'conv2d_grad_weight' && opts.scratch) {
    const kernels = weightGradKernels(group, anchor, graph, target, opts.scratch, !opts.gemm);
    if (kernels) return kernels;
  }
  if ((anchor.kind === 'conv2d' || anchor.kind === 'conv2d_grad_input') && opts.scratch && !opts.gemm) {
    const textured = texturedConv(group, anchor, graph, target, opts.mode ?? 'infer', opts.scratch);
    if (textured) return textured;
  }
  if (group.prologue === undefined && !group.epilogue.length && !group.siblings.length) return [emitKernel(anchor, graph, target)];
  const siblings = group.siblings.map(op);
  // A loss and its gradient (the group's one sibling) come from one kernel.
  if ((anchor.kind === 'softmax_cross_entropy' || anchor.kind === 'mse') && siblings.length === 1 && !group.epilogue.length && group.prologue === undefined) {
    return [emitLossWithGrad(anchor, siblings[0], graph, target)];
  }
  const prologueOp = group.prologue !== undefined ? op(group.prologue) : undefined;
  const epilogueOps = group.epilogue.map(op);
  const bias = siblings.find((s) => s.kind === 'bias_grad');
  if (siblings.length !== (bias ? 1 : 0)) throw new Error(`internal: ${anchor.kind} (layer ${anchor.layer}) has siblings its kernel cannot compute`);
  const parts: Parts = {
    prologue: prologueOp && prologueOf(prologueOp, anchor),
    epilogue: epilogueOps.length ? epilogueOf(anchor, epilogueOps, graph) : undefined,
    biasGrad: bias?.outputs[0],
  };
  const k = fusedAnchor(anchor, graph, target, parts, opts.gemm);
  if (!k || k.bindings.length > MAX_STORAGE_BUFFERS) {
    throw new Error(`internal: the fusion plan gives ${anchor.kind} (layer ${anchor.layer}) parts its kernel cannot take (codegen/fusion-rules.ts and the emitter disagree)`);
  }
  return [{ ...k, name: fusedName(k, prologueOp, epilogueOps, bias !== undefined) }];
}

/**
 * A weight gradient as several kernels: its texture copies and GEMM (and the sum of its slices),
 * else its partial sums and their sum; undefined where one kernel serves better. The kernel that
 * computes dw carries the fused parts' name.
 */
function weightGradKernels(group: Group, anchor: Op, graph: Graph, target: TargetInfo, scratch: ScratchSpace, textures: boolean): Kernel[] | undefined {
  const siblings = group.siblings.map((id) => graph.ops[id]);
  const bias = siblings.find((s) => s.kind === 'bias_grad');
  if (group.epilogue.length || siblings.length !== (bias ? 1 : 0)) return undefined;
  const pro = group.prologue !== undefined ? graph.ops[group.prologue] : undefined;
  const fusion = { prologue: pro && prologueOf(pro, anchor), biasGrad: bias?.outputs[0] };
  const kernels = (textures && emitConv2dGradWeightTextured(anchor, graph, target, scratch, fusion)) || emitConv2dGradWeightSplit(anchor, graph, target, scratch, fusion);
  if (!kernels) return undefined;
  const at = kernels.findIndex((k) => /^conv2d_grad_weight(_partial)?:/.test(k.name));
  return kernels.map((k, i) => (i === at ? { ...k, name: fusedName(k, pro, [], bias !== undefined) } : k));
}

/** A conv's texture copies and GEMM (conv-texture.ts), or undefined where one kernel serves. */
function texturedConv(group: Group, anchor: Op, graph: Graph, target: TargetInfo, mode: 'train' | 'infer', scratch: ScratchSpace): Kernel[] | undefined {
  if (group.siblings.length) return undefined;
  const epilogueOps = group.epilogue.map((id) => graph.ops[id]);
  const pro = group.prologue !== undefined ? graph.ops[group.prologue] : undefined;
  const kernels =
    anchor.kind === 'conv2d'
      ? pro === undefined && emitConv2dTextured(anchor, graph, target, mode, scratch, epilogueOps.length ? epilogueOf(anchor, epilogueOps, graph) : undefined)
      : emitConv2dGradInputTextured(anchor, graph, target, scratch, pro && prologueOf(pro, anchor), epilogueOps.length ? epilogueOf(anchor, epilogueOps, graph) : undefined);
  if (!kernels) return undefined;
  const last = kernels.length - 1;
  return kernels.map((k, i) => (i === last ? { ...k, name: fusedName(k, pro, epilogueOps, false) } : k));
}

/** The anchor's kernel with every given part fused, or undefined where its emitter cannot take one. */
function fusedAnchor(a: Op, g: Graph, t: TargetInfo, p: Parts, v: GemmVariant | undefined): Kernel | undefined {
  const only = (...allowed: (keyof Parts)[]) => (['prologue', 'epilogue', 'biasGrad'] as const).every((k) => p[k] === undefined || allowed.includes(k));
  switch (a.kind) {
    case 'conv2d':
      return only('epilogue') ? emitConv2d(a, g, t, v, p.epilogue) : undefined;
    case 'dense':
      return only('epilogue') ? emitDense(a, g, t, v, p) : undefined;
    case 'add':
      return only('epilogue') ? emitAdd(a, g, t, undefined, p.epilogue) : undefined;
    case 'batchnorm':
      return only('epilogue') ? emitBatchnorm(a, g, t, p.epilogue) : undefined;
    case 'conv2d_grad_input':
      return only('prologue', 'epilogue') ? emitConv2dGradInput(a, g, t, v, p.prologue, p.epilogue) : undefined;
    case 'conv2d_grad_weight':
      return only('prologue', 'biasGrad') ? emitConv2dGradWeight(a, g, t, undefined, p) : undefined;
    case 'dense_grad_input':
      return only('prologue', 'epilogue') ? emitDense(a, g, t, v, p) : undefined;
    case 'pool2d_grad':
      return only('epilogue') ? emitPool2dGrad(a, g, t, p.epilogue) : undefined;
    case 'dense_grad_weight':
      return only('prologue', 'biasGrad') ? emitDense(a, g, t, v, p) : undefined;
    case 'bias_grad':
      return only('prologue') ? emitBiasGrad(a, g, t, p.prologue) : undefined;
    default:
      return only() ? emitKernel(a, g, t) : undefined;
  }
}

function prologueOf(p: Op, anchor: Op): Prologue {
  if (p.kind !== 'unary_grad' || p.outputs[0] !== anchor.inputs[0]) {
    throw new Error(`internal: prologue ${p.kind} (op ${p.id}) does not produce the gradient ${anchor.kind} reads`);
  }
  return { fn: p.fn, alpha: p.alpha, raw: p.inputs[0], saved: p.inputs[1] };
}

/** `relu_grad>conv2d_grad_weight&bias_grad:layer`, `conv2d_fwd+add+relu:layer`: what a fused kernel does, in the dumps. */
function fusedName(k: Kernel, pro: Op | undefined, epilogue: readonly Op[], bias: boolean): string {
  const colon = k.name.indexOf(':');
  const [base, layer] = colon < 0 ? [k.name, ''] : [k.name.slice(0, colon), k.name.slice(colon)];
  const pre = pro?.kind === 'unary_grad' ? `${pro.fn}_grad>` : '';
  const post = epilogue.map((e) => `+${e.kind === 'unary' ? e.fn : e.kind === 'unary_grad' ? `${e.fn}_grad` : e.kind}`).join('');
  return `${pre}${base}${post}${bias ? '&bias_grad' : ''}${layer}`;
}
