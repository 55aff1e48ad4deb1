import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitConv2dGradInput } from '../../src/codegen/conv-grad-input.js';
import { axisPhases } from '../../src/codegen/conv-grad-input-phases.js';
import type { ConvAttrs, Graph, Op, Tensor } from '../../src/ir/graph.js';
import { conv2dGradInput } from '../../src/ir/reference/conv.js';
import { unaryGrad } from '../../src/ir/reference/elementwise.js';
import { relError } from '../../src/ir/reference/testing.js';
import { attrsOf, convShape, type ConvCase } from './conv-cases.js';
import { checkConvOp } from './conv-harness.js';
import { freshSeed, openGpu, randomF32, runKernel, seededRandom, targetWith, type TestGpu } from './harness.js';

/**
 * conv2d_grad_input at stride > 1 as one stride-1 direct conv per stride phase. First the phase
 * arithmetic alone, in one dimension and float64: every (dx index, tap, dy index) triple of the
 * transposed conv must be produced by exactly one phase. Then the kernel against the reference on
 * the adapter, on shapes where phases are uneven, empty, or reached by no tap.
 */

/** 1-D transposed conv from the definition: dx[i] = Σ dy[o]·w[k] over i + pad − k·d = o·s. */
function direct1d(dy: number[], w: number[], size: number, s: number, pad: number, d: number): number[] {
  const dx = new Array<number>(size).fill(0);
  for (let i = 0; i < size; i++) {
    for (let k = 0; k < w.length; k++) {
      const t = i + pad - k * d;
      if (t >= 0 && t % s === 0 && t / s < dy.length) dx[i] += dy[t / s] * w[k];
    }
  }
  return dx;
}

/** The same through axisPhases: per phase a stride-1 conv of dy with the phase's flipped taps. */
function phased1d(dy: number[], w: number[], size: number, s: number, pad: number, d: number): number[] {
  const dx = new Array<number>(size).fill(NaN);
  for (const ph of axisPhases(size, w.length, s, pad, d)) {
    for (let a = 0; a < ph.count; a++) {
      let acc = 0;
      for (let j = 0; j < ph.taps; j++) {
        const o = a - ph.pad + j * ph.dilation;
        if (o >= 0 && o < dy.length) acc += dy[o] * w[ph.firstTap + (ph.taps - 1 - j) * ph.tapStep];
      }
      const i = ph.first + a * s;
      expect(Number.isNaN(dx[i]), `dx[${i}] written by two phases`).toBe(true);
      dx[i] = acc;
    }
  }
  return dx;
}

describe('stride phases in one dimension', () => {
  it('equal the transposed conv for any size, kernel, stride, padding and dilation', () => {
    fc.assert(
      fc.property(
        fc.record({ size: fc.integer({ min: 1, max: 20 }), k: fc.integer({ min: 1, max: 6 }), s: fc.integer({ min: 2, max: 5 }), pad: fc.integer({ min: 0, max: 6 }), d: fc.integer({ min: 1, max: 4 }) }),
        fc.integer(),
        ({ size, k, s, pad, d }, seed) => {
          const out = Math.floor((size + 2 * pad - d * (k - 1) - 1) / s) + 1;
          fc.pre(out >= 1);
          const rand = seededRandom(seed);
          const dy = Array.from({ length: out }, () => rand() - 0.5);
          const w = Array.from({ length: k }, () => rand() - 0.5);
          const want = direct1d(dy, w, size, s, pad, d);
          const got = phased1d(dy, w, size, s, pad, d);
          expect(relError(got, want)).toBeLessThan(1e-12);
        },
      ),
      { numRuns: 500 },
    );
  });
});

let gpu: TestGpu;
beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(async () => {
  await gpu?.ctx.destroy();
});

const CASES: readonly ConvCase[] = [
  { name: '3×3 stride 2, pad 1, odd 9×7 image, batch 3, 11 → 6 channels', n: 3, c: 6, h: 9, w: 7, o: 11, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1] },
  { name: '1×1 stride 2: three of four phases get zeros', n: 2, c: 5, h: 7, w: 6, o: 9, k: [1, 1], stride: [2, 2] },
  { name: 'stride 2 with dilation 2: odd phases reached by no tap', n: 2, c: 4, h: 10, w: 9, o: 5, k: [3, 2], stride: [2, 2], pad: [2, 1, 2, 0], dilation: [2, 2] },
  { name: 'stride 3, 4×4 kernel, pad 2 × 1, dilation 2 × 1, groups 2', n: 2, c: 6, h: 14, w: 11, o: 4, k: [4, 4], stride: [3, 3], pad: [2, 2, 1, 1], dilation: [2, 1], groups: 2 },
  { name: 'stride 3, 2×2 kernel (smaller than the stride), 2×8 image with an empty phase', n: 3, c: 3, h: 2, w: 8, o: 7, k: [2, 2], stride: [3, 3] },
  { name: '3×3 stride 2, pad 1, 20 → 9 channels: two tiles of 16 input channels, the second ragged', n: 2, c: 20, h: 7, w: 10, o: 9, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1] },
];

describe('conv2d_grad_input by stride phases on the adapter', { timeout: 120_000 }, () => {
  for (const subgroups of [true, false]) {
    it.each(CASES)(`$name (${subgroups ? 'subgroups' : 'no subgroups'})`, async (c) => {
      const k = await checkConvOp(gpu, 'conv2d_grad_input', c, { target: targetWith(gpu, true, subgroups) });
      expect(k.source).toMatch(/fn phase0/);
    });
  }

  it('with a fused relu derivative applied as dy is read', async () => {
    const c = CASES[2];
    const { oh, ow } = convShape(c);
    const attrs: ConvAttrs = attrsOf(c);
    const dyShape = [c.o, oh, ow];
    const tensors: Tensor[] = [
      { id: 0, name: 'dy_raw', shape: dyShape, batched: true, role: 'grad' },
      { id: 1, name: 'y', shape: dyShape, batched: true, role: 'activation' },
      { id: 2, name: 'w', shape: [c.o, c.c / (c.groups ?? 1), ...c.k], batched: false, role: 'param' },
      { id: 3, name: 'dx', shape: [c.c, c.h, c.w], batched: true, role: 'grad' },
      { id: 4, name: 'dy', shape: dyShape, batched: true, role: 'grad' },
    ];
    const op: Op = { kind: 'conv2d_grad_input', attrs, id: 0, inputs: [4, 2], outputs: [3], layer: 'conv' };
    const graph: Graph = { tensors, ops: [op], inputs: [0, 1], outputs: [3], params: [2] };
    const kernel = emitConv2dGradInput(op, graph, targetWith(gpu, true), undefined, { fn: 'relu', alpha: 0, raw: 0, saved: 1 });
    const seed = freshSeed();
    const rand = seededRandom(seed);
    const per = c.o * oh * ow;
    const raw = randomF32(rand, c.n * per);
    // Half the outputs of the relu are zero, so the derivative masks half of dy.
    const y = Float32Array.from({ length: c.n * per }, () => Math.max(0, rand() - 0.5));
    const w = randomF32(rand, tensors[2].shape.reduce((a, b) => a * b, 1));
    const [got] = await runKernel(gpu, graph, kernel, c.n, new Map([[0, raw], [1, y], [2, w]]), [3]);
    const dy = unaryGrad(Float64Array.from(raw), Float64Array.from(y), 'relu', 0);
    const dims = { n: c.n, c: c.c, h: c.h, w: c.w, o: c.o, kh: c.k[0], kw: c.k[1], oh, ow };
    const want = conv2dGradInput(dy, Float64Array.from(w), dims, attrs);
    expect(relError(got, want), `seed ${seed}`).toBeLessThan(1e-4);
  });
});
