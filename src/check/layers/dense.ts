import { formatShape } from '../values.js';
import type { LayerDef } from './types.js';

export const dense: LayerDef = {
  name: 'dense',
  summary: 'fully connected layer: y = W·x + b',
  prefix: 'fc',
  family: 'dense',
  arity: 1,
  params: [
    { name: 'out', type: { kind: 'int', min: 1 }, doc: 'output features' },
    {
      name: 'bias',
      type: { kind: 'bool' },
      default: true,
      doc: 'add a learned bias',
      misuse: '`dense` takes only the output size, the input size is inferred: write `dense(128)`, not `dense(784, 128)`',
    },
  ],
  infer(ctx) {
    const s = ctx.inputs[0].shape;
    if (s.length !== 1) {
      ctx.error('E0206', `\`dense\` needs a flat input, but its input is ${formatShape(s)}`, {
        notes: [ctx.inputNote(0)],
        help: `add \`-> flatten\` before \`dense\` (it gives ${s.reduce((a, b) => a * b, 1)} features)`,
      });
      return undefined;
    }
    const out = ctx.attrs.out as number;
    const weights = [{ name: 'weight', shape: [out, s[0]], trainable: true }];
    if (ctx.attrs.bias) weights.push({ name: 'bias', shape: [out], trainable: true });
    return { shape: [out], weights, macs: out * s[0] };
  },
};

export const flatten: LayerDef = {
  name: 'flatten',
  summary: 'C×H×W → C·H·W features, in PyTorch order',
  prefix: 'flatten',
  family: 'other',
  arity: 1,
  params: [],
  infer(ctx) {
    const s = ctx.inputs[0].shape;
    return { shape: [s.reduce((a, b) => a * b, 1)] };
  },
};

export const dropout: LayerDef = {
  name: 'dropout',
  summary: 'zeroes each element with probability p while training, scales the rest by 1/(1−p)',
  prefix: 'dropout',
  family: 'other',
  arity: 1,
  params: [{ name: 'p', type: { kind: 'float', min: 0, max: 1, maxExclusive: true }, default: 0.5, doc: 'drop probability' }],
  infer(ctx) {
    return { shape: ctx.inputs[0].shape, rf: ctx.inputs[0].rf };
  },
};
