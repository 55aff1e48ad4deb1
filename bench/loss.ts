/**
 * The loss and its gradient from one kernel vs two (codegen/loss.ts emitLossWithGrad), measured on
 * LeNet-5's training step at batch 64 in one process: the "split" session emits the loss group as
 * the two kernels it was before. Median of alternating rounds after warm-up. Not a test:
 * `npx tsx bench/loss.ts [--runs 20]`.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { emitKernel } from '../src/codegen/emit.js';
import { emitGroup } from '../src/codegen/group.js';
import { compileFrontEnd } from '../src/compiler.js';
import type { GroupEmitter } from '../src/engine/plan.js';
import { ModelSession } from '../src/engine/session.js';
import { nodeHost } from '../src/host.js';

process.env.XDG_RUNTIME_DIR ??= '/tmp/xdg';
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 20;
const batch = 64;
const model = compileFrontEnd('examples/lenet5.cnn', readFileSync('examples/lenet5.cnn', 'utf8'), nodeHost).models[0];

const split: GroupEmitter = (group, graph, target) => {
  const anchor = graph.ops[group.anchor];
  if (anchor.kind !== 'softmax_cross_entropy') return emitGroup(group, graph, target);
  return [anchor.id, ...group.siblings].map((id) => emitKernel(graph.ops[id], graph, target));
};

const sessions = { fused: await ModelSession.create(model, { batch, train: true, seed: 1 }), split: await ModelSession.create(model, { batch, train: true, seed: 1, emitGroup: split }) };
const x = Float32Array.from({ length: batch * 784 }, () => Math.random());
const y = Float32Array.from({ length: batch }, () => Math.floor(Math.random() * 10));
const times = { fused: [] as number[], split: [] as number[] };
for (const s of Object.values(sessions)) await s.trainStep(x, y, batch);
for (let i = 0; i < runs; i++) {
  for (const [name, s] of Object.entries(sessions) as [keyof typeof sessions, ModelSession][]) {
    const t0 = performance.now();
    await s.trainStep(x, y, batch);
    times[name].push(performance.now() - t0);
  }
}
const median = (a: number[]) => [...a].sort((p, q) => p - q)[a.length >> 1];
console.log(`LeNet-5 training step, batch ${batch}, ${runs} alternating runs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const [name, s] of Object.entries(sessions)) console.log(`${name}: ${s.dispatches.trainStep} dispatches, median ${median(times[name as keyof typeof times]).toFixed(2)} ms`);
for (const s of Object.values(sessions)) await s.destroy();
