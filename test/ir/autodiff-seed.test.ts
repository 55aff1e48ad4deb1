import { describe, expect, it } from 'vitest';
import { differentiate } from '../../src/ir/autodiff.js';
import { numel, type Graph } from '../../src/ir/graph.js';
import { initialValues } from '../../src/ir/init.js';
import { lowerModel } from '../../src/ir/lower.js';
import { runGraph } from '../../src/ir/reference/run.js';
import { randomArray, relError, seededRandom } from '../../src/ir/reference/testing.js';
import { verifyGraph } from '../../src/ir/verify.js';
import { cleanModel } from '../helpers.js';

/**
 * Backward passes started from a seeded tensor of an INFERENCE graph (saliency, activation
 * maximisation): the input gradient of Σ seed·tensor against central finite differences on the
 * float64 reference, through inference batchnorm and dropout.
 */
const H = 1e-6;

const model = cleanModel(`model t {
  input x: 2 x 8 x 6
  x -> conv(4, 3, pad: 1) -> batchnorm -> relu -> maxpool(2) -> dropout(0.5)
    -> conv(3, 2) -> batchnorm -> tanh -> flatten -> dense(5) -> elu -> dense(3)
}`);

function setup(seed: number) {
  const g = lowerModel(model, { mode: 'infer' });
  const rand = seededRandom(seed);
  const values = initialValues(g, rand);
  // Running statistics that are not the identity, so the batchnorm rule is really exercised.
  for (const op of g.ops) {
    if (op.kind !== 'batchnorm') continue;
    const [, gamma, , mean, variance] = op.inputs;
    const c = numel(g.tensors[gamma].shape);
    values.set(gamma, randomArray(rand, c, -2, 2));
    values.set(mean, randomArray(rand, c));
    values.set(variance, randomArray(rand, c, 0.2, 2));
  }
  const batch = 2;
  values.set(g.inputs[0], randomArray(rand, batch * numel(g.tensors[g.inputs[0]].shape)));
  return { g, values, rand, batch };
}

function objective(g: Graph, values: Map<number, Float64Array>, target: number, seedValues: Float64Array, batch: number): number {
  const v = runGraph(g, values, { batch, step: 0 }).get(target)!;
  return v.reduce((s, x, i) => s + x * seedValues[i], 0);
}

function checkSeeded(seed: number, pick: (g: Graph) => number): void {
  const { g, values, rand, batch } = setup(seed);
  const target = pick(g);
  const d = differentiate(g, { seed: target });
  expect(verifyGraph(d)).toEqual([]);
  expect(d.ops.some((o) => o.kind === 'batchnorm_infer_grad')).toBe(true);
  // Only the input is differentiated: no parameter gradients, no weight-gradient ops.
  expect([...d.grads!.keys()]).toEqual([g.inputs[0]]);
  expect(d.ops.filter((o) => o.kind.endsWith('_grad_weight') || o.kind === 'bias_grad')).toEqual([]);
  const seedTensor = d.inputs[d.inputs.length - 1];
  expect(d.tensors[seedTensor].name).toBe(`seed:${g.tensors[target].name}`);
  const seedValues = randomArray(rand, batch * numel(g.tensors[target].shape));
  const all = runGraph(d, new Map([...values, [seedTensor, seedValues]]), { batch, step: 0 });
  const grad = all.get(d.grads!.get(g.inputs[0])!)!;
  const x = values.get(g.inputs[0])!;
  const fd = x.map((v, i) => {
    const at = (u: number) => {
      const xs = x.slice();
      xs[i] = u;
      return objective(g, new Map([...values, [g.inputs[0], xs]]), target, seedValues, batch);
    };
    return (at(v + H) - at(v - H)) / (2 * H);
  });
  expect(grad.every(Number.isFinite)).toBe(true);
  expect(relError(grad, fd), `seed ${seed}`).toBeLessThan(1e-5);
}

describe('autodiff from a seeded tensor', () => {
  const seed = (Date.now() ^ (Math.random() * 1e9)) >>> 0;
  it(`the logits' gradient with respect to the input (seed ${seed})`, () => checkSeeded(seed, (g) => g.outputs[0]));
  it(`an inner activation's gradient: the first batchnorm's output (seed ${seed})`, () =>
    checkSeeded(seed + 1, (g) => g.ops.find((o) => o.kind === 'batchnorm')!.outputs[0]));

  it('needs a loss or a seed, and refuses gamma/beta gradients of inference batchnorm instead of dropping them', () => {
    const m = cleanModel('model t {\n  input x: 2 x 3 x 3\n  x -> conv(2, 1) -> batchnorm -> flatten -> dense(2)\n}');
    expect(() => differentiate(lowerModel(m, { mode: 'infer' }), { wrtInputs: true })).toThrow(/no loss/);
    // A training graph whose batchnorm runs in inference mode: gamma and beta are parameters.
    const train = lowerModel(m, { mode: 'train' });
    const frozen = { ...train, ops: train.ops.map((o) => (o.kind === 'batchnorm' ? { ...o, training: false, outputs: o.outputs.slice(0, 1) } : o)) };
    expect(() => differentiate(frozen)).toThrow(/bn1 in inference mode has no gamma\/beta gradient/);
  });
});
