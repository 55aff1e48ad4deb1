import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitAdaptivePool, emitAdaptivePoolGrad } from '../../src/codegen/adaptive-pool.js';
import { emitMaxout, emitMaxoutGrad } from '../../src/codegen/maxout.js';
import { emitPool2d, emitPool2dGrad } from '../../src/codegen/pool.js';
import { dispatchSize } from '../../src/codegen/wgsl.js';
import type { Pad4, Pair, PoolAttrs, PoolMode } from '../../src/ir/graph.js';
import { checkOp, elements, openGpu, randomF32, targetWith, type TensorSpec, type TestGpu } from './harness.js';
import { batched, poolOut, refForward, tiedF32 } from './ops-helpers.js';

let gpu: TestGpu;
beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(async () => {
  await gpu?.ctx.destroy();
});

const BATCH = 3;
const soft = () => targetWith(gpu, true);

interface PoolCase {
  readonly name: string;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly pad: Pad4;
  readonly ceil: boolean;
}

const CASES: readonly PoolCase[] = [
  { name: '3×3 s2 pad 1, 5×11×13', c: 5, h: 11, w: 13, kernel: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1], ceil: false },
  { name: '2×2 s2, ceil mode on odd sizes', c: 3, h: 9, w: 7, kernel: [2, 2], stride: [2, 2], pad: [0, 0, 0, 0], ceil: true },
  { name: '3×2 s3×1, asymmetric pad, ceil', c: 7, h: 10, w: 6, kernel: [3, 2], stride: [3, 1], pad: [1, 0, 0, 1], ceil: true },
  { name: '2×2 s2 on 8×6 (windows tile the input)', c: 3, h: 8, w: 6, kernel: [2, 2], stride: [2, 2], pad: [0, 0, 0, 0], ceil: false },
  { name: '3×2 s3×2 on 9×4 (windows tile the input)', c: 2, h: 9, w: 4, kernel: [3, 2], stride: [3, 2], pad: [0, 0, 0, 0], ceil: false },
  { name: '3×3 s1 pad 1 (overlapping windows)', c: 2, h: 6, w: 5, kernel: [3, 3], stride: [1, 1], pad: [1, 1, 1, 1], ceil: false },
  { name: '3×3 s2 on 11×9, no pad (whole, overlapping windows: unrolled taps)', c: 3, h: 11, w: 9, kernel: [3, 3], stride: [2, 2], pad: [0, 0, 0, 0], ceil: false },
  { name: '4×4 s4 on 8×12 (whole windows of 16 taps: loops)', c: 2, h: 8, w: 12, kernel: [4, 4], stride: [4, 4], pad: [0, 0, 0, 0], ceil: false },
];

function shapes(c: PoolCase): { x: TensorSpec; y: TensorSpec } {
  const oh = poolOut(c.h, c.kernel[0], c.stride[0], c.pad[0], c.pad[1], c.ceil);
  const ow = poolOut(c.w, c.kernel[1], c.stride[1], c.pad[2], c.pad[3], c.ceil);
  return { x: batched(c.c, c.h, c.w), y: batched(c.c, oh, ow) };
}

const attrs = (c: PoolCase, mode: PoolMode, countPad: boolean): PoolAttrs => ({ mode, kernel: c.kernel, stride: c.stride, pad: c.pad, countPad });

const MODES: readonly [PoolMode, boolean][] = [['max', false], ['min', false], ['avg', true], ['avg', false], ['l2', false]];

describe('pool2d', { timeout: 30_000 }, () => {
  for (const c of CASES) {
    it.each(MODES)(`${c.name}: %s (countPad %s)`, async (mode, countPad) => {
      const { x, y } = shapes(c);
      await checkOp(gpu, { kind: { kind: 'pool2d', attrs: attrs(c, mode, countPad) }, inputs: [x], outputs: [y], batch: BATCH, emit: (op, g) => emitPool2d(op, g, soft()) });
    });
  }
});

describe('pool2d_grad (gather)', { timeout: 30_000 }, () => {
  for (const c of CASES) {
    it.each(MODES)(`${c.name}: %s (countPad %s)`, async (mode, countPad) => {
      const { x, y } = shapes(c);
      const kind = { kind: 'pool2d_grad', attrs: attrs(c, mode, countPad) } as const;
      await checkOp(gpu, {
        kind, inputs: [y, x, y], outputs: [x], batch: BATCH, emit: (op, g) => emitPool2dGrad(op, g, soft()),
        values: (rand) => {
          // Few distinct values, so max/min windows hold ties and the first position must win.
          const xv = mode === 'max' || mode === 'min' ? tiedF32(rand, elements(x, BATCH)) : randomF32(rand, elements(x, BATCH));
          const [yv] = refForward({ kind: 'pool2d', attrs: attrs(c, mode, countPad) }, [x], [y], [xv], BATCH);
          return [randomF32(rand, elements(y, BATCH)), xv, yv];
        },
      });
    });
  }
  it('l2 with all-zero windows sends nothing back', async () => {
    const c = CASES[0];
    const { x, y } = shapes(c);
    await checkOp(gpu, {
      kind: { kind: 'pool2d_grad', attrs: attrs(c, 'l2', false) }, inputs: [y, x, y], outputs: [x], batch: BATCH, emit: (op, g) => emitPool2dGrad(op, g, soft()),
      values: (rand) => {
        const xv = randomF32(rand, elements(x, BATCH)).map((v, i) => (i % 11 < 7 ? 0 : v));
        const [yv] = refForward({ kind: 'pool2d', attrs: attrs(c, 'l2', false) }, [x], [y], [xv], BATCH);
        return [randomF32(rand, elements(y, BATCH)), xv, yv];
      },
    });
  });
});

/** [x, y] sizes: overlapping windows (7 → 3, 5 → 4), tiling ones (6 → 2, 9 → 3), global, upsampling. */
const ADAPTIVE: readonly [string, TensorSpec, TensorSpec][] = [
  ['7×5 → 3×4 (overlapping)', batched(5, 7, 5), batched(5, 3, 4)],
  ['6×9 → 2×3 (tiling)', batched(3, 6, 9), batched(3, 2, 3)],
  ['7×7 → 1×1 (global)', batched(6, 7, 7), batched(6, 1, 1)],
  ['2×3 → 3×5 (more outputs than rows)', batched(2, 2, 3), batched(2, 3, 5)],
];

describe('adaptive_pool', { timeout: 30_000 }, () => {
  for (const [name, x, y] of ADAPTIVE) {
    it.each(['avg', 'max'] as const)(`${name}: %s`, async (mode) => {
      await checkOp(gpu, { kind: { kind: 'adaptive_pool', mode }, inputs: [x], outputs: [y], batch: BATCH, emit: (op, g) => emitAdaptivePool(op, g, soft()) });
    });
    it.each(['avg', 'max'] as const)(`${name}: %s grad`, async (mode) => {
      await checkOp(gpu, {
        kind: { kind: 'adaptive_pool_grad', mode }, inputs: [y, x], outputs: [x], batch: BATCH, emit: (op, g) => emitAdaptivePoolGrad(op, g, soft()),
        values: (rand) => [randomF32(rand, elements(y, BATCH)), tiedF32(rand, elements(x, BATCH))],
      });
    });
  }
});

describe('maxout', { timeout: 30_000 }, () => {
  const cases: readonly [string, TensorSpec, TensorSpec, number][] = [
    ['C×H×W, k = 3', batched(9, 5, 3), batched(3, 5, 3), 3],
    ['flat, k = 2', batched(14), batched(7), 2],
  ];
  it.each(cases)('%s', async (_name, x, y, k) => {
    await checkOp(gpu, { kind: { kind: 'maxout', k }, inputs: [x], outputs: [y], batch: BATCH, emit: (op, g) => emitMaxout(op, g, soft()) });
  });
  it.each(cases)('%s grad (ties to the first)', async (_name, x, y, k) => {
    await checkOp(gpu, {
      kind: { kind: 'maxout_grad', k }, inputs: [y, x], outputs: [x], batch: BATCH, emit: (op, g) => emitMaxoutGrad(op, g, soft()),
      values: (rand) => [randomF32(rand, elements(y, BATCH)), tiedF32(rand, elements(x, BATCH), 3)],
    });
  });
});

describe('pooling on the GPU variant and with folded dispatches', { timeout: 30_000 }, () => {
  it('pool2d_grad max with a per-dimension limit of 3 workgroups (one excess workgroup)', async () => {
    const c = CASES[1];
    const { x, y } = shapes(c);
    const tiny = { ...targetWith(gpu, false), maxComputeWorkgroupsPerDimension: 3 };
    const { kernel } = await checkOp(gpu, {
      kind: { kind: 'pool2d_grad', attrs: attrs(c, 'max', false) }, inputs: [y, x, y], outputs: [x], batch: BATCH, maxWorkgroupsPerDimension: 3, emit: (op, g) => emitPool2dGrad(op, g, tiny),
      values: (rand) => {
        const xv = tiedF32(rand, elements(x, BATCH));
        return [randomF32(rand, elements(y, BATCH)), xv, ...refForward({ kind: 'pool2d', attrs: attrs(c, 'max', false) }, [x], [y], [xv], BATCH)];
      },
    });
    const [dx, dy] = dispatchSize(kernel, BATCH, 3);
    expect(dx).toBeLessThanOrEqual(3);
    expect(dy).toBeGreaterThan(1);
  });
});
