/**
 * The memory-bound kernels against a copy's bandwidth on the same adapter, in one process: every
 * elementwise, pooling, batchnorm and loss op of a small training graph (ResNet-20's first stage
 * shapes: 16 × 32 × 32 per sample, batch 128 by default), each kernel alone, as GB/s of the bytes
 * it must move (each tensor it binds read or written once) and as a fraction of the best of
 * eight copies of the largest activation. Medians after warm-up. Not a test: `npx tsx bench/bandwidth.ts [--batch 128] [--runs 9] [--repeat 8] [--only batchnorm]`.
 */
import { loadavg } from 'node:os';
import { emitKernel } from '../src/codegen/emit.js';
import type { Kernel } from '../src/codegen/kernel.js';
import { compileFrontEnd } from '../src/compiler.js';
import { differentiate } from '../src/ir/autodiff.js';
import type { Graph, Op, Tensor } from '../src/ir/graph.js';
import { lowerModel } from '../src/ir/lower.js';
import { memoryHost } from '../src/host.js';
import { acquireDevice } from '../src/runtime/device.js';
import { Executor } from '../src/runtime/executor.js';
import { median, timeRun } from './timing.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const batch = arg('batch', 128);
const runs = arg('runs', 9);
const repeat = arg('repeat', 8);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;

process.env.XDG_RUNTIME_DIR ??= '/tmp/xdg';
const ctx = await acquireDevice();

// A residual stage's memory-bound ops, and a pooling and a loss: the ops whose cost is their traffic.
const text = `model bandwidth {
  input image: 16 x 32 x 32
  a = image -> conv(16, 3, pad: 1, bias: false) -> batchnorm -> relu
  b = image -> conv(16, 3, pad: 1, bias: false)
  relu(a + b) -> maxpool(2) -> avgpool(2) -> flatten -> dense(10)
  train { loss: cross_entropy  optimizer: sgd(lr: 0.1) }
}
`;
const fe = compileFrontEnd('bandwidth.cnn', text, memoryHost({ 'bandwidth.cnn': text }));
if (!fe.models.length) throw new Error(fe.diagnostics.map((d) => d.message).join('\n'));
const graph: Graph = differentiate(lowerModel(fe.models[0], { mode: 'train' }));
const MEMORY_BOUND = new Set<Op['kind']>(['unary', 'unary_grad', 'add', 'batchnorm', 'batchnorm_grad', 'pool2d', 'pool2d_grad', 'softmax_cross_entropy', 'softmax_cross_entropy_grad', 'bias_grad', 'reshape']);

const elements = (t: Tensor): number => t.shape.reduce((a, b) => a * b, 1) * (t.batched ? batch : 1);
/** Bytes a kernel must move at the least: every tensor it binds, once. */
const bytesOf = (k: Kernel): number => [...new Set(k.bindings.map((b) => b.tensor))].reduce((n, t) => n + 4 * elements(graph.tensors[t]), 0);

/** One kernel ready to time: each sample is a pass of `repeat` dispatches, in ms per dispatch. */
async function timer(tensors: readonly Tensor[], k: Kernel): Promise<{ sample(): Promise<number>; destroy(): Promise<void> }> {
  const ex = await Executor.create(ctx.device, tensors, Array.from({ length: repeat }, () => k), batch);
  for (const b of k.bindings) ex.write(b.tensor, Float32Array.from({ length: elements(tensors[b.tensor]) }, () => Math.random() * 0.5 + 0.25));
  await ex.runAndWait();
  await ex.runAndWait();
  return {
    sample: () => timeRun(ex, repeat),
    destroy: () => ex.destroy(),
  };
}

/** Medians of `runs` samples of each kernel, taken in turn, so the machine's drift hits all alike. */
async function medians(tensors: readonly Tensor[], kernels: readonly Kernel[]): Promise<number[]> {
  const timers = await Promise.all(kernels.map((k) => timer(tensors, k)));
  try {
    const samples: number[][] = kernels.map(() => []);
    for (let r = 0; r < runs; r++) for (const [i, t] of timers.entries()) samples[i].push(await t.sample());
    return samples.map(median);
  } finally {
    for (const t of timers) await t.destroy();
  }
}

/**
 * A copy of `n` floats as `type` words, `items` per invocation strided by the workgroup (so
 * neighbouring invocations touch neighbouring words), in workgroups of `wg`. On lavapipe every
 * workgroup has a fixed cost, so one word per invocation measures dispatch overhead, not bandwidth:
 * the copy's ceiling is the best of a few such shapes.
 */
function copyKernel(src: number, dst: number, n: number, type: 'f32' | 'vec4<f32>', items: number, wg: number): Kernel {
  const words = type === 'f32' ? n : n / 4;
  const per = wg * items;
  const source = `@group(0) @binding(0) var<storage, read> x: array<${type}>;
@group(0) @binding(1) var<storage, read_write> y: array<${type}>;
struct Params { batch: u32 }
@group(0) @binding(2) var<uniform> params: Params;
@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let base = (wid.x + wid.y * nwg.x) * ${per}u + lid;
  for (var k = 0u; k < ${items}u; k++) {
    let i = base + k * ${wg}u;
    if (i < ${words}u) { y[i] = x[i]; }
  }
}
`;
  return { name: `copy ${type} ×${items}, workgroups of ${wg}`, layer: 'copy', source, bindings: [{ tensor: src, access: 'read' }, { tensor: dst, access: 'read_write' }], workgroups: { units: words, batched: false, perWorkgroup: per, times: 1 } };
}

console.log(`adapter: ${ctx.description}; batch ${batch}; ${runs} runs of ${repeat} dispatches each; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
// Copies of the largest activation (16 × 32 × 32 per sample), into a tensor appended for it.
const big = graph.tensors.filter((t) => t.batched).reduce((a, t) => (elements(t) > elements(a) ? t : a));
const tensors: Tensor[] = [...graph.tensors, { ...big, id: graph.tensors.length, name: 'copy.out', role: 'activation' }];
const n = elements(big);
const shapes = [['f32', 1, 64], ['f32', 4, 64], ['f32', 8, 256], ['f32', 32, 256], ['vec4<f32>', 1, 64], ['vec4<f32>', 4, 64], ['vec4<f32>', 2, 256], ['vec4<f32>', 8, 256]] as const;
const copies = shapes.map(([type, items, wg]) => copyKernel(big.id, graph.tensors.length, n, type, items, wg));
const copyMs = await medians(tensors, copies);
copies.forEach((k, i) => console.log(`${k.name.padEnd(42)} ${copyMs[i].toFixed(2).padStart(8)} ms  ${((8 * n) / 2 ** 20).toFixed(1).padStart(6)} MiB  ${((8 * n) / copyMs[i] / 1e6).toFixed(1).padStart(6)} GB/s`));
const best = copies[copyMs.indexOf(Math.min(...copyMs))];
console.log(`the copy's ceiling: ${((8 * n) / Math.min(...copyMs) / 1e6).toFixed(1)} GB/s (read + write), ${best.name}; each kernel below timed in turn with it, as a fraction of it`);
for (const op of graph.ops.filter((o) => MEMORY_BOUND.has(o.kind))) {
  const k = emitKernel(op, graph, ctx.target);
  if (only && !k.name.includes(only)) continue;
  const bytes = bytesOf(k);
  const [ms, copy] = await medians(tensors, [k, best]);
  const gbs = bytes / ms / 1e6;
  // Under 1 MiB a kernel's time is mostly a dispatch's fixed cost, not traffic.
  const fraction = bytes < 2 ** 20 ? "  (under 1 MiB: a dispatch's fixed cost)" : `  ${((100 * gbs) / ((8 * n) / copy / 1e6)).toFixed(0).padStart(4)}% of the copy`;
  console.log(`${k.name.padEnd(42)} ${ms.toFixed(2).padStart(8)} ms  ${(bytes / 2 ** 20).toFixed(1).padStart(6)} MiB  ${gbs.toFixed(1).padStart(6)} GB/s${fraction}`);
}
await ctx.destroy();
