import { emitBiasGrad } from '../../src/codegen/bias-grad.js';
import { emitConv2d, emitConv2dTextured } from '../../src/codegen/conv-forward.js';
import { emitConv2dGradInput, emitConv2dGradInputTextured } from '../../src/codegen/conv-grad-input.js';
import { emitConv2dGradWeight, emitConv2dGradWeightSplit } from '../../src/codegen/conv-grad-weight.js';
import { emitConv2dGradWeightTextured } from '../../src/codegen/conv-grad-weight-texture.js';
import type { Kernel, ScratchSpace, TargetInfo } from '../../src/codegen/kernel.js';
import type { Graph, Op } from '../../src/ir/graph.js';
import type { LanesTile } from '../../src/codegen/conv-grad-weight-lanes.js';
import type { GemmVariant, SplitKTile } from '../../src/codegen/variants.js';
import { attrsOf, convShape, type ConvCase } from './conv-cases.js';
import { checkOp, type TestGpu, type TensorSpec } from './harness.js';

export type ConvOpKind = 'conv2d' | 'conv2d_grad_input' | 'conv2d_grad_weight' | 'bias_grad';

export interface KernelChoice {
  readonly target: TargetInfo;
  readonly gemm?: GemmVariant;
  readonly splitK?: SplitKTile | LanesTile;
  /** The weight gradient as partial sums over this many slices of the batch (of its rows, textured), then their sum. */
  readonly slices?: number;
  /** The texture GEMM's copies and GEMM (conv-texture.ts); the test fails where the target does not choose it. */
  readonly textured?: boolean;
  /** Fold dispatches above this many workgroups per dimension. */
  readonly maxWorkgroupsPerDimension?: number;
}

/** Checks one conv-family kernel (or a split weight gradient's two) for a case against the reference interpreter. */
export async function checkConvOp(gpu: TestGpu, kind: ConvOpKind, c: ConvCase, choice: KernelChoice): Promise<Kernel> {
  return (await checkConvKernels(gpu, kind, c, choice))[0];
}

export async function checkConvKernels(gpu: TestGpu, kind: ConvOpKind, c: ConvCase, choice: KernelChoice): Promise<Kernel[]> {
  const { oh, ow } = convShape(c);
  const groups = c.groups ?? 1;
  const attrs = attrsOf(c);
  const X: TensorSpec = { shape: [c.c, c.h, c.w], batched: true };
  const W: TensorSpec = { shape: [c.o, c.c / groups, c.k[0], c.k[1]], batched: false, role: 'param' };
  const B: TensorSpec = { shape: [c.o], batched: false, role: 'param' };
  const Y: TensorSpec = { shape: [c.o, oh, ow], batched: true };
  const t = choice.target;
  const fold = choice.maxWorkgroupsPerDimension !== undefined ? { maxWorkgroupsPerDimension: choice.maxWorkgroupsPerDimension } : {};
  const run = async (check: Parameters<typeof checkOp>[1]) => (await checkOp(gpu, { ...check, ...fold })).kernels;
  const textured = (kernels: Kernel[] | undefined) => {
    if (!kernels) throw new Error(`test: the target does not choose the texture conv for ${c.name}`);
    return kernels;
  };
  switch (kind) {
    case 'conv2d': {
      const bias = c.bias ?? false;
      const emit = choice.textured ? (op: Op, g: Graph, s: ScratchSpace) => textured(emitConv2dTextured(op, g, t, 'train', s)) : (op: Op, g: Graph) => emitConv2d(op, g, t, choice.gemm);
      return run({ kind: { kind, attrs, bias }, inputs: bias ? [X, W, B] : [X, W], outputs: [Y], batch: c.n, emit });
    }
    case 'conv2d_grad_input': {
      const emit = choice.textured ? (op: Op, g: Graph, s: ScratchSpace) => textured(emitConv2dGradInputTextured(op, g, t, s)) : (op: Op, g: Graph) => emitConv2dGradInput(op, g, t, choice.gemm);
      return run({ kind: { kind, attrs }, inputs: [Y, W], outputs: [X], batch: c.n, emit });
    }
    case 'conv2d_grad_weight': {
      const { slices } = choice;
      if (choice.textured) {
        const emit = (op: Op, g: Graph, scratch: ScratchSpace) => textured(emitConv2dGradWeightTextured(op, g, t, scratch, {}, slices !== undefined ? { splits: slices } : {}));
        return run({ kind: { kind, attrs }, inputs: [Y, X], outputs: [W], batch: c.n, emit });
      }
      if (slices === undefined) return run({ kind: { kind, attrs }, inputs: [Y, X], outputs: [W], batch: c.n, emit: (op, g) => emitConv2dGradWeight(op, g, t, choice.splitK) });
      const tile = choice.splitK && 'lanes' in choice.splitK ? choice.splitK : undefined;
      const emit = (op: Op, g: Graph, scratch: ScratchSpace) => {
        const kernels = emitConv2dGradWeightSplit(op, g, t, scratch, {}, { splits: slices, tile });
        if (!kernels) throw new Error(`test: no split weight gradient for ${c.name}`);
        return kernels;
      };
      return run({ kind: { kind, attrs }, inputs: [Y, X], outputs: [W], batch: c.n, emit });
    }
    case 'bias_grad':
      return run({ kind: { kind }, inputs: [Y], outputs: [B], batch: c.n, emit: (op, g) => emitBiasGrad(op, g, t) });
  }
}
