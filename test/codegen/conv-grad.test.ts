import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONV_CASES } from './conv-cases.js';
import { checkConvKernels, checkConvOp } from './conv-harness.js';
import { openGpu, targetWith, type TestGpu } from './harness.js';

let gpu: TestGpu;
beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(async () => {
  await gpu?.ctx.destroy();
});

describe('conv2d_grad_input', { timeout: 30_000 }, () => {
  it.each(CONV_CASES)('software, subgroups: $name', async (c) => {
    await checkConvOp(gpu, 'conv2d_grad_input', c, { target: targetWith(gpu, true) });
  });
  it.each(CONV_CASES)('software without subgroups: $name', async (c) => {
    await checkConvOp(gpu, 'conv2d_grad_input', c, { target: targetWith(gpu, true, false) });
  });
  it.each(CONV_CASES.slice(0, 5))('workgroup memory (16×16 tiles): $name', async (c) => {
    await checkConvOp(gpu, 'conv2d_grad_input', c, { target: targetWith(gpu, false), gemm: { kind: 'shared', bm: 16, bn: 16, bk: 8, tm: 2, tn: 2 } });
  });
  it('workgroup memory with the default GPU tile', async () => {
    await checkConvOp(gpu, 'conv2d_grad_input', CONV_CASES[2], { target: targetWith(gpu, false) });
  });
});

describe('conv2d_grad_weight', { timeout: 30_000 }, () => {
  it.each(CONV_CASES)('software, one subgroup per tile: $name', async (c) => {
    const k = await checkConvOp(gpu, 'conv2d_grad_weight', c, { target: targetWith(gpu, true) });
    expect(k.source).toMatch(/subgroupBroadcast/);
  });
  it.each(CONV_CASES)('split K in a workgroup (no subgroups): $name', async (c) => {
    await checkConvOp(gpu, 'conv2d_grad_weight', c, { target: targetWith(gpu, true, false) });
  });
  it.each(CONV_CASES.slice(2, 4))('split K, GPU workgroup size, 2×4 tile: $name', async (c) => {
    await checkConvOp(gpu, 'conv2d_grad_weight', c, { target: targetWith(gpu, false), splitK: { tm: 2, tn: 4, wg: 128 } });
  });
  it('one subgroup per tile, the default up to 32 rows: 37 output channels are two row tiles, 32 and a ragged 5', async () => {
    const c = CONV_CASES.find((x) => x.o === 37)!;
    const k = await checkConvOp(gpu, 'conv2d_grad_weight', c, { target: targetWith(gpu, true) });
    expect(k.source).toMatch(/const TM = 32u;/);
  });
  // Partial sums over slices of the batch's rows (3: rows not a multiple; 64: more slices than
  // rows, so some slices are empty and must write zeros), summed by a second kernel.
  it.each(CONV_CASES)('split over 3 slices of the batch, then summed: $name', async (c) => {
    const [partial, sum] = await checkConvKernels(gpu, 'conv2d_grad_weight', c, { target: targetWith(gpu, true), slices: 3 });
    expect(partial.source).toMatch(/const SPLITS = 3u;/);
    expect(sum.name).toMatch(/^conv2d_grad_weight_sum:/);
  });
  it('split into more slices than the batch has rows', async () => {
    const c = CONV_CASES[0];
    const kernels = await checkConvKernels(gpu, 'conv2d_grad_weight', c, { target: targetWith(gpu, true), slices: 64, splitK: { tm: 3, tn: 8, lanes: 8 } });
    expect(kernels).toHaveLength(2);
  });
  it('one subgroup per tile, 3 × 8 tile', async () => {
    await checkConvOp(gpu, 'conv2d_grad_weight', CONV_CASES[0], { target: targetWith(gpu, true), splitK: { tm: 3, tn: 8, lanes: 8 } });
  });
});

describe('bias_grad', { timeout: 30_000 }, () => {
  it.each(CONV_CASES.slice(0, 2))('per channel over batch and positions: $name', async (c) => {
    await checkConvOp(gpu, 'bias_grad', c, { target: targetWith(gpu, true) });
  });
  it('flat features (dense bias): one invocation per feature', async () => {
    await checkConvOp(gpu, 'bias_grad', { name: 'flat', n: 5, c: 3, h: 1, w: 1, o: 37, k: [1, 1] }, { target: targetWith(gpu, true) });
  });
});
