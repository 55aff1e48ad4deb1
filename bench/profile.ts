/**
 * Where a model's training step (or forward pass) spends its time: every kernel of the plan timed
 * alone, `repeat` dispatches per submit so a submit's fixed cost is shared, median over runs, then
 * the kernels by time and the totals by kernel kind. The sum of the kernels alone is close to, not
 * equal to, a whole step (caches are warmer when a kernel repeats). Not a test:
 * `npx tsx bench/profile.ts examples/lenet5.cnn [--batch 64] [--infer] [--repeat 4] [--runs 5] [--top 25] [--only NAME]`
 * (`--only` times just the kernels whose names contain NAME).
 */
import { readFileSync } from 'node:fs';
import { compileBackEnd } from '../src/backend.js';
import { compileFrontEnd } from '../src/compiler.js';
import { nodeHost } from '../src/host.js';
import type { Tensor } from '../src/ir/graph.js';
import { acquireDevice } from '../src/runtime/device.js';
import { Executor } from '../src/runtime/executor.js';
import { PipelineCache } from '../src/runtime/pipelines.js';
import { median, timeRuns } from './timing.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const file = args.find((a) => a.endsWith('.cnn')) ?? 'examples/lenet5.cnn';
const batch = arg('batch', 64);
const repeat = arg('repeat', 4);
const runs = arg('runs', 5);
const top = arg('top', 25);
const mode = args.includes('--infer') ? 'infer' : 'train';
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : '';

process.env.XDG_RUNTIME_DIR ??= '/tmp/xdg';
const fe = compileFrontEnd(file, readFileSync(file, 'utf8'), nodeHost);
if (!fe.models.length) throw new Error(`${file}: ${fe.diagnostics.map((d) => d.message).join('; ')}`);
const ctx = await acquireDevice();
const { plan } = compileBackEnd(fe.models[0], { mode, target: ctx.target });
const pipelines = new PipelineCache(ctx.device);
const elements = (t: Tensor): number => t.shape.reduce((a, b) => a * b, 1) * (t.batched ? batch : 1);

const rows: { name: string; ms: number }[] = [];
for (const k of plan.kernels.filter((k) => k.name.includes(only))) {
  // Each tensor a buffer (or texture) of its own, filled with values in [0.25, 0.75): timing, not results.
  const ex = await Executor.create(ctx.device, plan.tensors, Array.from({ length: repeat }, () => k), batch, { pipelines });
  try {
    // Textures are written by their copy kernels only (timed apart); their contents do not change the time.
    for (const id of new Set(k.bindings.map((b) => b.tensor).filter((id) => !plan.tensors[id].texture))) ex.write(id, Float32Array.from({ length: elements(plan.tensors[id]) }, () => 0.25 + Math.random() * 0.5));
    await ex.runAndWait();
    rows.push({ name: k.name, ms: median(await timeRuns(ex, runs, repeat)) });
  } finally {
    await ex.destroy();
  }
}

const total = rows.reduce((s, r) => s + r.ms, 0);
console.log(`${file}, ${mode}, batch ${batch}, ${ctx.description}: ${rows.length} kernels, ${total.toFixed(1)} ms in all (each alone, median of ${runs} × ${repeat})`);
for (const r of [...rows].sort((a, b) => b.ms - a.ms).slice(0, top)) console.log(`${r.ms.toFixed(2).padStart(9)} ms ${((100 * r.ms) / total).toFixed(1).padStart(5)}%  ${r.name}`);
// Totals by kind: the name before the layer, without fused parts (`relu_grad>conv2d_grad_input&bias_grad` → conv2d_grad_input).
const kind = (name: string) => name.replace(/:.*/, '').replace(/^.*>/, '').replace(/[&+].*$/, '');
const kinds = new Map<string, number>();
for (const r of rows) kinds.set(kind(r.name), (kinds.get(kind(r.name)) ?? 0) + r.ms);
console.log('by kind:');
for (const [k, ms] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`${ms.toFixed(2).padStart(9)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${k}`);
await ctx.destroy();
