import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONV_CASES } from './conv-cases.js';
import { checkConvOp } from './conv-harness.js';
import { hasSubgroups, openGpu, targetWith, type TestGpu } from './harness.js';

let gpu: TestGpu;
beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(async () => {
  await gpu?.ctx.destroy();
});

// Cold lavapipe compiles take up to a few seconds per kernel.
describe('conv2d forward', { timeout: 30_000 }, () => {
  it('lavapipe offers subgroups (the software kernels below use them)', () => {
    expect(hasSubgroups(gpu)).toBe(true);
  });
  it.each(CONV_CASES)('software, subgroups (direct, row reuse): $name', async (c) => {
    const k = await checkConvOp(gpu, 'conv2d', c, { target: targetWith(gpu, true) });
    expect(k.source).toMatch(/subgroupBroadcast/);
  });
  it.each(CONV_CASES)('software without subgroups: $name', async (c) => {
    const k = await checkConvOp(gpu, 'conv2d', c, { target: targetWith(gpu, true, false) });
    expect(k.source).not.toMatch(/subgroup/);
  });
  it.each([CONV_CASES[0], CONV_CASES[3], CONV_CASES[5]])('software, odd 3×4 tile: $name', async (c) => {
    await checkConvOp(gpu, 'conv2d', c, { target: targetWith(gpu, true), gemm: { kind: 'register', tm: 3, tn: 4, wg: 64 } });
  });
  // Small workgroup-memory tiles: lavapipe takes seconds to compile the 256-invocation default.
  it.each(CONV_CASES)('workgroup memory (16×16 tiles): $name', async (c) => {
    await checkConvOp(gpu, 'conv2d', c, { target: targetWith(gpu, false), gemm: { kind: 'shared', bm: 16, bn: 16, bk: 8, tm: 2, tn: 2 } });
  });
  it('workgroup memory with the default GPU tile', async () => {
    await checkConvOp(gpu, 'conv2d', CONV_CASES[0], { target: targetWith(gpu, false) });
  });
});
