import { formatShape } from '../values.js';
import type { LayerDef, ParamSpec, ReceptiveField } from './types.js';
import { needsSpatial, windowGeometry } from './window.js';

const windowParams: readonly ParamSpec[] = [
  { name: 'kernel', type: { kind: 'pair', min: 1 }, doc: 'window size' },
  { name: 'stride', type: { kind: 'pair', min: 1 }, default: (a) => a.kernel, doc: 'step; defaults to the window size' },
  { name: 'pad', type: { kind: 'padding' }, default: [0, 0], doc: 'padding per side (at most half the window)' },
  { name: 'round', type: { kind: 'enum', values: ['floor', 'ceil'] }, default: 'floor', doc: 'how a partial last window counts' },
];

function windowPool(name: string, summary: string, extra: readonly ParamSpec[] = []): LayerDef {
  return {
    name,
    summary,
    prefix: name,
    family: 'pool',
    arity: 1,
    params: [...windowParams, ...extra],
    infer(ctx) {
      if (!needsSpatial(ctx)) return undefined;
      const g = windowGeometry(ctx, { ceilAllowed: true, padMax: 'half' });
      if (!g) return undefined;
      return { shape: [ctx.inputs[0].shape[0], g.out[0], g.out[1]], rf: g.rf, attrs: { ...ctx.attrs, pad: g.pad } };
    },
  };
}

export const maxpool = windowPool('maxpool', 'maximum over each window');
export const avgpool = windowPool('avgpool', 'mean over each window', [
  { name: 'count_pad', type: { kind: 'bool' }, default: true, doc: 'whether padding counts in the mean (PyTorch count_include_pad)' },
]);
export const minpool = windowPool('minpool', 'minimum over each window');
export const l2pool = windowPool('l2pool', 'square root of the sum of squares over each window');

function wholeInputRf(rf: ReceptiveField | undefined, h: number, w: number): ReceptiveField | undefined {
  return rf && { size: [rf.size[0] + (h - 1) * rf.jump[0], rf.size[1] + (w - 1) * rf.jump[1]], jump: [rf.jump[0] * h, rf.jump[1] * w] };
}

function globalPool(name: string, summary: string): LayerDef {
  return {
    name,
    summary,
    prefix: name,
    family: 'pool',
    arity: 1,
    params: [],
    infer(ctx) {
      if (!needsSpatial(ctx)) return undefined;
      const [c, h, w] = ctx.inputs[0].shape;
      return { shape: [c, 1, 1], rf: wholeInputRf(ctx.inputs[0].rf, h, w) };
    },
  };
}

export const globalavgpool = globalPool('globalavgpool', 'mean over all positions: C×H×W → C×1×1');
export const globalmaxpool = globalPool('globalmaxpool', 'maximum over all positions: C×H×W → C×1×1');

function adaptivePool(name: string, summary: string): LayerDef {
  return {
    name,
    summary,
    prefix: name,
    family: 'pool',
    arity: 1,
    params: [{ name: 'size', type: { kind: 'pair', min: 1 }, doc: 'output height and width' }],
    infer(ctx) {
      if (!needsSpatial(ctx)) return undefined;
      const [c, h, w] = ctx.inputs[0].shape;
      const [oh, ow] = ctx.attrs.size as readonly number[];
      // PyTorch's windows: start = floor(i·H/oh), end = ceil((i+1)·H/oh); the widest is ceil(H/oh)+1 at most.
      const kh = Math.ceil(h / oh);
      const kw = Math.ceil(w / ow);
      const rf = ctx.inputs[0].rf;
      return {
        shape: [c, oh, ow],
        rf: rf && { size: [rf.size[0] + (kh - 1) * rf.jump[0], rf.size[1] + (kw - 1) * rf.jump[1]], jump: [rf.jump[0] * Math.max(1, Math.floor(h / oh)), rf.jump[1] * Math.max(1, Math.floor(w / ow))] },
      };
    },
  };
}

export const adaptiveavgpool = adaptivePool('adaptiveavgpool', 'mean over windows chosen to give a fixed output size');
export const adaptivemaxpool = adaptivePool('adaptivemaxpool', 'maximum over windows chosen to give a fixed output size');

/** Cross-channel pooling: the maximum of each group of k consecutive channels (maxout). */
export const maxout: LayerDef = {
  name: 'maxout',
  summary: 'maximum over groups of k consecutive channels (cross-channel pooling)',
  prefix: 'maxout',
  family: 'pool',
  arity: 1,
  params: [{ name: 'k', type: { kind: 'int', min: 1 }, doc: 'channels per group' }],
  infer(ctx) {
    const s = ctx.inputs[0].shape;
    const k = ctx.attrs.k as number;
    if (s[0] % k !== 0) {
      ctx.error('E0205', `\`maxout\` groups of ${k} do not divide the ${s[0]} channels of its ${formatShape(s)} input`, {
        span: ctx.argSpan('k'),
        notes: [ctx.inputNote(0)],
      });
      return undefined;
    }
    return { shape: [s[0] / k, ...s.slice(1)], rf: ctx.inputs[0].rf };
  },
};
