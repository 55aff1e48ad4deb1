/**
 * Batchnorm folded into convs (ir/fold.ts), measured: ResNet-18 for CIFAR (3×32×32) inference with
 * and without the fold in the same process, and the fold kernels alone (what a forward pays for
 * recomputing the folded weights). Median of several runs after warm-up. Not a test:
 * `npx tsx bench/fold.ts [--batch 32] [--runs 5]`.
 */
import { compileFrontEnd } from '../src/compiler.js';
import type { Kernel } from '../src/codegen/kernel.js';
import { planDevice, type DevicePlan } from '../src/engine/plan.js';
import { nodeHost } from '../src/host.js';
import { numel } from '../src/ir/graph.js';
import { lowerModel } from '../src/ir/lower.js';
import { acquireDevice } from '../src/runtime/device.js';
import { Executor } from '../src/runtime/executor.js';
import { PipelineCache } from '../src/runtime/pipelines.js';
import { RESNET18_CIFAR } from './resnet18-cifar.js';

process.env.XDG_RUNTIME_DIR ??= '/tmp/xdg';
const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const batch = arg('batch', 32);
const runs = arg('runs', 5);

const front = compileFrontEnd('resnet18_cifar.cnn', RESNET18_CIFAR, nodeHost);
const model = front.models[0];
if (!model) throw new Error(front.diagnostics.map((d) => d.message).join('; '));
const graph = lowerModel(model, { mode: 'infer' });

const gpu = await acquireDevice();
const cache = new PipelineCache(gpu.device);

async function time(plan: DevicePlan, kernels: readonly Kernel[]): Promise<number> {
  const g = plan.graph;
  const exec = await Executor.create(gpu.device, plan.tensors, kernels, batch, { pipelines: cache, layout: plan.layout, extraTensors: [...g.inputs, ...g.outputs] });
  for (const t of g.tensors) {
    if (t.role !== 'param' && t.role !== 'state' && t.role !== 'input') continue;
    const n = numel(t.shape) * (t.batched ? batch : 1);
    exec.write(t.id, Float32Array.from({ length: n }, () => (t.name.endsWith('running_var') ? 0.5 + Math.random() : Math.random() - 0.5)));
  }
  await exec.runAndWait();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    exec.run();
    await exec.finish();
    times.push(performance.now() - t0);
  }
  await exec.destroy();
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

const align = gpu.device.limits.minStorageBufferOffsetAlignment;
const plain = planDevice(graph, gpu.target, { fusion: true, fold: false, align });
const folded = planDevice(graph, gpu.target, { fusion: true, fold: true, align });
const folds = folded.kernels.filter((k) => k.name.startsWith('batchnorm_fold'));
console.log(`${gpu.description}; ResNet-18 (CIFAR 3×32×32), batch ${batch}, ${runs} runs; load ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`kernels: unfolded ${plain.kernels.length}, folded ${folded.kernels.length} (${folds.length} fold kernels + ${folded.kernels.length - folds.length} per forward)`);
for (let round = 0; round < 3; round++) {
  const a = await time(plain, plain.kernels);
  const b = await time(folded, folded.kernels);
  const f = await time(folded, folds);
  console.log(`round ${round}: unfolded ${a.toFixed(1)} ms, folded ${b.toFixed(1)} ms (${(a / b).toFixed(2)}×), fold kernels alone ${f.toFixed(1)} ms`);
}
await gpu.destroy();
