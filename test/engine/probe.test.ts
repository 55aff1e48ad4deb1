import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelProbe } from '../../src/engine/probe.js';
import type { WeightTensor } from '../../src/engine/session.js';
import { WeightsError } from '../../src/engine/weights.js';
import { differentiate } from '../../src/ir/autodiff.js';
import { numel, type Graph } from '../../src/ir/graph.js';
import { lowerModel } from '../../src/ir/lower.js';
import { runGraph } from '../../src/ir/reference/run.js';
import { randomArray, relError, seededRandom } from '../../src/ir/reference/testing.js';
import { cleanModel } from '../helpers.js';

/**
 * The probe (every layer's output, input gradients of an objective) on the WebGPU adapter against
 * the float64 reference with the same weights: random weights and running statistics that are
 * not the identity, a residual add, inference batchnorm and dropout.
 */
const model = cleanModel(`model t {
  input x: 2 x 10 x 8
  a = x -> conv(4, 3, pad: 1) -> batchnorm -> relu
  b = a -> conv(4, 3, pad: 1) -> tanh
  (a + b) -> maxpool(2) -> dropout(0.3) -> flatten -> dense(7) -> relu -> dense(3)
}`);

const seed = (Date.now() ^ (Math.random() * 1e9)) >>> 0;
const rand = seededRandom(seed);
const graph = lowerModel(model, { mode: 'infer' });
const weights: Record<string, WeightTensor> = {};
for (const t of graph.tensors) {
  if (t.role !== 'param' && t.role !== 'state') continue;
  const lo = t.name.endsWith('running_var') ? 0.3 : -0.8;
  weights[t.name] = { shape: t.shape, data: Float32Array.from(randomArray(rand, numel(t.shape), lo, 1)) };
}
const BATCH = 2;
const x = Float32Array.from(randomArray(rand, BATCH * 2 * 10 * 8, 0, 1));

function reference(g: Graph, extra: ReadonlyMap<number, Float64Array> = new Map()): Map<number, Float64Array> {
  const values = new Map<number, Float64Array>(extra);
  for (const t of g.tensors) if (weights[t.name]) values.set(t.id, Float64Array.from(weights[t.name].data));
  values.set(g.inputs[0], Float64Array.from(x));
  return runGraph(g, values, { batch: BATCH, step: 0 });
}

let probe: ModelProbe;
beforeAll(async () => {
  probe = await ModelProbe.create(model, { batch: BATCH });
  probe.setWeights(weights);
});
afterAll(async () => {
  await probe?.destroy();
});

describe(`model probe on WebGPU (seed ${seed})`, { timeout: 60_000 }, () => {
  it('every layer output, in graph order, matches the reference', async () => {
    const acts = await probe.activations(x, BATCH);
    expect(acts.map((a) => a.layer)).toEqual(graph.ops.map((o) => o.layer));
    expect(acts.find((a) => a.op === 'dropout')?.kind).toBe('reshape');
    const ref = reference(graph);
    for (const a of acts) {
      expect(a.data.length, a.layer).toBe(BATCH * numel(a.shape));
      expect(relError(a.data, ref.get(a.tensor)!), a.layer).toBeLessThan(1e-4);
    }
  });

  it('the gradient of a class score with respect to the input matches the reference', async () => {
    const target = graph.outputs[0];
    const { value, grad } = await probe.gradient(x, BATCH, { kind: 'output', index: 2 });
    const d = differentiate(graph, { seed: target });
    const seedValues = new Float64Array(BATCH * 3).map((_, i) => (i % 3 === 2 ? 1 : 0));
    const ref = reference(d, new Map([[d.inputs[1], seedValues]]));
    expect(relError(grad, ref.get(d.grads!.get(d.inputs[0])!)!)).toBeLessThan(1e-4);
    const logits = ref.get(target)!;
    expect(relError(value, [logits[2], logits[5]])).toBeLessThan(1e-4);
  });

  it("the gradient of one channel's mean of an inner layer matches the reference", async () => {
    const bn = graph.ops.find((o) => o.kind === 'batchnorm')!;
    const target = bn.outputs[0];
    const { value, grad } = await probe.gradient(x, BATCH, { kind: 'channel', tensor: target, channel: 1 });
    const d = differentiate(graph, { seed: target });
    const per = 4 * 10 * 8;
    const seedValues = new Float64Array(BATCH * per).map((_, i) => (Math.floor((i % per) / 80) === 1 ? 1 / 80 : 0));
    const ref = reference(d, new Map([[d.inputs[1], seedValues]]));
    expect(relError(grad, ref.get(d.grads!.get(d.inputs[0])!)!)).toBeLessThan(1e-4);
    const act = ref.get(target)!;
    const mean = (b: number) => act.slice(b * per + 80, b * per + 160).reduce((s, v) => s + v, 0) / 80;
    expect(relError(value, [mean(0), mean(1)])).toBeLessThan(1e-4);
  });

  it('refuses weights that are missing or of the wrong shape, naming them', () => {
    const { ['conv1.bias']: _dropped, ...rest } = weights;
    const dense = graph.tensors[graph.ops.find((o) => o.kind === 'dense')!.inputs[1]].name;
    const wrong = { ...rest, [dense]: { shape: [7, 5], data: new Float32Array(35) } };
    try {
      probe.setWeights(wrong);
      expect.unreachable('setWeights accepted broken weights');
    } catch (e) {
      expect(e).toBeInstanceOf(WeightsError);
      expect((e as WeightsError).problems).toEqual(['conv1.bias (4) is missing', `${dense} is 7×5 but the model needs 7×80`]);
    }
  });
});
