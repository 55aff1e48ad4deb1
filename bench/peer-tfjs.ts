/**
 * The peer side of cnnc's benchmark: TensorFlow.js's WebGPU backend on the same Dawn adapter
 * (lavapipe on machines without a GPU), through the `webgpu` npm package's Node bindings.
 *
 *   npx tsx bench/peer-tfjs.ts [--quick] [--only lenet,conv,resnet] [--out FILE]
 *
 * Workloads (each after warm-up, median of repeated runs):
 *  1. LeNet-5 (1×28×28, batch 64): a training step (forward, softmax cross-entropy, backward, SGD
 *     update via optimizer.minimize) synchronised by reading the loss back every step; and
 *     inference (predict, then `await data()` of the 64×10 logits).
 *  2. A 3×3 conv, 64 → 64 channels, 56×56, batch 8, pad 1: forward, and forward + backward
 *     (gradients w.r.t. input and filter via tf.grads). Synchronised without a readback (the
 *     backend's queue is submitted and `onSubmittedWorkDone` awaited), like cnnc's bench/conv.ts;
 *     the forward with a full readback is reported too.
 *  3. ResNet-18 for CIFAR (3×32×32, batch 32): a training step (batchnorm in training mode, SGD).
 *     On lavapipe a step takes 1–3 minutes (the cold first one more), so it runs one warm-up step
 *     and only 2 timed steps (1 with --quick; --resnet-steps N to change). `--only lenet,conv`
 *     leaves it out.
 *
 * FLOPs are 2·MACs of the convolutions and dense layers (batchnorm, relu, pooling, softmax not
 * counted); forward + backward and training steps count the forward MACs ×3.
 * Writes bench/results/peer-tfjs.json. Not a test.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { create, globals } from 'webgpu';
import type * as TF from '@tensorflow/tfjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const optArg = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = new Set((optArg('only') ?? 'lenet,conv,resnet').split(','));
const outPath = optArg('out') ?? 'bench/results/peer-tfjs.json';
const t0All = performance.now();
const loadAtStart = loadavg().map((l) => Math.round(l * 100) / 100);

// --- WebGPU shim: must be in place before the backend module loads. -------------------------
process.env.XDG_RUNTIME_DIR ??= '/tmp/xdg';
Object.assign(globalThis, globals);
const gpu = create([]);
let adapterInfo: GPUAdapterInfo | undefined;
// Wrap requestAdapter so we record the very adapter TF.js picks.
const gpuShim = {
  requestAdapter: async (opts?: GPURequestAdapterOptions) => {
    const adapter = await gpu.requestAdapter(opts);
    adapterInfo = adapter?.info;
    return adapter;
  },
  getPreferredCanvasFormat: () => gpu.getPreferredCanvasFormat(),
  get wgslLanguageFeatures() {
    return gpu.wgslLanguageFeatures;
  },
};
Object.defineProperty(globalThis, 'navigator', { value: { gpu: gpuShim }, configurable: true, writable: true });

const tf: typeof TF = await import('@tensorflow/tfjs');
await import('@tensorflow/tfjs-backend-webgpu');
tf.env().set('WEBGPU_CPU_FORWARD', false);
if (!(await tf.setBackend('webgpu'))) throw new Error('TF.js could not initialise its webgpu backend');
await tf.ready();

/** The parts of TF.js's WebGPUBackend used for a readback-free synchronisation. */
interface WebGPUBackendLike {
  device: GPUDevice;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
}
const backend = tf.backend() as unknown as WebGPUBackendLike;

/** Wait until everything TF.js has recorded so far has run on the GPU, without reading back. */
async function gpuSync(): Promise<void> {
  // The same sequence TF.js's own readback (getBufferData) uses before it submits.
  backend.ensureCommandEncoderReady();
  backend.endComputePassEncoder();
  backend.submitQueue();
  await backend.device.queue.onSubmittedWorkDone();
}

const adapter = {
  description: adapterInfo?.description || adapterInfo?.device || adapterInfo?.architecture || 'unknown',
  vendor: adapterInfo?.vendor ?? '',
  architecture: adapterInfo?.architecture ?? '',
  device: adapterInfo?.device ?? '',
};
console.log(`TF.js ${tf.version.tfjs}, backend ${tf.getBackend()}, adapter: ${adapter.description} (vendor ${adapter.vendor || '?'}, architecture ${adapter.architecture || '?'})${quick ? ', --quick' : ''}`);

// --- Measuring -------------------------------------------------------------------------------
interface Timing {
  medianMs: number;
  minMs: number;
  /** The first warm-up call (cold: includes pipeline compilation). */
  firstMs: number;
  warmup: number;
  runs: number;
  timesMs: number[];
}

async function measure(fn: () => Promise<void>, warmup: number, runs: number): Promise<Timing> {
  let firstMs = 0;
  for (let i = 0; i < warmup; i++) {
    const t = performance.now();
    await fn();
    if (i === 0) firstMs = performance.now() - t;
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const medianMs = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { medianMs: r(medianMs), minMs: r(sorted[0]), firstMs: r(firstMs), warmup, runs, timesMs: times.map(r) };
}

/** Multiply-accumulates per image of a layers model's Conv2D and Dense layers. */
function macsPerImage(model: TF.LayersModel): number {
  let macs = 0;
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls !== 'Conv2D' && cls !== 'Dense') continue;
    const kernel = layer.getWeights()[0].shape; // Conv2D: [kh, kw, cin, cout]; Dense: [in, out]
    const out = layer.outputShape as (number | null)[];
    const spatial = cls === 'Conv2D' ? (out[1] as number) * (out[2] as number) : 1;
    macs += spatial * kernel.reduce((a, b) => a * b, 1);
  }
  return macs;
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const gflops = (flops: number, ms: number) => round(flops / ms / 1e6, 3);
const results: Record<string, Record<string, unknown>> = {};

function report(name: string, t: Timing, extra: Record<string, unknown>, line: string): void {
  results[name] = { ...extra, ...t };
  console.log(`${name.padEnd(22)} median ${t.medianMs.toFixed(1).padStart(8)} ms  ${line}  (min ${t.minMs.toFixed(1)} ms, ${t.runs} runs after ${t.warmup} warm-up; first call ${(t.firstMs / 1000).toFixed(1)} s)`);
}

function randomBatch(n: number, shape: number[], classes: number): { x: TF.Tensor4D; y: TF.Tensor2D } {
  return tf.tidy(() => ({
    x: tf.randomNormal([n, ...shape] as [number, number, number, number]) as TF.Tensor4D,
    y: tf.oneHot(tf.randomUniform([n], 0, classes, 'int32') as TF.Tensor1D, classes).toFloat() as TF.Tensor2D,
  }));
}

/** One training step (forward, softmax cross-entropy, backward, SGD), synchronised by the loss. */
function trainStep(model: TF.LayersModel, opt: TF.Optimizer, x: TF.Tensor, y: TF.Tensor): () => Promise<void> {
  const vars = model.trainableWeights.map((w) => w.read() as TF.Variable);
  return async () => {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as TF.Tensor) as TF.Scalar, true, vars);
    if (!loss) throw new Error('minimize returned no loss');
    const v = (await loss.data())[0];
    loss.dispose();
    if (!Number.isFinite(v)) throw new Error(`loss is ${v}`);
    lastLoss = v;
  };
}
let lastLoss = NaN;

// --- 1. LeNet-5 ------------------------------------------------------------------------------
if (only.has('lenet')) {
  const B = 64;
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 5, padding: 'valid', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 120, activation: 'relu' }),
      tf.layers.dense({ units: 84, activation: 'relu' }),
      tf.layers.dense({ units: 10 }),
    ],
  });
  const macs = macsPerImage(model);
  const { x, y } = randomBatch(B, [28, 28, 1], 10);
  const opt = tf.train.sgd(0.01);
  const before = tf.memory().numTensors;

  const train = await measure(trainStep(model, opt, x, y), quick ? 3 : 5, quick ? 10 : 30);
  report('lenet5.train', train, { batch: B, macsPerImage: macs, imgPerSec: round((B * 1000) / train.medianMs, 1), gflops: gflops(6 * macs * B, train.medianMs), lastLoss: round(lastLoss, 4) },
    `${((B * 1000) / train.medianMs).toFixed(0).padStart(6)} img/s  ${gflops(6 * macs * B, train.medianMs).toFixed(2)} GFLOP/s`);

  const infer = await measure(async () => {
    const out = model.predict(x) as TF.Tensor;
    await out.data();
    out.dispose();
  }, quick ? 3 : 5, quick ? 10 : 30);
  report('lenet5.infer', infer, { batch: B, macsPerImage: macs, imgPerSec: round((B * 1000) / infer.medianMs, 1), gflops: gflops(2 * macs * B, infer.medianMs) },
    `${((B * 1000) / infer.medianMs).toFixed(0).padStart(6)} img/s  ${gflops(2 * macs * B, infer.medianMs).toFixed(2)} GFLOP/s`);

  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) console.warn(`lenet5: ${leaked} tensors leaked`);
  tf.dispose([x, y]);
  opt.dispose();
  model.dispose();
}

// --- 2. 3×3 conv, 64 → 64, 56×56, batch 8, pad 1 ---------------------------------------------
if (only.has('conv')) {
  const [N, H, W, C, O, K] = [8, 56, 56, 64, 64, 3];
  const macs = N * H * W * O * C * K * K;
  const shape = { batch: N, inChannels: C, outChannels: O, height: H, width: W, kernel: K, stride: 1, pad: 1, layout: 'NHWC' };
  const x = tf.randomNormal([N, H, W, C]) as TF.Tensor4D;
  const f = tf.randomNormal([K, K, C, O], 0, 0.05) as TF.Tensor4D;
  const dy = tf.randomNormal([N, H, W, O]) as TF.Tensor4D;
  const before = tf.memory().numTensors;

  const fwd = await measure(async () => {
    const out = tf.conv2d(x, f, 1, 'same');
    await gpuSync();
    out.dispose();
  }, quick ? 2 : 3, quick ? 7 : 20);
  const fwdReadback = await measure(async () => {
    const out = tf.conv2d(x, f, 1, 'same');
    await out.data();
    out.dispose();
  }, 1, quick ? 5 : 10);
  report('conv3x3.fwd', fwd, { ...shape, macs, gflops: gflops(2 * macs, fwd.medianMs), sync: 'onSubmittedWorkDone', withReadbackMedianMs: fwdReadback.medianMs, withReadbackGflops: gflops(2 * macs, fwdReadback.medianMs) },
    `${gflops(2 * macs, fwd.medianMs).toFixed(2).padStart(6)} GFLOP/s  (with readback ${fwdReadback.medianMs.toFixed(1)} ms, ${gflops(2 * macs, fwdReadback.medianMs).toFixed(2)} GFLOP/s)`);

  const g = tf.grads((a: TF.Tensor, b: TF.Tensor) => tf.conv2d(a as TF.Tensor4D, b as TF.Tensor4D, 1, 'same'));
  const fwdBwd = await measure(async () => {
    const grads = g([x, f], dy);
    await gpuSync();
    tf.dispose(grads);
  }, quick ? 2 : 3, quick ? 5 : 15);
  report('conv3x3.fwdbwd', fwdBwd, { ...shape, macs, gflops: gflops(6 * macs, fwdBwd.medianMs), sync: 'onSubmittedWorkDone', grads: ['input', 'filter'] },
    `${gflops(6 * macs, fwdBwd.medianMs).toFixed(2).padStart(6)} GFLOP/s`);

  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) console.warn(`conv3x3: ${leaked} tensors leaked`);
  tf.dispose([x, f, dy]);
}

// --- 3. ResNet-18 for CIFAR, batch 32 --------------------------------------------------------
if (only.has('resnet')) {
  const B = 32;
  const conv = (filters: number, k: number, stride: number) =>
    tf.layers.conv2d({ filters, kernelSize: k, strides: stride, padding: 'same', useBias: false });
  const bn = () => tf.layers.batchNormalization({ axis: -1 });
  const relu = () => tf.layers.activation({ activation: 'relu' });
  const apply = (layer: TF.layers.Layer, x: TF.SymbolicTensor) => layer.apply(x) as TF.SymbolicTensor;

  const input = tf.input({ shape: [32, 32, 3] });
  let h = apply(relu(), apply(bn(), apply(conv(64, 3, 1), input)));
  let channels = 64;
  for (const [stage, filters] of [64, 128, 256, 512].entries()) {
    for (let block = 0; block < 2; block++) {
      const stride = stage > 0 && block === 0 ? 2 : 1;
      let a = apply(relu(), apply(bn(), apply(conv(filters, 3, stride), h)));
      a = apply(bn(), apply(conv(filters, 3, 1), a));
      const shortcut = stride !== 1 || channels !== filters ? apply(bn(), apply(conv(filters, 1, stride), h)) : h;
      h = apply(relu(), tf.layers.add().apply([a, shortcut]) as TF.SymbolicTensor);
      channels = filters;
    }
  }
  h = apply(tf.layers.globalAveragePooling2d({}), h);
  const logits = apply(tf.layers.dense({ units: 10 }), h);
  const model = tf.model({ inputs: input, outputs: logits });
  const macs = macsPerImage(model);
  const { x, y } = randomBatch(B, [32, 32, 3], 10);
  const opt = tf.train.sgd(0.01);
  const before = tf.memory().numTensors;

  // A step takes minutes on lavapipe: one warm-up step (cold), then a few timed steps.
  const steps = Number(optArg('resnet-steps') ?? (quick ? 1 : 2));
  const train = await measure(trainStep(model, opt, x, y), 1, steps);
  report('resnet18-cifar.train', train, { batch: B, macsPerImage: macs, params: model.countParams(), imgPerSec: round((B * 1000) / train.medianMs, 2), gflops: gflops(6 * macs * B, train.medianMs), lastLoss: round(lastLoss, 4), note: `only ${steps} timed step(s) after 1 warm-up step: a step takes minutes on lavapipe` },
    `${((B * 1000) / train.medianMs).toFixed(2).padStart(6)} img/s  ${gflops(6 * macs * B, train.medianMs).toFixed(2)} GFLOP/s`);

  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) console.warn(`resnet18: ${leaked} tensors leaked`);
  tf.dispose([x, y]);
  opt.dispose();
  model.dispose();
}

// --- Output ----------------------------------------------------------------------------------
const totalSeconds = round((performance.now() - t0All) / 1000, 1);
const json = {
  date: new Date().toISOString(),
  node: process.version,
  tfjs: tf.version.tfjs,
  backend: tf.getBackend(),
  adapter,
  quick,
  /** 1-, 5-, 15-minute load averages (2-core machines are often shared: read timings with them). */
  loadAverage: { start: loadAtStart, end: loadavg().map((l) => round(l)) },
  flops: '2·MACs of conv and dense layers; forward+backward and training count forward MACs ×3',
  workloads: results,
  totalSeconds,
};
mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(outPath, JSON.stringify(json, null, 2) + '\n');
console.log(`wrote ${outPath} (${totalSeconds} s in all)`);
process.exit(0);
