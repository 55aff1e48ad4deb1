import { afterAll, beforeAll } from 'vitest';
import type { CheckedModel } from '../../src/check/model.js';
import { ModelProbe } from '../../src/engine/probe.js';
import { acquireDevice, type GpuContext } from '../../src/runtime/device.js';
import type { WeightTensor } from '../../src/engine/session.js';
import { numel } from '../../src/ir/graph.js';
import { lowerModel } from '../../src/ir/lower.js';
import { cleanModel } from '../helpers.js';

/**
 * Hand-built models for the viz tests, each with weights set so the right picture is known in
 * advance. `weights` fills every tensor the model has: the ones given, zeros for the rest (and
 * ones for running variances).
 */

export function weightsFor(model: CheckedModel, given: Readonly<Record<string, readonly number[]>>): Record<string, WeightTensor> {
  const g = lowerModel(model, { mode: 'infer' });
  const out: Record<string, WeightTensor> = {};
  for (const t of g.tensors) {
    if (t.role !== 'param' && t.role !== 'state') continue;
    const n = numel(t.shape);
    const v = given[t.name];
    if (v && v.length !== n) throw new Error(`test weights: ${t.name} needs ${n} values, got ${v.length}`);
    out[t.name] = { shape: t.shape, data: v ? Float32Array.from(v) : new Float32Array(n).fill(t.name.endsWith('running_var') ? 1 : 0) };
  }
  for (const name of Object.keys(given)) if (!out[name]) throw new Error(`test weights: the model has no ${name}`);
  return out;
}

/** An 8-bit-exact grey image (values k/255) from a list of lit pixels on black. */
export function litImage(h: number, w: number, lit: readonly (readonly [number, number])[], value = 1): Float32Array {
  const x = new Float32Array(h * w);
  for (const [r, c] of lit) x[r * w + c] = value;
  return x;
}

/**
 * Looks at one pixel: conv(1, 3, pad 1) with a kernel of 2 in the centre and 0.5 around it, relu,
 * then class 0's score is the conv output at (4, 1) and class 1's at (0, 5). So ∂score₀/∂x is 2
 * at (4, 1), 0.5 at its 8 neighbours and 0 elsewhere, while the input is positive.
 */
export const onePixel = (() => {
  const source = 'model eye {\n  input x: 1 x 6 x 6\n  x -> conv(1, 3, pad: 1) -> relu -> flatten -> dense(2)\n}\n';
  const model = cleanModel(source);
  const dense = new Array<number>(72).fill(0);
  dense[4 * 6 + 1] = 1;
  dense[36 + 0 * 6 + 5] = 1;
  const weights = weightsFor(model, { 'conv1.weight': [0.5, 0.5, 0.5, 0.5, 2, 0.5, 0.5, 0.5, 0.5], 'fc1.weight': dense });
  return { source, model, weights, pixel: [4, 1] as const };
})();

/**
 * Translation invariant by construction: three 2×2 detectors (blob, vertical edge, horizontal
 * edge), relu, global max pooling. Its features (the input of the dense layer) do not change when
 * a shape moves inside the image, while its pixels change completely.
 */
export const shiftInvariant = (() => {
  const source = 'model inv {\n  input x: 1 x 8 x 8\n  x -> conv(3, 2, bias: false) -> relu -> globalmaxpool -> flatten -> dense(2)\n}\n';
  const model = cleanModel(source);
  const weights = weightsFor(model, {
    'conv1.weight': [1, 1, 1, 1, /* vertical edge */ 1, -1, 1, -1, /* horizontal edge */ 1, 1, -1, -1],
    'fc1.weight': [1, 0, 0, 0, 1, 1],
  });
  const ell: [number, number][] = [[1, 1], [2, 1], [3, 1], [3, 2], [3, 3]];
  const images = [
    litImage(8, 8, ell), // 0: an L
    litImage(8, 8, [[1, 1], [1, 2], [2, 1], [2, 2]]), // 1: a square over the L's corner
    litImage(8, 8, [[1, 1], [1, 2], [1, 3]]), // 2: a bar along the L's top
    litImage(8, 8, ell.map(([r, c]) => [r + 3, c + 3] as [number, number])), // 3: the L moved by (3, 3)
    litImage(8, 8, [[1, 1], [2, 1], [3, 1]]), // 4: the L's upright alone
  ];
  return { source, model, weights, images };
})();

/**
 * One WebGPU device for a test file (opened before its tests, closed after) and `withProbe`, which
 * runs `use` on a ModelProbe of `model` with `weights` on that device.
 */
export function probesOnOneDevice(): <T>(model: CheckedModel, weights: Record<string, WeightTensor>, use: (p: ModelProbe) => Promise<T>) => Promise<T> {
  let gpu: GpuContext;
  beforeAll(async () => {
    gpu = await acquireDevice();
  });
  afterAll(async () => {
    await gpu?.destroy();
  });
  return async (model, weights, use) => {
    const probe = await ModelProbe.create(model, { device: gpu.device });
    try {
      probe.setWeights(weights);
      return await use(probe);
    } finally {
      await probe.destroy();
    }
  };
}
