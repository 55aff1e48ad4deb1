import { emitBiasGrad } from '../../src/codegen/bias-grad.js';
import { emitConv2d } from '../../src/codegen/conv-forward.js';
import { emitConv2dGradInput } from '../../src/codegen/conv-grad-input.js';
import { emitConv2dGradWeight } from '../../src/codegen/conv-grad-weight.js';
import type { Kernel, TargetInfo } from '../../src/codegen/kernel.js';
import type { LanesTile } from '../../src/codegen/conv-grad-weight-lanes.js';
import type { GemmVariant, SplitKTile } from '../../src/codegen/variants.js';
import { attrsOf, convShape, type ConvCase } from './conv-cases.js';
import { checkOp, type TestGpu, type TensorSpec } from './harness.js';

export type ConvOpKind = 'conv2d' | 'conv2d_grad_input' | 'conv2d_grad_weight' | 'bias_grad';

export interface KernelChoice {
  readonly target: TargetInfo;
  readonly gemm?: GemmVariant;
  readonly splitK?: SplitKTile | LanesTile;
}

/** Checks one conv-family kernel for a case against the reference interpreter. */
export async function checkConvOp(gpu: TestGpu, kind: ConvOpKind, c: ConvCase, choice: KernelChoice): Promise<Kernel> {
  const { oh, ow } = convShape(c);
  const groups = c.groups ?? 1;
  const attrs = attrsOf(c);
  const X: TensorSpec = { shape: [c.c, c.h, c.w], batched: true };
  const W: TensorSpec = { shape: [c.o, c.c / groups, c.k[0], c.k[1]], batched: false, role: 'param' };
  const B: TensorSpec = { shape: [c.o], batched: false, role: 'param' };
  const Y: TensorSpec = { shape: [c.o, oh, ow], batched: true };
  const t = choice.target;
  const run = async (check: Parameters<typeof checkOp>[1]) => (await checkOp(gpu, check)).kernel;
  switch (kind) {
    case 'conv2d': {
      const bias = c.bias ?? false;
      return run({ kind: { kind, attrs, bias }, inputs: bias ? [X, W, B] : [X, W], outputs: [Y], batch: c.n, emit: (op, g) => emitConv2d(op, g, t, choice.gemm) });
    }
    case 'conv2d_grad_input':
      return run({ kind: { kind, attrs }, inputs: [Y, W], outputs: [X], batch: c.n, emit: (op, g) => emitConv2dGradInput(op, g, t, choice.gemm) });
    case 'conv2d_grad_weight':
      return run({ kind: { kind, attrs }, inputs: [Y, X], outputs: [W], batch: c.n, emit: (op, g) => emitConv2dGradWeight(op, g, t, choice.splitK) });
    case 'bias_grad':
      return run({ kind: { kind }, inputs: [Y], outputs: [B], batch: c.n, emit: (op, g) => emitBiasGrad(op, g, t) });
  }
}
