import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckedModel } from '../../src/check/model.js';
import type { CompiledModule } from '../../src/module/compile-module.js';
import { ModelSession, type WeightTensor } from '../../src/engine/session.js';
import { numel } from '../../src/ir/graph.js';
import { lowerModel } from '../../src/ir/lower.js';
import { runGraph } from '../../src/ir/reference/run.js';
import { randomArray, relError, seededRandom } from '../../src/ir/reference/testing.js';
import { loadModel, removeDir, runInChild, tempModuleDir, writeModule, type ChildResult, type WeightsJson } from './helpers.js';

/**
 * `cnnc compile -o` output run in a plain Node process, against ModelSession (the same model,
 * seed and optimizer in-process) and the float64 reference. LeNet-5 trains with its training
 * section's Adam; the residual fixture (batchnorm, projection shortcut, folded batchnorm at
 * inference) with the default SGD.
 */
const CASES = [
  { file: 'examples/lenet5.cnn', batch: 4, steps: 3 },
  { file: 'test/fixtures/residual.cnn', batch: 3, steps: 3 },
  // silu, gelu (both forms) and hardswish: their gradients read the activation's input.
  { file: 'test/fixtures/activations.cnn', batch: 3, steps: 3 },
];

interface SessionRun {
  readonly initial: Record<string, WeightTensor>;
  readonly logits: Float32Array;
  readonly losses: number[];
  readonly trained: Record<string, WeightTensor>;
  readonly trainedLogits: Float32Array;
  readonly dispatches: { forward: number; trainStep?: number };
}

async function runSession(model: CheckedModel, seed: number, batch: number, x: Float32Array, target: Float32Array, steps: number): Promise<SessionRun> {
  const s = await ModelSession.create(model, { batch, seed, train: true });
  try {
    const initial = await s.getWeights();
    const logits = await s.forward(x, batch);
    const losses: number[] = [];
    for (let i = 0; i < steps; i++) losses.push((await s.trainStep(x, target, batch))!);
    return { initial, logits, losses, trained: await s.getWeights(), trainedLogits: await s.forward(x, batch), dispatches: s.dispatches };
  } finally {
    await s.destroy();
  }
}

const names = (w: object) => Object.keys(w).sort();

describe.each(CASES)('$file compiled to a module, run by plain node', { timeout: 60_000 }, ({ file, batch, steps }) => {
  const seed = (Date.now() ^ (Math.random() * 1e9)) >>> 0;
  let dir: string | undefined;
  let model: CheckedModel;
  let compiled: CompiledModule;
  let x: Float32Array;
  let child: ChildResult;
  let session: SessionRun;

  beforeAll(async () => {
    dir = tempModuleDir();
    model = loadModel(file);
    compiled = writeModule(model, file, dir, seed);
    const rand = seededRandom(seed);
    const classes = model.nodes[model.output].shape[0];
    x = Float32Array.from(randomArray(rand, batch * numel(model.nodes[0].shape)));
    const target = Float32Array.from({ length: batch }, () => Math.floor(rand() * classes));
    [child, session] = await Promise.all([
      runInChild(dir, model.name, { seed, batch, x: Array.from(x), target: Array.from(target), steps }),
      runSession(model, seed, batch, x, target, steps),
    ]);
  }, 300_000);
  afterAll(() => removeDir(dir));

  it(`draws exactly ModelSession's initial weights for seed ${seed}`, () => {
    expect(names(child.initial)).toEqual(names(session.initial));
    for (const [name, w] of Object.entries(session.initial)) {
      expect(child.initial[name].shape, name).toEqual([...w.shape]);
      expect(child.initial[name].data, name).toEqual(Array.from(w.data));
    }
  });

  it('forward matches ModelSession and the float64 reference', () => {
    expect(child.inputShape).toEqual(model.nodes[0].shape);
    expect(child.modelInputShape).toEqual(model.nodes[0].shape);
    expect(relError(child.logits, session.logits)).toBeLessThan(1e-4);
    const g = lowerModel(model, { mode: 'infer' });
    const values = new Map<number, Float64Array>();
    for (const t of g.tensors) if (child.initial[t.name]) values.set(t.id, Float64Array.from(child.initial[t.name].data));
    values.set(g.inputs[0], Float64Array.from(x));
    const want = runGraph(g, values, { batch, step: 0 }).get(g.outputs[0])!;
    expect(child.logits).toHaveLength(want.length);
    expect(relError(child.logits, want)).toBeLessThan(1e-4);
  });

  it("training steps give ModelSession's losses and weights (running statistics included)", () => {
    expect(child.losses).toHaveLength(steps);
    child.losses.forEach((loss, i) => {
      expect(Number.isFinite(loss), `loss ${i}`).toBe(true);
      expect(Math.abs(loss - session.losses[i]) / Math.abs(session.losses[i]), `loss ${i}`).toBeLessThan(1e-4);
    });
    expect(child.step).toBe(steps);
    expect(child.lastLoss).toBe(child.losses[steps - 1]);
    expect(names(child.trained)).toEqual(names(session.trained));
    for (const [name, w] of Object.entries(session.trained)) expect(relError(child.trained[name].data, w.data), name).toBeLessThan(1e-4);
    // The steps moved every parameter (so the comparison above compares updates, not initial values).
    for (const name of names(session.trained).filter((n) => !n.includes('running'))) {
      expect(relError(child.trained[name].data, child.initial[name].data), name).toBeGreaterThan(1e-7);
    }
  });

  it('forward after training sees the trained weights (and recomputes folded batchnorm)', () => {
    expect(relError(child.trainedLogits, session.trainedLogits)).toBeLessThan(1e-4);
    expect(relError(child.trainedLogits, child.logits)).toBeGreaterThan(1e-6);
  });

  it('setWeights(getWeights()) round-trips, and forward uses what was set', () => {
    expect(child.restored).toEqual(child.initial);
    expect(relError(child.restoredLogits, child.logits)).toBeLessThan(1e-6);
  });

  it('reports the same dispatch counts as ModelSession', () => {
    expect(child.dispatches).toEqual(compiled.manifest.dispatches);
    expect(child.dispatches).toEqual(session.dispatches);
  });

  it('rejects bad calls with messages that name the problem, and changes nothing', () => {
    const [first] = Object.keys(child.initial);
    const w = child.initial[first];
    const e = child.errors;
    expect(e.wrongShape).toBe(`setWeights: weight '${first}' has shape ${w.shape.join('×')} in ${model.name}, got ${w.data.length}`);
    expect(e.wrongLength).toBe(`setWeights: weight '${first}' (${w.shape.join('×')}) needs ${w.data.length} values, got 3`);
    expect(e.unknownName).toMatch(new RegExp(`^setWeights: ${model.name} has no weight 'no_such_layer\\.weight' \\(its weights: ${first.replace('.', '\\.')}, `));
    const per = numel(model.nodes[0].shape);
    expect(e.shortInput).toBe(`forward: x has ${batch * per - 1} values, but a batch of ${batch} inputs of ${model.nodes[0].shape.join('×')} (NCHW float32) needs ${batch * per}`);
    expect(e.hugeBatch).toMatch(/^forward: batch 1000000000 is too large for this device: .* bytes per sample\) would need \d+ bytes, over its storage buffer limit of \d+; the largest batch that fits is \d+$/);
    expect(e.badLabel).toMatch(/^trainStep: target\[0\] = 1000000 is not a class index in 0…\d+$/);
    expect(child.afterErrors).toEqual(child.initial satisfies WeightsJson);
    expect(child.afterDestroy).toBe(`model ${model.name} was destroyed`);
  });
});
