import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textureConvTile, textureWeightGradSplits, textureWeightGradTile } from '../../src/codegen/variants.js';
import { checkGroup, describeGroup, groupsLike, fusedGroups, lowerText, referenceRun } from './fused-harness.js';
import type { ConvCase } from './conv-cases.js';
import { checkConvKernels } from './conv-harness.js';
import { freshSeed, hasSubgroups, openGpu, targetWith, type TestGpu } from './harness.js';

let gpu: TestGpu;
beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(async () => {
  await gpu?.ctx.destroy();
});

/**
 * The texture convs (conv-texture.ts) take 16 or more channels each way: cases with ragged vec4s
 * of channels (18, 17), ragged 16- and 32-row tiles (20, 35), pixel tiles past the end of the
 * batch, strides, dilation, padding beyond the kernel (negative for grad input's flipped conv).
 */
const CASES: readonly ConvCase[] = [
  { name: '3×3 pad 1, 7×5 image, batch 3, 18 → 35 channels, bias', n: 3, c: 18, h: 7, w: 5, o: 35, k: [3, 3], pad: [1, 1, 1, 1], bias: true },
  { name: 'stride 2 × 1, asymmetric padding, 5×3 kernel, dilation 2 × 1, 17 → 16', n: 2, c: 17, h: 11, w: 9, o: 16, k: [5, 3], stride: [2, 1], pad: [2, 3, 0, 2], dilation: [2, 1], bias: true },
  { name: '1×1 with padding beyond the kernel, 16 → 20', n: 2, c: 16, h: 5, w: 6, o: 20, k: [1, 1], pad: [1, 0, 2, 1] },
  { name: '3×3 pad 1, 13×11, batch 5 (3 pixel tiles, the last ragged), 16 → 16', n: 5, c: 16, h: 13, w: 11, o: 16, k: [3, 3], pad: [1, 1, 1, 1] },
];

describe('texture convs', { timeout: 60_000 }, () => {
  const target = () => targetWith(gpu, true);
  it('lavapipe has what they need: subgroups and read-only storage textures', () => {
    expect(hasSubgroups(gpu)).toBe(true);
    expect(gpu.ctx.target.readonlyStorageTextures).toBe(true);
    expect(textureConvTile(target(), 'train', 16, 16, 1)).toBeDefined();
  });
  it('are chosen only for training, with 16+ channels each way, ungrouped, on software adapters with both', () => {
    expect(textureConvTile(target(), 'train', 15, 64, 1)).toBeUndefined();
    expect(textureConvTile(target(), 'train', 64, 8, 1)).toBeUndefined();
    expect(textureConvTile(target(), 'train', 64, 64, 2)).toBeUndefined();
    expect(textureConvTile(targetWith(gpu, false), 'train', 64, 64, 1)).toBeUndefined();
    expect(textureConvTile(targetWith(gpu, true, false), 'train', 64, 64, 1)).toBeUndefined();
    const { readonlyStorageTextures: _, ...without } = target();
    expect(textureConvTile(without, 'train', 64, 64, 1)).toBeUndefined();
    expect(textureConvTile(target(), 'train', 64, 32, 1)?.tm).toBe(32);
    expect(textureConvTile(target(), 'train', 64, 20, 1)?.tm).toBe(16);
    // Inference plans keep the direct conv: it compiles in a fraction of the time.
    expect(textureConvTile(target(), 'infer', 64, 64, 1)).toBeUndefined();
  });
  it.each(CASES)('forward: $name', async (c) => {
    const kernels = await checkConvKernels(gpu, 'conv2d', c, { target: target(), textured: true });
    expect(kernels.map((k) => k.name.split(':')[0])).toEqual(['conv2d_fwd.input_texture', 'conv2d_fwd.weight_texture', 'conv2d_fwd']);
    expect(kernels[2].source).toMatch(/textureLoad\(xt/);
  });
  it('forward with replicate padding wider than the image', async () => {
    await checkConvKernels(gpu, 'conv2d', { name: 'replicate', n: 2, c: 16, h: 4, w: 3, o: 17, k: [3, 3], stride: [2, 1], pad: [3, 2, 2, 3], dilation: [2, 1], replicate: true, bias: true }, { target: target(), textured: true });
  });
  it('forward with its dispatches folded into y (the flat workgroup index)', async () => {
    // 3 pixel tiles × 2 channel tiles = 6 GEMM workgroups, folded to 4 × 2 (the copies to 4 × 3, 4 × 2).
    const c: ConvCase = { ...CASES[3], name: 'folded', o: 40 };
    await checkConvKernels(gpu, 'conv2d', c, { target: target(), textured: true, maxWorkgroupsPerDimension: 4 });
  });
  it('forward emitted for 4-lane subgroups (SwiftShader), run on lavapipe\'s 8: weights broadcast from lanes 0–3', async () => {
    const four = { ...target(), subgroupMinSize: 4 };
    const kernels = await checkConvKernels(gpu, 'conv2d', CASES[0], { target: four, textured: true });
    expect(kernels[2].source).toMatch(/subgroupBroadcast\(av7, 3u\)/);
  });
  it.each(CASES.filter((c) => (c.stride ?? [1, 1]).every((s) => s === 1)))('grad input at stride 1: $name', async (c) => {
    const kernels = await checkConvKernels(gpu, 'conv2d_grad_input', c, { target: target(), textured: true });
    expect(kernels.map((k) => k.name.split(':')[0])).toEqual(['conv2d_grad_input.input_texture', 'conv2d_grad_input.weight_texture', 'conv2d_grad_input']);
  });
  it.each(CASES)('weight gradient: $name', async (c) => {
    const kernels = await checkConvKernels(gpu, 'conv2d_grad_weight', c, { target: target(), textured: true });
    const names = kernels.map((k) => k.name.split(':')[0]);
    expect(names.slice(0, 2)).toEqual(['conv2d_grad_weight.input_texture', 'conv2d_grad_weight.gradient_texture']);
    // These small cases have a few tiles: their rows are split, and the slices summed.
    expect(names.slice(2)).toEqual(['conv2d_grad_weight_partial', 'conv2d_grad_weight_sum']);
    expect(kernels[2].source).toMatch(/textureLoad\(gt/);
  });
  it('weight gradient in one kernel, and in more slices than some have rows', async () => {
    const one = await checkConvKernels(gpu, 'conv2d_grad_weight', CASES[0], { target: target(), textured: true, slices: 1 });
    expect(one.map((k) => k.name.split(':')[0])).toEqual(['conv2d_grad_weight.input_texture', 'conv2d_grad_weight.gradient_texture', 'conv2d_grad_weight']);
    // 3 images × 7 rows = 21 rows in 16 slices of 2: the last slices have none.
    await checkConvKernels(gpu, 'conv2d_grad_weight', CASES[0], { target: target(), textured: true, slices: 16 });
  });
  it('weight gradient with replicate padding, and emitted for 4-lane subgroups', async () => {
    await checkConvKernels(gpu, 'conv2d_grad_weight', { name: 'replicate', n: 2, c: 16, h: 4, w: 3, o: 17, k: [3, 3], stride: [2, 1], pad: [3, 2, 2, 3], dilation: [2, 1], replicate: true }, { target: target(), textured: true });
    const four = { ...target(), subgroupMinSize: 4 };
    const kernels = await checkConvKernels(gpu, 'conv2d_grad_weight', CASES[0], { target: four, textured: true });
    // 32 output channels are 8 dy texels: two rounds of loads over 4 lanes.
    expect(kernels[2].source).toMatch(/subgroupBroadcast\(gv1_0, 3u\)/);
  });
  it('weight gradient with rows in whole trips of 4 positions, and rows shorter than a trip', async () => {
    // 16 output channels take 4 positions a trip: 8 columns are two trips and no positions left.
    const whole = await checkConvKernels(gpu, 'conv2d_grad_weight', { name: 'whole trips', n: 2, c: 16, h: 3, w: 8, o: 16, k: [3, 3], pad: [1, 1, 1, 1], bias: true }, { target: target(), textured: true });
    expect(whole[2].source).toMatch(/ow < \(8u \+ params\.zero\); ow \+= 4u/);
    expect(whole[2].source).not.toMatch(/ow\+\+/);
    // 11 columns: two trips, then three positions one at a time.
    const tail = await checkConvKernels(gpu, 'conv2d_grad_weight', CASES[3], { target: target(), textured: true });
    expect(tail[2].source).toMatch(/var ow = 8u; ow < \(11u \+ params\.zero\); ow\+\+/);
    // 2 columns: one trip of 2.
    const short = await checkConvKernels(gpu, 'conv2d_grad_weight', { name: 'short rows', n: 3, c: 20, h: 4, w: 2, o: 17, k: [3, 3], pad: [1, 1, 1, 1] }, { target: target(), textured: true });
    expect(short[2].source).toMatch(/ow \+= 2u/);
  });
  it('weight gradient: chosen where the forward is, split into slices where its tiles are few', () => {
    expect(textureWeightGradTile(target(), 16, 16, 1)).toEqual({ tm: 16, lanes: textureConvTile(target(), 'train', 16, 16, 1)!.lanes, positions: 4 });
    expect(textureWeightGradTile(target(), 64, 64, 1)?.positions).toBe(2);
    expect(textureWeightGradTile(target(), 3, 16, 1)).toBeUndefined();
    expect(textureWeightGradTile(target(), 64, 64, 4)).toBeUndefined();
    expect(textureWeightGradTile(targetWith(gpu, false), 64, 64, 1)).toBeUndefined();
    expect(textureWeightGradSplits(target(), 5)).toBe(4);
    expect(textureWeightGradSplits(target(), 16)).toBe(1);
  });
});

/**
 * A texture weight gradient as a training plan emits it: the activation's derivative applied in dy's
 * copy (its prologue) and the bias gradient summed beside dw, with ragged vec4s of channels (18, 20)
 * each way.
 */
const FUSED = `model texgrad {
  input image: 16 x 9 x 7
  image -> conv(20, 3, pad: 1) -> relu -> conv(18, 3, pad: 1) -> tanh -> flatten -> dense(4)
}`;

describe('texture weight gradients in fused groups', { timeout: 60_000 }, () => {
  const seed = freshSeed();
  it.each(['relu_grad>conv2d_grad_weight&bias_grad', 'tanh_grad>conv2d_grad_weight&bias_grad'])(`%s: dw and db (seed ${seed})`, async (pattern) => {
    const g = lowerText(FUSED, 'train');
    const values = referenceRun(g, 3, seed);
    for (const gr of groupsLike(g, fusedGroups(g), pattern)) {
      const r = await checkGroup(gpu, g, gr, targetWith(gpu, true), 3, values, { split: true });
      expect(r.kernels.map((k) => k.name.replace(/:.*/, ''))).toEqual(['conv2d_grad_weight.input_texture', 'conv2d_grad_weight.gradient_texture', `${pattern.replace('conv2d_grad_weight', 'conv2d_grad_weight_partial')}`, 'conv2d_grad_weight_sum']);
      expect(r.written).toHaveLength(2);
    }
  });
});

/**
 * A texture grad input with an epilogue, as a GPU-style plan would group it (software plans keep
 * a conv's grad input apart from what follows: variants.ts convGradInputEpilogue): b's first
 * conv's input gradient adding the shortcut's half of a's gradient and applying a's relu
 * derivative as it stores; the last conv's applying b's inner relu derivative. Groups built from
 * the software plan's, texture copies included, against the reference.
 */
const SUMMED = `model texsum {
  input image: 16 x 7 x 6
  a = image -> conv(16, 3, pad: 1) -> relu
  b = a -> conv(17, 3, pad: 1) -> relu -> conv(16, 3, pad: 1)
  (a + b) -> flatten -> dense(4)
}`;

describe('texture grad inputs with epilogues', { timeout: 60_000 }, () => {
  const seed = freshSeed();
  it(`add and relu derivative, or the derivative alone, as dx is stored (seed ${seed})`, async () => {
    const g = lowerText(SUMMED, 'train');
    const values = referenceRun(g, 3, seed);
    const target = targetWith(gpu, true);
    const plan = fusedGroups(g, target);
    const producer = (t: number) => plan.find((gr) => g.ops[gr.anchor].outputs[0] === t);
    // Each elementwise group after a grad input, folded into that grad input's group.
    const merged = plan.flatMap((gr) => {
      const first = g.ops[gr.anchor];
      if (first.kind !== 'add' && first.kind !== 'unary_grad') return [];
      const gi = first.inputs.map(producer).find((p) => p && g.ops[p.anchor].kind === 'conv2d_grad_input');
      return gi ? [{ ...gi, epilogue: [gr.anchor, ...gr.epilogue] }] : [];
    });
    expect(merged.map((gr) => describeGroup(g, gr)).sort()).toEqual(['conv2d_grad_input+add+relu_grad', 'conv2d_grad_input+relu_grad']);
    for (const gr of merged) {
      const r = await checkGroup(gpu, g, gr, target, 3, values, { split: true });
      expect(r.kernels.map((k) => k.name.replace(/:.*/, ''))).toEqual(['conv2d_grad_input.input_texture', 'conv2d_grad_input.weight_texture', describeGroup(g, gr)]);
      expect(r.written).toEqual([g.ops[gr.epilogue.at(-1)!].outputs[0]]);
    }
  });
});
