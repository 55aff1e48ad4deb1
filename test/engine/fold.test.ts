import { afterAll, describe, expect, it } from 'vitest';
import { TARGETS } from '../../src/codegen/targets.js';
import { planDevice } from '../../src/engine/plan.js';
import { ModelSession, type WeightTensor } from '../../src/engine/session.js';
import { numel, type Graph } from '../../src/ir/graph.js';
import { lowerModel } from '../../src/ir/lower.js';
import { runGraph } from '../../src/ir/reference/run.js';
import { randomArray, relError, seededRandom } from '../../src/ir/reference/testing.js';
import { cleanModel } from '../helpers.js';

/**
 * Batchnorm folded into the conv before it (inference) on the WebGPU adapter: the fold kernel runs
 * on the device from the weights there, so new weights (setWeights, a training step) are folded
 * again. Checked against the float64 reference of the unfolded graph.
 */
const sessions: ModelSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.destroy();
});

const model = cleanModel(`block unit(c, g)(x) {
  y = x -> conv(c, 3, pad: 1, groups: g) -> batchnorm -> relu -> conv(c, 3, stride: 2, pad: 1, bias: false) -> batchnorm
  skip = x -> conv(c, 1, stride: 2, bias: false) -> batchnorm
  return relu(y + skip)
}
model t {
  input x: 6 x 11 x 9
  x -> unit(10, 2) -> unit(7, 1) -> flatten -> dense(9) -> batchnorm -> relu -> dense(5)
}`);

/** Random weights and running statistics (variances in [0.2, 2]) by PyTorch name. */
function randomWeights(g: Graph, rand: () => number): Record<string, WeightTensor> {
  const out: Record<string, WeightTensor> = {};
  for (const t of g.tensors) {
    if (t.role !== 'param' && t.role !== 'state') continue;
    const [lo, hi] = t.name.endsWith('running_var') ? [0.2, 2] : [-1, 1];
    out[t.name] = { shape: t.shape, data: Float32Array.from(randomArray(rand, numel(t.shape), lo, hi)) };
  }
  return out;
}

function reference(g: Graph, weights: Record<string, WeightTensor>, x: Float64Array, batch: number): Float64Array {
  const values = new Map<number, Float64Array>();
  for (const t of g.tensors) if (weights[t.name]) values.set(t.id, Float64Array.from(weights[t.name].data));
  values.set(g.inputs[0], x);
  return runGraph(g, values, { batch, step: 0 }).get(g.outputs[0])!;
}

describe('batchnorm folded into convs on WebGPU', { timeout: 120_000 }, () => {
  const seed = (Date.now() ^ (Math.random() * 1e9)) >>> 0;

  it(`forward with random running statistics equals the reference, also after new weights (seed ${seed})`, async () => {
    const batch = 3;
    const s = await ModelSession.create(model, { batch, seed });
    sessions.push(s);
    const g = lowerModel(model, { mode: 'infer' });
    const rand = seededRandom(seed);
    const x = randomArray(rand, batch * numel(g.tensors[g.inputs[0]].shape));
    for (let round = 0; round < 2; round++) {
      const weights = randomWeights(g, rand);
      await s.setWeights(weights);
      const got = await s.forward(Float32Array.from(x), batch);
      expect(relError(got, reference(g, weights, x, batch)), `round ${round}`).toBeLessThan(1e-4);
    }
    // What users read back are the weights they wrote, not folded ones.
    const names = Object.keys(await s.getWeights()).sort();
    expect(names).toEqual(g.tensors.filter((t) => t.role === 'param' || t.role === 'state').map((t) => t.name).sort());
  });

  it(`the inference side folds the weights a training step produced (seed ${seed})`, async () => {
    const batch = 4;
    const s = await ModelSession.create(model, { batch, seed, train: true, optimizer: { name: 'sgd', lr: 0.05, momentum: 0, nesterov: false, weight_decay: 0 } });
    sessions.push(s);
    const g = lowerModel(model, { mode: 'infer' });
    const rand = seededRandom(seed + 1);
    await s.setWeights(randomWeights(g, rand));
    const x = randomArray(rand, batch * numel(g.tensors[g.inputs[0]].shape));
    const labels = Float32Array.from({ length: batch }, () => Math.floor(rand() * 5));
    await s.trainStep(Float32Array.from(x), labels, batch);
    const trained = await s.getWeights();
    const got = await s.forward(Float32Array.from(x), batch);
    expect(relError(got, reference(g, trained, x, batch))).toBeLessThan(1e-4);
  });

  it('fewer kernels per forward: conv + batchnorm + relu becomes one conv kernel after a fold', () => {
    const g = lowerModel(model, { mode: 'infer' });
    const count = (fold: boolean) => {
      const plan = planDevice(g, TARGETS.software, { fusion: true, fold, align: 256 });
      const folds = plan.kernels.filter((k) => k.name.startsWith('batchnorm_fold')).length;
      // The folds come first and are the plan's prepare kernels (weights in, folded weights out).
      expect(plan.prepare).toBe(folds);
      return { forward: plan.kernels.length - folds, folds };
    };
    // 7 batchnorms: 6 after convs, 1 after the dense.
    expect(count(true)).toEqual({ forward: 8, folds: 7 });
    expect(count(false).folds).toBe(0);
    expect(count(false).forward).toBeGreaterThan(count(true).forward + 6);
  });
});
