import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitBiasGrad } from '../../src/codegen/bias-grad.js';
import { emitConv2d } from '../../src/codegen/conv-forward.js';
import { emitConv2dGradInput } from '../../src/codegen/conv-grad-input.js';
import { emitConv2dGradWeight } from '../../src/codegen/conv-grad-weight.js';
import { emitDense } from '../../src/codegen/dense.js';
import { emitAdd, emitUnary } from '../../src/codegen/elementwise.js';
import type { Kernel, TargetInfo } from '../../src/codegen/kernel.js';
import { dispatchSize, foldDispatch } from '../../src/codegen/wgsl.js';
import type { ConvAttrs } from '../../src/ir/graph.js';
import { checkOp, openGpu, targetWith, type TensorSpec, type TestGpu } from './harness.js';

let gpu: TestGpu;
beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(async () => {
  await gpu?.ctx.destroy();
});

describe('foldDispatch', () => {
  it('keeps small counts in x and folds large ones into y', () => {
    expect(foldDispatch(1, 65535)).toEqual([1, 1, 1]);
    expect(foldDispatch(65535, 65535)).toEqual([65535, 1, 1]);
    expect(foldDispatch(65536, 65535)).toEqual([65535, 2, 1]);
    expect(foldDispatch(200_000, 65535)).toEqual([65535, 4, 1]);
    expect(() => foldDispatch(65535 * 65535 + 1, 65535)).toThrow();
  });
});

const conv = (pad: ConvAttrs['pad'], groups: number): ConvAttrs => ({ stride: [1, 1], pad, dilation: [1, 1], groups, padMode: 'zeros' });

describe('dispatches above 65,535 workgroups in x', { timeout: 60_000 }, () => {
  it('bias_grad over 70,000 channels: one workgroup each, folded into y', async () => {
    const dy: TensorSpec = { shape: [70_000, 1, 2], batched: true };
    const { kernel } = await checkOp(gpu, {
      kind: { kind: 'bias_grad' }, inputs: [dy], outputs: [{ shape: [70_000], batched: false, role: 'grad' }], batch: 2,
      emit: (op, g) => emitBiasGrad(op, g, targetWith(gpu, true)),
    });
    expect(dispatchSize(kernel, 2, 65535)).toEqual([65535, 2, 1]);
  });

  it('depthwise conv over 70,000 channels (software variant)', async () => {
    const x: TensorSpec = { shape: [70_000, 1, 3], batched: true };
    const w: TensorSpec = { shape: [70_000, 1, 1, 3], batched: false, role: 'param' };
    const { kernel } = await checkOp(gpu, {
      kind: { kind: 'conv2d', attrs: conv([0, 0, 1, 1], 70_000), bias: false }, inputs: [x, w], outputs: [x], batch: 1,
      emit: (op, g) => emitConv2d(op, g, targetWith(gpu, true)),
    });
    const [dx, dy] = dispatchSize(kernel, 1, 65535);
    expect(dx).toBeLessThanOrEqual(65535);
    expect(dx * dy).toBeGreaterThan(65535);
  });
});

/**
 * A per-dimension limit of 30 folds even small dispatches, so every kernel family's flat-index
 * recovery is checked at awkward shapes (the pipelines are the same: dispatch is not in the source).
 */
describe('folding with a tiny per-dimension limit', { timeout: 60_000 }, () => {
  const tiny = (software: boolean): TargetInfo => ({ ...targetWith(gpu, software), maxComputeWorkgroupsPerDimension: 30 });
  const X: TensorSpec = { shape: [5, 9, 11], batched: true };
  const W: TensorSpec = { shape: [6, 5, 3, 3], batched: false, role: 'param' };
  const Y: TensorSpec = { shape: [6, 9, 11], batched: true };
  const attrs = conv([1, 1, 1, 1], 1);
  const folded = (k: Kernel, batch: number) => {
    const [x, y] = dispatchSize(k, batch, 30);
    expect(x).toBeLessThanOrEqual(30);
    return y;
  };
  const cases: { name: string; run: () => Promise<Kernel> }[] = [
    { name: 'conv2d (direct)', run: async () => (await checkOp(gpu, { maxWorkgroupsPerDimension: 30, kind: { kind: 'conv2d', attrs, bias: false }, inputs: [X, W], outputs: [Y], batch: 5, emit: (op, g) => emitConv2d(op, g, tiny(true)) })).kernel },
    { name: 'conv2d (workgroup memory)', run: async () => (await checkOp(gpu, { maxWorkgroupsPerDimension: 30, kind: { kind: 'conv2d', attrs, bias: false }, inputs: [X, W], outputs: [Y], batch: 5, emit: (op, g) => emitConv2d(op, g, tiny(false), { kind: 'shared', bm: 16, bn: 16, bk: 8, tm: 2, tn: 2 }) })).kernel },
    { name: 'conv2d_grad_input', run: async () => (await checkOp(gpu, { maxWorkgroupsPerDimension: 30, kind: { kind: 'conv2d_grad_input', attrs }, inputs: [Y, W], outputs: [X], batch: 5, emit: (op, g) => emitConv2dGradInput(op, g, tiny(true)) })).kernel },
    { name: 'conv2d_grad_weight', run: async () => (await checkOp(gpu, { maxWorkgroupsPerDimension: 30, kind: { kind: 'conv2d_grad_weight', attrs }, inputs: [Y, X], outputs: [W], batch: 5, emit: (op, g) => emitConv2dGradWeight(op, g, tiny(true)) })).kernel },
    {
      name: 'dense',
      run: async () => (await checkOp(gpu, { maxWorkgroupsPerDimension: 30, kind: { kind: 'dense', bias: false }, inputs: [{ shape: [30], batched: true }, { shape: [70, 30], batched: false }], outputs: [{ shape: [70], batched: true }], batch: 50, emit: (op, g) => emitDense(op, g, tiny(true)) })).kernel,
    },
    { name: 'unary', run: async () => (await checkOp(gpu, { maxWorkgroupsPerDimension: 30, kind: { kind: 'unary', fn: 'relu', alpha: 0 }, inputs: [Y], outputs: [Y], batch: 40, emit: (op, g) => emitUnary(op, g, tiny(true)) })).kernel },
    { name: 'add', run: async () => (await checkOp(gpu, { maxWorkgroupsPerDimension: 30, kind: { kind: 'add' }, inputs: [X, X], outputs: [X], batch: 40, emit: (op, g) => emitAdd(op, g, tiny(true)) })).kernel },
  ];
  it.each(cases)('$name', async ({ run }) => {
    const k = await run();
    expect(folded(k, 50)).toBeGreaterThanOrEqual(1);
  });
});
