import type { FusionRules } from '../ir/fuse.js';
import type { Graph, Op } from '../ir/graph.js';
import { numel } from '../ir/graph.js';
import { epilogueOf, MAX_STORAGE_BUFFERS } from './elementwise.js';
import type { TargetInfo } from './kernel.js';
import { broadcastGemmBlock } from './gemm-broadcast.js';
import { stridedGemmBlock } from './gemm-register.js';
import { convDimsOf } from './shapes.js';
import { convGradInputEpilogue, denseVariant, lanesTile, prologueAtLoad, splitKTile } from './variants.js';
import { ceilDiv } from './wgsl.js';

/**
 * What each kernel emitter can absorb on a target, for the fusion pass (ir/fuse.ts): the emitters'
 * own answer, so the plan fuse returns is exactly what codegen/group.ts emits — one kernel per
 * group. A missing kind in the tables below is a type error.
 */

/** Kinds whose kernel applies epilogue steps (adds, activations) to each value it stores. */
const TAKES_EPILOGUE: { readonly [K in Op['kind']]: boolean } = {
  conv2d: true, dense: true, add: true, batchnorm: true, dense_grad_input: true, pool2d_grad: true,
  conv2d_grad_input: true, conv2d_grad_weight: false, bias_grad: false, pool2d: false,
  adaptive_pool: false, adaptive_pool_grad: false, maxout: false, maxout_grad: false,
  dense_grad_weight: false, reshape: false, dropout: false, dropout_grad: false, batchnorm_fold: false,
  batchnorm_grad: false, batchnorm_infer_grad: false, lrn: false, lrn_grad: false, unary: false, unary_grad: false,
  softmax: false, softmax_grad: false, concat: false, slice_channels: false, softmax_cross_entropy: false,
  softmax_cross_entropy_grad: false, mse: false, mse_grad: false,
};

/** Kinds whose kernel reads its incoming gradient (input 0) through an activation derivative. */
const TAKES_PROLOGUE: { readonly [K in Op['kind']]: boolean } = {
  conv2d_grad_input: true, conv2d_grad_weight: true, dense_grad_input: true, dense_grad_weight: true, bias_grad: true,
  conv2d: false, dense: false, add: false, batchnorm: false, pool2d: false, pool2d_grad: false,
  adaptive_pool: false, adaptive_pool_grad: false, maxout: false, maxout_grad: false, reshape: false, dropout: false,
  dropout_grad: false, batchnorm_fold: false, batchnorm_grad: false, batchnorm_infer_grad: false, lrn: false,
  lrn_grad: false, unary: false, unary_grad: false, softmax: false, softmax_grad: false, concat: false,
  slice_channels: false, softmax_cross_entropy: false, softmax_cross_entropy_grad: false, mse: false, mse_grad: false,
};

export interface FusionRuleOptions {
  /** Where activation derivatives are applied, instead of the target's choice (tests): at load, or apart. */
  readonly prologue?: 'load' | 'apart';
}

export function fusionRules(target: TargetInfo, opts: FusionRuleOptions = {}): FusionRules {
  return {
    epilogue: (anchor, chain, g, prologue) =>
      TAKES_EPILOGUE[anchor.kind] && (anchor.kind !== 'conv2d_grad_input' || convGradInputEpilogue(target)) && epilogueBindings(anchor, chain, g, prologue) <= MAX_STORAGE_BUFFERS,
    prologue: (anchor, g) => {
      if (!TAKES_PROLOGUE[anchor.kind]) return false;
      if (opts.prologue) return opts.prologue === 'load';
      return prologueAtLoad(target, dyReuse(anchor, g, target));
    },
    sibling: (anchor, s, g) => isBiasBeside(s, anchor, g) || isLossGradBeside(s, anchor),
  };
}

/**
 * Storage buffers the anchor's kernel binds with this epilogue: its inputs (and, for training
 * batchnorm, its statistics; with a prologue, the two tensors its derivative reads instead of
 * dy), then what the epilogue binds (elementwise.ts outputWrite): the other
 * operands the adds read and the tensors the derivatives read, once each — even where the anchor
 * binds the same tensor (a pool's input is the saved output of the relu before it) —, tensors of
 * the chain stored on the way, and the final output. The emitters bind exactly these
 * (test/codegen/fusion-rules.test.ts holds them to it).
 */
export function epilogueBindings(anchor: Op, chain: readonly Op[], g: Graph, prologue?: Op): number {
  const e = epilogueOf(anchor, chain, g);
  const inputs = prologue ? [...prologue.inputs, ...anchor.inputs.slice(1)] : anchor.inputs;
  const own = new Set<number>([...inputs, ...anchor.outputs.slice(1)]);
  const reads = new Set<number>();
  let stores = 0;
  for (const s of e.steps) {
    if (s.kind === 'add') for (const t of s.others) reads.add(t);
    if (s.kind === 'unary_grad') reads.add(s.saved);
    if (s.kind === 'store') stores++;
  }
  return own.size + reads.size + stores + 1;
}

/** A bias gradient of the same dy as a weight gradient, one value per output channel (feature). */
function isBiasBeside(s: Op, anchor: Op, g: Graph): boolean {
  if (s.kind !== 'bias_grad' || s.inputs[0] !== anchor.inputs[0]) return false;
  if (anchor.kind !== 'conv2d_grad_weight' && anchor.kind !== 'dense_grad_weight') return false;
  return numel(g.tensors[s.outputs[0]].shape) === g.tensors[anchor.outputs[0]].shape[0];
}

/** A loss's gradient from the same inputs, computed by the loss kernel (codegen/loss.ts). */
function isLossGradBeside(s: Op, anchor: Op): boolean {
  return (anchor.kind === 'softmax_cross_entropy' || anchor.kind === 'mse') && s.kind === `${anchor.kind}_grad` && s.inputs.join() === anchor.inputs.join();
}

/**
 * How many workgroup tiles of a gradient kernel load the same dy element, from the tiles its
 * emitter picks on this target (an estimate: the choice it feeds is coarse). Software adapters
 * apply an activation derivative at load only where dy is read about once (variants.ts prologueAtLoad).
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
      const v = denseVariant(t, input ? inF : out);
      const { bm, bn } = v.kind === 'shared' ? v : v.kind === 'broadcast' ? broadcastGemmBlock(v) : stridedGemmBlock(v);
      return ceilDiv(inF, input ? bm : bn);
    }
    default:
      return 1;
  }
}
