import { afterAll, describe, expect, it } from 'vitest';
import type { CheckedModel } from '../../src/check/model.js';
import { ModelSession } from '../../src/engine/session.js';
import { numel } from '../../src/ir/graph.js';
import { lowerModel } from '../../src/ir/lower.js';
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

  it('reports dispatches per forward pass', async () => {
    const m = cleanModel('model t {\n input x: 2 x 5 x 5\n x -> conv(4, 3) -> relu -> flatten -> dense(2)\n}');
    const s = await ModelSession.create(m, { batch: 2 });
    sessions.push(s);
    // conv + relu, (flatten aliases), dense.
    expect(s.dispatches.forward).toBeGreaterThanOrEqual(2);
  });
});
