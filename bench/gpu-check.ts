/**
 * The `gpu` target on a real GPU, in one short run (under 8 minutes on an H100/H200): every
 * check against the float64 reference first, then timings. For each model (LeNet-5, ResNet-20
 * CIFAR, a 3×3 conv 64→64 on 56×56) it compiles a module with `--target gpu`, instantiates it on
 * the device (Dawn; Vulkan on Linux), and compares the logits of its initial weights, the loss of
 * one training step and the weights after it with the reference interpreter and the reference
 * optimizer (relative error < 1e-4). Then it times training steps and inference at the
 * benchmark's batches, and the conv through bench/conv.ts's kernels, as GFLOP/s and as a fraction
 * of the GPU's fp32 peak (`--peak-tflops`, 67 for an H100/H200 SXM without tensor cores).
 *
 * `scripts/gpu-check.sh prepare` bundles it (and bench/conv.ts) with Dawn's Linux binary into
 * out/gpu-check/ for a machine with no network; `scripts/gpu-check.sh run` runs it there. On a
 * machine without a GPU it runs too (lavapipe), which is how it is tested: the numbers are then
 * a dry run's. Writes `--out` (default bench/results/gpu-check.json).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { compileFrontEnd } from '../src/compiler.js';
import { nodeHost } from '../src/host.js';
import { trainingDefaults } from '../src/backend.js';
import type { CheckedModel } from '../src/check/model.js';
import { differentiate } from '../src/ir/autodiff.js';
import { lowerModel } from '../src/ir/lower.js';
import { runGraph } from '../src/ir/reference/run.js';
import { randomArray, relError, seededRandom } from '../src/ir/reference/testing.js';
import { compileModule } from '../src/module/compile-module.js';
import type { CnncModel } from '../src/module/manifest.js';
import { acquireDevice } from '../src/runtime/device.js';
import { instantiateModule } from '../src/runtime/module-runtime.js';
import { initialState, optimizerStep } from '../src/train/optimizer.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const out = opt('out', 'bench/results/gpu-check.json');
process.env.XDG_RUNTIME_DIR ??= '/tmp/xdg';

const SOURCES: Record<string, string> = {
  'lenet5.cnn': readFileSync('examples/lenet5.cnn', 'utf8'),
  'resnet_cifar.cnn': readFileSync('examples/resnet_cifar.cnn', 'utf8'),
  'conv3x3.cnn': 'model conv3x3 {\n  input x: 64 x 56 x 56\n  x -> conv(64, 3, pad: 1)\n  train { loss: mse, optimizer: sgd(lr: 0.01) }\n}\n',
};

function load(name: string): CheckedModel {
  const r = compileFrontEnd(name, SOURCES[name], { ...nodeHost, read: (p) => SOURCES[p] ?? nodeHost.read(p) });
  if (!r.models[0]) throw new Error(`${name}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.models[0];
}

const gpu = await acquireDevice();
const report: Record<string, unknown> = { date: new Date().toISOString(), adapter: gpu.description, software: gpu.target.software ?? null, checks: {}, timings: {} };
const peak = Number(opt('peak-tflops', /H100|H200/i.test(gpu.description) ? '67' : 'NaN')) * 1e12;
console.log(`adapter: ${gpu.description}${Number.isFinite(peak) ? `; fp32 peak ${peak / 1e12} TFLOP/s` : ''}`);
let failures = 0;

async function instantiate(m: CheckedModel, seed: number): Promise<CnncModel> {
  const c = compileModule(m, { target: 'gpu', fusion: true, seed });
  return instantiateModule(c.manifest, c.shaders, { device: gpu.device });
}

/** Logits, one training step's loss and the weights after it, against the float64 reference. */
async function check(name: string, batch: number, seed: number): Promise<void> {
  const m = load(name);
  const model = await instantiate(m, seed);
  const rand = seededRandom(seed + 11);
  const inputShape = m.nodes[m.inputs[0]].shape;
  const per = inputShape.reduce((a, b) => a * b, 1);
  const x = randomArray(rand, batch * per);
  const outputs = m.nodes[m.output].shape.reduce((a, b) => a * b, 1);
  const { loss, optimizer } = trainingDefaults(m);
  const labels = loss === 'mse' ? randomArray(rand, batch * outputs) : Float64Array.from({ length: batch }, () => Math.floor(rand() * outputs));
  const weights = await model.getWeights();
  const errors: Record<string, number> = {};

  const ig = lowerModel(m, { mode: 'infer' });
  const inferValues = new Map<number, Float64Array>([[ig.inputs[0], x]]);
  for (const t of ig.tensors) if (weights[t.name]) inferValues.set(t.id, Float64Array.from(weights[t.name].data));
  errors.logits = relError(await model.forward(Float32Array.from(x), batch), runGraph(ig, inferValues, { batch, step: 0 }).get(ig.outputs[0])!);

  const g = differentiate(lowerModel(m, { mode: 'train', seed }));
  const values = new Map<number, Float64Array>([[g.inputs[0], x], [g.inputs[1], labels]]);
  for (const t of g.tensors) if (weights[t.name]) values.set(t.id, Float64Array.from(weights[t.name].data));
  const all = runGraph(g, values, { batch, step: 0 });
  const wantLoss = all.get(g.outputs[1])![0];
  const gotLoss = (await model.trainStep(Float32Array.from(x), Float32Array.from(labels), batch))!;
  errors.loss = Math.abs(gotLoss - wantLoss) / Math.abs(wantLoss);
  const after = await model.getWeights();
  let worst = 0;
  for (const p of g.params) {
    const param = Float64Array.from(values.get(p)!);
    optimizerStep(optimizer, optimizer.lr as number, param, all.get(g.grads!.get(p)!)!, initialState(optimizer, param.length));
    worst = Math.max(worst, relError(after[g.tensors[p].name].data, param));
  }
  errors.weightsAfterStep = worst;
  const ok = Object.values(errors).every((e) => Number.isFinite(e) && e < 1e-4);
  if (!ok) failures++;
  (report.checks as Record<string, unknown>)[name] = { batch, seed, variant: model.variant, errors, ok };
  console.log(`check ${name} (batch ${batch}, variant ${model.variant}): ${Object.entries(errors).map(([k, v]) => `${k} ${v.toExponential(2)}`).join(', ')} ${ok ? 'ok' : 'FAILED'}`);
  await model.destroy();
}

async function median(runs: number, f: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[times.length >> 1];
}

/** Training steps (loss read back each step, as `cnnc train` does) and inference at `batch`. */
async function time(name: string, batch: number, runs: number): Promise<void> {
  const m = load(name);
  const t0 = performance.now();
  const model = await instantiate(m, 1);
  const per = m.nodes[m.inputs[0]].shape.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: batch * per }, () => Math.random());
  const outputs = m.nodes[m.output].shape.reduce((a, b) => a * b, 1);
  const y = trainingDefaults(m).loss === 'mse' ? Float32Array.from({ length: batch * outputs }, () => Math.random()) : Float32Array.from({ length: batch }, () => Math.floor(Math.random() * outputs));
  await model.trainStep(x, y, batch);
  const firstStep = performance.now() - t0;
  for (let i = 0; i < 3; i++) await model.trainStep(x, y, batch);
  for (let i = 0; i < 3; i++) await model.forward(x, batch);
  const train = await median(runs, () => model.trainStep(x, y, batch));
  const infer = await median(runs, () => model.forward(x, batch));
  const macs = m.nodes.reduce((a, n) => a + n.macs, 0);
  const r = {
    batch, firstStepMs: +firstStep.toFixed(1), trainStepMs: +train.toFixed(3), trainImgPerSec: Math.round((batch * 1000) / train),
    inferMs: +infer.toFixed(3), inferImgPerSec: Math.round((batch * 1000) / infer),
    trainTflops: +((6 * macs * batch) / train / 1e9).toFixed(3), inferTflops: +((2 * macs * batch) / infer / 1e9).toFixed(3),
    ...(Number.isFinite(peak) ? { trainFractionOfPeak: +((6 * macs * batch) / (train / 1000) / peak).toFixed(4), inferFractionOfPeak: +((2 * macs * batch) / (infer / 1000) / peak).toFixed(4) } : {}),
  };
  (report.timings as Record<string, unknown>)[`${name}@${batch}`] = r;
  console.log(`time ${name} batch ${batch}: ${JSON.stringify(r)}`);
  await model.destroy();
}

await check('lenet5.cnn', 3, 1);
await check('resnet_cifar.cnn', 2, 2);
await check('conv3x3.cnn', 2, 3);
const quick = args.includes('--quick');
await time('lenet5.cnn', 64, quick ? 5 : 50);
await time('resnet_cifar.cnn', 128, quick ? 2 : 20);
await time('conv3x3.cnn', 8, quick ? 2 : 20);
report.failures = failures;
writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
console.log(`wrote ${out}; ${failures ? `${failures} check(s) FAILED` : 'every check passed'}`);
await gpu.destroy();
process.exitCode = failures ? 1 : 0;
