import { afterAll, describe, expect, it } from 'vitest';
import type { CheckedModel } from '../../src/check/model.js';
import { ModelSession } from '../../src/engine/session.js';
import { numel } from '../../src/ir/graph.js';
import { lowerModel } from '../../src/ir/lower.js';
import { differentiate } from '../../src/ir/autodiff.js';
import { initialState, optimizerStep } from '../../src/train/optimizer.js';
import { runGraph } from '../../src/ir/reference/run.js';
import { randomArray, relError, seededRandom } from '../../src/ir/reference/testing.js';
import { cleanModel } from '../helpers.js';

/**
 * Whole models through the session (lower → fuse → emit → one-submit executor) on the WebGPU
 * adapter, against the float64 reference with the same weights.
 */
const sessions: ModelSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.destroy();
});

async function checkForward(model: CheckedModel, batch: number, seed: number): Promise<void> {
  const s = await ModelSession.create(model, { batch, seed });
  sessions.push(s);
  const g = lowerModel(model, { mode: 'infer' });
  const weights = await s.getWeights();
  const values = new Map<number, Float64Array>();
  for (const t of g.tensors) if (weights[t.name]) values.set(t.id, Float64Array.from(weights[t.name].data));
  const rand = seededRandom(seed);
  const x = randomArray(rand, batch * numel(g.tensors[g.inputs[0]].shape));
  values.set(g.inputs[0], x);
  const want = runGraph(g, values, { batch, step: 0 }).get(g.outputs[0])!;
  const got = await s.forward(Float32Array.from(x), batch);
  expect(relError(got, want)).toBeLessThan(1e-4);
}

describe('model sessions on WebGPU', { timeout: 120_000 }, () => {
  const seed = (Date.now() ^ (Math.random() * 1e9)) >>> 0;
  it(`forward of a conv/dense network with residual add (seed ${seed})`, async () => {
    const m = cleanModel(`model t {
  input x: 3 x 9 x 7
  y = x -> conv(5, 3, pad: 1) -> relu
  z = y -> conv(5, 3, pad: 1) -> tanh
  (y + z) -> conv(4, 3, stride: 2) -> flatten -> dense(6) -> sigmoid -> dense(3)
}`);
    await checkForward(m, 3, seed);
  });

  it(`a LeNet-style training step with momentum SGD matches the reference update (seed ${seed})`, async () => {
    const m = cleanModel(`model t {
  input image: 1 x 12 x 12
  image -> conv(4, 5, pad: 2) -> relu -> maxpool(2) -> conv(6, 3) -> relu -> maxpool(2)
        -> flatten -> dense(12) -> relu -> dense(5)
}`);
    const batch = 3;
    const optimizer = { name: 'sgd' as const, lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0.01 };
    const s = await ModelSession.create(m, { batch, seed, train: true, optimizer });
    sessions.push(s);
    const g = differentiate(lowerModel(m, { mode: 'train', seed }));
    const before = await s.getWeights();
    const rand = seededRandom(seed + 7);
    const x = randomArray(rand, batch * 144);
    const labels = Float64Array.from({ length: batch }, () => Math.floor(rand() * 5));
    const values = new Map<number, Float64Array>();
    for (const t of g.tensors) if (before[t.name]) values.set(t.id, Float64Array.from(before[t.name].data));
    values.set(g.inputs[0], x);
    values.set(g.inputs[1], labels);
    // Two steps on the reference: forward + backward, then torch.optim's update in float64.
    const params = g.params.map((p) => values.get(p)!);
    const states = params.map((p) => initialState(optimizer, p.length));
    const losses: number[] = [];
    for (let step = 0; step < 2; step++) {
      const all = runGraph(g, values, { batch, step });
      losses.push(all.get(g.outputs[1])![0]);
      g.params.forEach((p, i) => optimizerStep(optimizer, 0.1, params[i], all.get(g.grads!.get(p)!)!, states[i]));
    }
    const got = [await s.trainStep(Float32Array.from(x), Float32Array.from(labels), batch), await s.trainStep(Float32Array.from(x), Float32Array.from(labels), batch)];
    expect(Math.abs(got[0]! - losses[0]) / losses[0]).toBeLessThan(1e-4);
    expect(Math.abs(got[1]! - losses[1]) / losses[1]).toBeLessThan(1e-4);
    const after = await s.getWeights();
    g.params.forEach((p, i) => expect(relError(after[g.tensors[p].name].data, params[i]), g.tensors[p].name).toBeLessThan(1e-4));
    // The inference side sees the trained weights (`params` were updated in place in `values`).
    const logits = await s.forward(Float32Array.from(x), batch);
    const ig = lowerModel(m, { mode: 'infer' });
    const inferValues = new Map<number, Float64Array>();
    for (const t of ig.tensors) {
      const same = g.tensors.find((u) => u.name === t.name && (u.role === 'param' || u.role === 'input'));
      if (same) inferValues.set(t.id, values.get(same.id)!);
    }
    const want = runGraph(ig, inferValues, { batch, step: 0 }).get(ig.outputs[0])!;
    expect(relError(logits, want)).toBeLessThan(1e-4);
  });

  it(`forward of an inception module and an AlexNet-like network (seed ${seed})`, async () => {
    const inception = cleanModel(`block inception(c1, c3r, c3, c5r, c5, pp)(x) {
  a = x -> conv(c1, 1) -> relu
  b = x -> conv(c3r, 1) -> relu -> conv(c3, 3, pad: 1) -> relu
  c = x -> conv(c5r, 1) -> relu -> conv(c5, 5, pad: 2) -> relu
  d = x -> maxpool(3, stride: 1, pad: 1) -> conv(pp, 1) -> relu
  return concat(a, b, c, d)
}
model inc {
  input image: 3 x 11 x 11
  image -> conv(6, 3, stride: 2, round: floor) -> inception(2, 3, 4, 2, 3, 2) -> maxpool(3, stride: 2, round: ceil)
        -> adaptiveavgpool(2) -> flatten -> dropout(0.3) -> dense(4)
}`);
    await checkForward(inception, 3, seed + 1);
    const alex = cleanModel(`model alex {
  input image: 3 x 39 x 39
  image -> conv(8, 11, stride: 4, pad: 2) -> relu -> lrn(size: 5, alpha: 0.1, beta: 0.75, k: 2) -> maxpool(3, stride: 2)
        -> conv(12, 5, pad: 2) -> relu -> maxpool(3, stride: 2, round: floor)
        -> conv(10, 3, pad: 1) -> relu -> adaptiveavgpool(2) -> flatten
        -> dropout(0.5) -> dense(16) -> relu -> dense(7)
}`);
    await checkForward(alex, 2, seed + 2);
  });

  it(`a residual network with batchnorm trains like the reference, running statistics included (seed ${seed})`, async () => {
    const m = cleanModel(`block basic(c, stride = 1)(x) {
  y = x -> conv(c, 3, stride: stride, pad: 1, bias: false) -> batchnorm -> relu
        -> conv(c, 3, pad: 1, bias: false) -> batchnorm
  skip = if stride != 1 or x.channels != c then x -> conv(c, 1, stride: stride, bias: false) -> batchnorm else x
  return relu(y + skip)
}
model res {
  input image: 3 x 9 x 7
  image -> conv(4, 3, pad: 1) -> basic(4) -> basic(6, stride: 2) -> globalavgpool -> flatten -> dense(3)
}`);
    const batch = 4;
    const optimizer = { name: 'sgd' as const, lr: 0.05, momentum: 0, nesterov: false, weight_decay: 0 };
    const s = await ModelSession.create(m, { batch, seed, train: true, optimizer });
    sessions.push(s);
    const g = differentiate(lowerModel(m, { mode: 'train', seed }));
    const before = await s.getWeights();
    const rand = seededRandom(seed + 11);
    const x = randomArray(rand, batch * 3 * 9 * 7);
    const labels = Float64Array.from({ length: batch }, () => Math.floor(rand() * 3));
    const values = new Map<number, Float64Array>();
    for (const t of g.tensors) if (before[t.name]) values.set(t.id, Float64Array.from(before[t.name].data));
    values.set(g.inputs[0], x);
    values.set(g.inputs[1], labels);
    const all = runGraph(g, values, { batch, step: 0 });
    const loss = await s.trainStep(Float32Array.from(x), Float32Array.from(labels), batch);
    expect(Math.abs(loss! - all.get(g.outputs[1])![0]) / all.get(g.outputs[1])![0]).toBeLessThan(1e-4);
    const after = await s.getWeights();
    for (const p of g.params) {
      const want = values.get(p)!.map((v, i) => v - 0.05 * all.get(g.grads!.get(p)!)![i]);
      expect(relError(after[g.tensors[p].name].data, want), g.tensors[p].name).toBeLessThan(1e-4);
    }
    // runGraph returns the updated running statistics under the state tensors' ids.
    for (const t of g.tensors.filter((u) => u.role === 'state' && u.name.endsWith('running_var'))) {
      expect(relError(after[t.name].data, all.get(t.id)!), t.name).toBeLessThan(1e-4);
    }
    // Inference reads the trained weights where training wrote them (one arena, no copy), and
    // refolds batchnorm from the new running statistics.
    expect(s.infer.exec.arena(0).buffer).toBe(s.train!.exec.arena(0).buffer);
    const gi = lowerModel(m, { mode: 'infer' });
    const trained = new Map<number, Float64Array>();
    for (const t of gi.tensors) if (after[t.name]) trained.set(t.id, Float64Array.from(after[t.name].data));
    trained.set(gi.inputs[0], x);
    const logits = runGraph(gi, trained, { batch, step: 0 }).get(gi.outputs[0])!;
    expect(relError(await s.forward(Float32Array.from(x), batch), logits)).toBeLessThan(1e-4);
    // A second step changes the weights again; inference follows without a copy.
    await s.trainStep(Float32Array.from(x), Float32Array.from(labels), batch);
    const again = await s.getWeights();
    for (const t of gi.tensors) if (again[t.name]) trained.set(t.id, Float64Array.from(again[t.name].data));
    expect(relError(await s.forward(Float32Array.from(x), batch), runGraph(gi, trained, { batch, step: 0 }).get(gi.outputs[0])!)).toBeLessThan(1e-4);
  });

  it('reports dispatches per forward pass', async () => {
    const m = cleanModel('model t {\n input x: 2 x 5 x 5\n x -> conv(4, 3) -> relu -> flatten -> dense(2)\n}');
    const s = await ModelSession.create(m, { batch: 2 });
    sessions.push(s);
    // conv + relu, (flatten aliases), dense.
    expect(s.dispatches.forward).toBeGreaterThanOrEqual(2);
  });
});
