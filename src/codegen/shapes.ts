import type { ConvAttrs, Graph, Op, Tensor } from '../ir/graph.js';
import { numel } from '../ir/graph.js';

/** Everything a conv kernel bakes into its source, read once from the graph. */
export interface ConvDims {
  /** Input channels, height, width (per sample). */
  readonly C: number;
  readonly H: number;
  readonly W: number;
  /** Output channels, height, width (per sample). */
  readonly O: number;
  readonly OH: number;
  readonly OW: number;
  readonly KH: number;
  readonly KW: number;
  readonly groups: number;
  /** Input and output channels per group. */
  readonly Cg: number;
  readonly Og: number;
  readonly SH: number;
  readonly SW: number;
  readonly DH: number;
  readonly DW: number;
  /** Top and left padding; bottom and right follow from the output size. */
  readonly PT: number;
  readonly PL: number;
  readonly replicate: boolean;
}

export function tensorOf(graph: Graph, id: number): Tensor {
  const t = graph.tensors[id];
  if (!t || t.id !== id) throw new Error(`internal: tensor ${id} is not in the graph`);
  return t;
}

function chw(t: Tensor): [number, number, number] {
  if (t.shape.length !== 3) throw new Error(`internal: ${t.name} should be C×H×W, is ${t.shape.join('×')}`);
  return [t.shape[0], t.shape[1], t.shape[2]];
}

/** Conv dims from the activation x, the weight shape and the output y (all per sample). */
export function convDims(attrs: ConvAttrs, x: Tensor, wShape: readonly number[], y: Tensor): ConvDims {
  const [C, H, W] = chw(x);
  const [O, OH, OW] = chw(y);
  if (wShape.length !== 4) throw new Error(`internal: conv weight should be OIHW, is ${wShape.join('×')}`);
  const [wO, Cg, KH, KW] = wShape;
  const groups = attrs.groups;
  if (wO !== O || Cg * groups !== C || O % groups !== 0) {
    throw new Error(`internal: conv shapes disagree: x ${C}×${H}×${W}, w ${wShape.join('×')}, y ${O}×${OH}×${OW}, groups ${groups}`);
  }
  return {
    C, H, W, O, OH, OW, KH, KW, groups, Cg, Og: O / groups,
    SH: attrs.stride[0], SW: attrs.stride[1],
    DH: attrs.dilation[0], DW: attrs.dilation[1],
    PT: attrs.pad[0], PL: attrs.pad[2],
    replicate: attrs.padMode === 'replicate',
  };
}

/** The conv dims of any conv op kind, from its own inputs and outputs. */
export function convDimsOf(op: Op, graph: Graph): ConvDims {
  const t = (i: number) => tensorOf(graph, i);
  switch (op.kind) {
    case 'conv2d':
      return convDims(op.attrs, t(op.inputs[0]), t(op.inputs[1]).shape, t(op.outputs[0]));
    case 'conv2d_grad_input':
      return convDims(op.attrs, t(op.outputs[0]), t(op.inputs[1]).shape, t(op.inputs[0]));
    case 'conv2d_grad_weight':
      return convDims(op.attrs, t(op.inputs[1]), t(op.outputs[0]).shape, t(op.inputs[0]));
    default:
      throw new Error(`internal: ${op.kind} is not a conv op`);
  }
}

/** Elements of a tensor as a WGSL u32 expression of the batch size. */
export function sizeExpr(t: Tensor): string {
  const n = numel(t.shape);
  return t.batched ? `(params.batch * ${n}u)` : `${n}u`;
}
