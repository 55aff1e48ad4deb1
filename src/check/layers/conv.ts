import type { LayerDef } from './types.js';
import { needsSpatial, windowGeometry } from './window.js';

export const conv: LayerDef = {
  name: 'conv',
  summary: '2-D convolution (cross-correlation, as in PyTorch)',
  prefix: 'conv',
  family: 'conv',
  arity: 1,
  params: [
    { name: 'out', type: { kind: 'int', min: 1 }, doc: 'output channels' },
    { name: 'kernel', type: { kind: 'pair', min: 1 }, doc: 'kernel size: `3` or `3x5`' },
    { name: 'stride', type: { kind: 'pair', min: 1 }, default: [1, 1], doc: 'step of the window' },
    { name: 'pad', type: { kind: 'padding' }, default: [0, 0], doc: 'zero padding per side: number, `h x w`, `same` or `valid`' },
    { name: 'dilation', type: { kind: 'pair', min: 1 }, default: [1, 1], doc: 'spacing between kernel taps' },
    { name: 'groups', type: { kind: 'int', min: 1 }, default: 1, doc: 'grouped convolution; groups = channels is depthwise' },
    { name: 'bias', type: { kind: 'bool' }, default: true, doc: 'add a learned bias per output channel' },
    { name: 'pad_mode', type: { kind: 'enum', values: ['zeros', 'replicate'] }, default: 'zeros', doc: 'what the padding holds' },
    { name: 'round', type: { kind: 'enum', values: ['floor'] }, default: 'floor', doc: 'say `floor` to accept a stride that does not divide evenly' },
  ],
  infer(ctx) {
    if (!needsSpatial(ctx)) return undefined;
    const [cin] = ctx.inputs[0].shape;
    const out = ctx.attrs.out as number;
    const groups = ctx.attrs.groups as number;
    const k = ctx.attrs.kernel as readonly number[];
    if (cin % groups !== 0 || out % groups !== 0) {
      const which = cin % groups !== 0 ? `its ${cin} input channels` : `its ${out} output channels`;
      ctx.error('E0205', `\`conv\` has ${groups} groups, which do not divide ${which}`, {
        span: ctx.argSpan('groups'),
        notes: [ctx.inputNote(0)],
        help: 'groups must divide both the input and the output channels',
      });
      return undefined;
    }
    const g = windowGeometry(ctx, { ceilAllowed: false });
    if (!g) return undefined;
    const perOut = (cin / groups) * k[0] * k[1];
    const weights = [{ name: 'weight', shape: [out, cin / groups, k[0], k[1]], trainable: true }];
    if (ctx.attrs.bias) weights.push({ name: 'bias', shape: [out], trainable: true });
    return {
      shape: [out, g.out[0], g.out[1]],
      weights,
      macs: out * g.out[0] * g.out[1] * perOut,
      rf: g.rf,
      attrs: { ...ctx.attrs, pad: g.pad },
    };
  },
};
