import type { ModelNode } from '../check/model.js';
import type { AttrValue } from '../check/layers/types.js';

/** `64×56×56`, or `120` for a flat vector: as diagnostics and the summary table write shapes. */
export { formatShape } from '../check/values.js';

/** 11689512 → `11,689,512`: exact, so the numbers in the boxes add up to the model total. */
export function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const pair = (v: AttrValue | undefined): readonly number[] | undefined =>
  Array.isArray(v) ? v : typeof v === 'number' ? [v, v] : undefined;

/** `3×3`, or `3` when square and `short` (strides and dilations read better bare). */
function formatPair(v: readonly number[], short: boolean): string {
  return short && v[0] === v[1] ? String(v[0]) : `${v[0]}×${v[1]}`;
}

const isOnes = (v: readonly number[] | undefined, one: number): boolean => !v || v.every((x) => x === one);

/** Pads are stored per side (top, left, bottom, right); say one number when they agree. */
function formatPad(v: readonly number[]): string {
  return v.every((x) => x === v[0]) ? `p${v[0]}` : `p${v.join(',')}`;
}

/** Kernel, `/stride` and `p<pad>` as in `3×3/2 p1`, the notation of papers' architecture tables. */
function windowText(attrs: Readonly<Record<string, AttrValue>>): string {
  const k = pair(attrs.kernel);
  const s = pair(attrs.stride);
  const p = pair(attrs.pad);
  let text = k ? formatPair(k, false) : '';
  if (!isOnes(s, 1) && s) text += `/${formatPair(s, true)}`;
  if (!isOnes(p, 0) && p) text += ` ${formatPad(p)}`;
  return text;
}

/**
 * The op with its key attributes: `conv 7×7/2 p3, 64`, `maxpool 3×3/2 ceil`, `dense 120`,
 * `dropout p=0.2`. `inChannels` tells a depthwise convolution from a grouped one.
 */
export function opText(node: ModelNode, inChannels?: number): string {
  const a = node.attrs;
  switch (node.op) {
    case 'conv': {
      let text = `conv ${windowText(a)}, ${String(a.out)}`;
      const d = pair(a.dilation);
      if (d && !isOnes(d, 1)) text += ` dil ${formatPair(d, true)}`;
      const g = typeof a.groups === 'number' ? a.groups : 1;
      if (g > 1) text += g === inChannels ? ' depthwise' : ` groups ${g}`;
      if (a.pad_mode === 'replicate') text += ' replicate';
      return text;
    }
    case 'maxpool':
    case 'avgpool':
    case 'minpool':
    case 'l2pool':
      return `${node.op} ${windowText(a)}${a.round === 'ceil' ? ' ceil' : ''}`;
    case 'adaptiveavgpool':
    case 'adaptivemaxpool': {
      const s = pair(a.size);
      return s ? `${node.op} → ${formatPair(s, false)}` : node.op;
    }
    case 'maxout':
      return `maxout k=${String(a.k)}`;
    case 'dense':
      return `dense ${String(a.out)}`;
    case 'dropout':
      return `dropout p=${String(a.p)}`;
    case 'lrn':
      return `lrn size ${String(a.size)}`;
    case 'leaky_relu':
    case 'elu':
      return `${node.op} α=${String(a.alpha)}`;
    case 'gelu':
      return a.approximate === 'tanh' ? 'gelu tanh' : 'gelu';
    default:
      return node.op;
  }
}

/** Trainable parameter count of a node, as the summary table counts it. */
export function trainableParams(node: ModelNode): number {
  return node.weights.filter((w) => w.trainable).reduce((sum, w) => sum + w.shape.reduce((p, d) => p * d, 1), 0);
}
