/**
 * cnnc's side of the benchmark: whole-model training steps and inference through ModelSession on
 * this machine's WebGPU adapter. Median of repeated runs after warm-up (pipeline compilation on
 * lavapipe is slow). `npx tsx bench/models.ts [--quick]`; writes bench/results/cnnc-models.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { compileFrontEnd } from '../src/compiler.js';
import { ModelSession } from '../src/engine/session.js';
import { nodeHost } from '../src/host.js';
import { RESNET18_CIFAR } from './resnet18-cifar.js';

process.env.XDG_RUNTIME_DIR ??= '/tmp/xdg';
const quick = process.argv.includes('--quick');

function model(path: string, text = readFileSync(path, 'utf8')) {
  const r = compileFrontEnd(path, text, nodeHost);
  if (!r.models[0]) throw new Error(`${path}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.models[0];
}

async function timeIt(runs: number, f: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

const results: Record<string, unknown> = {};

async function trainAndInfer(name: string, m: ReturnType<typeof model>, batch: number, shape: number[], classes: number, runs: number) {
  // Compile time counted as a user meets it: from creating the session to the first finished step.
  const started = performance.now();
  const s = await ModelSession.create(m, { batch, train: true, seed: 1 });
  const per = shape.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: batch * per }, () => Math.random());
  const y = Float32Array.from({ length: batch }, () => Math.floor(Math.random() * classes));
  await s.trainStep(x, y, batch);
  const firstStepMs = performance.now() - started;
  // Warm-up compiles the inference pipelines and touches every buffer; lavapipe's first runs are slower still.
  for (let i = 0; i < 2; i++) await s.trainStep(x, y, batch);
  for (let i = 0; i < 3; i++) await s.forward(x, batch);
  const train = await timeIt(runs, () => s.trainStep(x, y, batch));
  const infer = await timeIt(runs, () => s.forward(x, batch));
  results[name] = {
    batch,
    firstStepMs: Math.round(firstStepMs),
    trainStepMs: +train.toFixed(2),
    trainImagesPerSecond: Math.round((batch * 1000) / train),
    inferenceMs: +infer.toFixed(2),
    inferenceImagesPerSecond: Math.round((batch * 1000) / infer),
    dispatches: s.dispatches,
  };
  process.stdout.write(`${name}: first step ${(firstStepMs / 1000).toFixed(1)} s after create, train ${train.toFixed(1)} ms/step (${Math.round((batch * 1000) / train)} img/s), inference ${infer.toFixed(1)} ms (${Math.round((batch * 1000) / infer)} img/s), dispatches ${JSON.stringify(s.dispatches)}\n`);
  await s.destroy();
}


/** ResNet-18 CIFAR's compile time alone: create a session and finish one step (`--resnet` also times it). */
async function firstStep(name: string, m: ReturnType<typeof model>, batch: number, shape: number[]) {
  const started = performance.now();
  const s = await ModelSession.create(m, { batch, train: true, seed: 1 });
  const per = shape.reduce((a, b) => a * b, 1);
  await s.trainStep(Float32Array.from({ length: batch * per }, () => Math.random()), Float32Array.from({ length: batch }, (_, i) => i % 10), batch);
  const ms = performance.now() - started;
  results[name] = { batch, firstStepMs: Math.round(ms) };
  process.stdout.write(`${name}: first step ${(ms / 1000).toFixed(1)} s after create (pipeline compilation included)\n`);
  await s.destroy();
}

await trainAndInfer('lenet5_b64', model('examples/lenet5.cnn'), 64, [1, 28, 28], 10, quick ? 10 : 100);
await trainAndInfer('resnet20_b128', model('examples/resnet_cifar.cnn'), 128, [3, 32, 32], 10, quick ? 2 : 5);
if (!process.argv.includes('--no-resnet')) await trainAndInfer('resnet18_cifar_b32', model('resnet18_cifar.cnn', RESNET18_CIFAR), 32, [3, 32, 32], 10, quick ? 2 : 3);
else await firstStep('resnet18_cifar_b32', model('resnet18_cifar.cnn', RESNET18_CIFAR), 32, [3, 32, 32]);

mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/cnnc-models.json', JSON.stringify({ date: new Date().toISOString(), results }, null, 2) + '\n');
