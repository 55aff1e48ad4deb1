// Runs a compiled cnnc module in a plain Node process (no vitest, no cnnc import): proves the
// module stands alone. Usage: node run-module.mjs MODULE.js JOB.json RESULT.json
// JOB: { seed, batch, x, target, steps }. RESULT: what the module returned, as JSON.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [modulePath, jobPath, resultPath] = process.argv.slice(2);
const job = JSON.parse(readFileSync(jobPath, 'utf8'));
const { createModel, inputShape } = await import(pathToFileURL(modulePath).href);

const plain = (weights) => Object.fromEntries(Object.entries(weights).map(([k, w]) => [k, { shape: w.shape, data: Array.from(w.data) }]));
/** The message of what `fn` throws, or null when it does not throw. */
async function errorOf(fn) {
  try {
    await fn();
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : `not an Error: ${String(e)}`;
  }
}

const model = await createModel({ seed: job.seed });
const x = Float32Array.from(job.x);
const result = { inputShape, modelInputShape: model.inputShape, dispatches: model.dispatches };
result.initial = plain(await model.getWeights());
result.logits = Array.from(await model.forward(x, job.batch));
result.losses = [];
for (let i = 0; i < job.steps; i++) result.losses.push(await model.trainStep(x, job.target, job.batch));
result.step = model.step;
result.lastLoss = await model.readLoss();
result.trained = plain(await model.getWeights());
result.trainedLogits = Array.from(await model.forward(x, job.batch));

// setWeights writes what it is given (and forward uses it): back to the initial weights.
const initial = Object.fromEntries(Object.entries(result.initial).map(([k, w]) => [k, { shape: w.shape, data: Float32Array.from(w.data) }]));
await model.setWeights(initial);
result.restored = plain(await model.getWeights());
result.restoredLogits = Array.from(await model.forward(x, job.batch));

const [first] = Object.keys(initial);
const bad = { shape: [initial[first].data.length], data: initial[first].data }; // flat: the shape differs, the values fit
result.errors = {
  wrongShape: await errorOf(() => model.setWeights({ [first]: bad })),
  wrongLength: await errorOf(() => model.setWeights({ [first]: { shape: initial[first].shape, data: new Float32Array(3) } })),
  unknownName: await errorOf(() => model.setWeights({ 'no_such_layer.weight': initial[first] })),
  shortInput: await errorOf(() => model.forward(new Float32Array(x.length - 1), job.batch)),
  hugeBatch: await errorOf(() => model.forward(new Float32Array(0), 1e9)),
  badLabel: await errorOf(() => model.trainStep(x, job.target.map(() => 1e6), job.batch)),
};
// A rejected write leaves the weights as they were.
result.afterErrors = plain(await model.getWeights());
await model.destroy();
result.afterDestroy = await errorOf(() => model.forward(x, job.batch));
writeFileSync(resultPath, JSON.stringify(result));
