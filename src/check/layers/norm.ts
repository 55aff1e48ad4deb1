import type { LayerDef } from './types.js';
import { needsSpatial } from './window.js';

export const batchnorm: LayerDef = {
  name: 'batchnorm',
  summary: 'batch normalisation over each channel (BatchNorm2d, or BatchNorm1d on flat input)',
  prefix: 'bn',
  family: 'norm',
  arity: 1,
  params: [
    { name: 'eps', type: { kind: 'float', min: 0 }, default: 1e-5, doc: 'added to the variance' },
    { name: 'momentum', type: { kind: 'float', min: 0, max: 1 }, default: 0.1, doc: 'running statistics update rate' },
    { name: 'affine', type: { kind: 'bool' }, default: true, doc: 'learn a scale and a shift' },
  ],
  infer(ctx) {
    const s = ctx.inputs[0].shape;
    const c = s[0];
    const weights = [
      ...(ctx.attrs.affine ? [{ name: 'weight', shape: [c], trainable: true }, { name: 'bias', shape: [c], trainable: true }] : []),
      { name: 'running_mean', shape: [c], trainable: false },
      { name: 'running_var', shape: [c], trainable: false },
    ];
    return { shape: s, weights, rf: ctx.inputs[0].rf };
  },
};

export const lrn: LayerDef = {
  name: 'lrn',
  summary: 'local response normalisation across neighbouring channels (AlexNet)',
  prefix: 'lrn',
  family: 'norm',
  arity: 1,
  params: [
    { name: 'size', type: { kind: 'int', min: 1 }, default: 5, doc: 'channels in each neighbourhood' },
    { name: 'alpha', type: { kind: 'float', min: 0 }, default: 1e-4, doc: 'scale' },
    { name: 'beta', type: { kind: 'float', min: 0 }, default: 0.75, doc: 'exponent' },
    { name: 'k', type: { kind: 'float', min: 0 }, default: 1, doc: 'additive constant' },
  ],
  infer(ctx) {
    if (!needsSpatial(ctx)) return undefined;
    return { shape: ctx.inputs[0].shape, rf: ctx.inputs[0].rf };
  },
};
