/**
 * Activation memory with and without pooled buffers (engine/pools.ts): the batched buffers an
 * executor allocates for LeNet-5 (batch 64) and ResNet-18 on CIFAR input (batch 32), inference and
 * training step, for the software target's kernels. Computed from the plans, no GPU needed:
 * `npx tsx bench/memory.ts`.
 */
import { readFileSync } from 'node:fs';
import { TARGETS } from '../src/codegen/targets.js';
import { compileFrontEnd } from '../src/compiler.js';
import { DEFAULT_OPTIMIZER, planDevice, type DevicePlan } from '../src/engine/plan.js';
import { nodeHost } from '../src/host.js';
import { differentiate } from '../src/ir/autodiff.js';
import { lowerModel } from '../src/ir/lower.js';
import { liveIntervals } from '../src/engine/pools.js';
import { numel } from '../src/ir/graph.js';
import { batchedBytes } from '../src/runtime/buffers.js';
import { RESNET18_CIFAR } from './resnet18-cifar.js';

const models = [
  { name: 'LeNet-5', batch: 64, file: 'examples/lenet5.cnn', text: readFileSync('examples/lenet5.cnn', 'utf8') },
  { name: 'ResNet-18 CIFAR', batch: 32, file: 'resnet18_cifar.cnn', text: RESNET18_CIFAR },
];

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

function bytes(plan: DevicePlan, batch: number): number {
  const ids = [...plan.kernels.flatMap((k) => k.bindings.map((b) => b.tensor)), ...plan.graph.inputs, ...plan.graph.outputs];
  return batchedBytes(plan.tensors, ids, plan.layout, batch);
}

/** No pooling can go below the batched bytes live at the busiest kernel (own buffers included). */
function lowerBound(plan: DevicePlan, batch: number): number {
  const live = liveIntervals(plan.kernels.map((k) => k.bindings.map((b) => b.tensor)), plan.layout.aliases);
  let most = 0;
  for (let k = 0; k < plan.kernels.length; k++) {
    let sum = 0;
    for (const [id, [first, last]] of live) if (first <= k && k <= last && plan.tensors[id].batched) sum += numel(plan.tensors[id].shape) * batch * 4;
    most = Math.max(most, sum);
  }
  return most;
}

for (const m of models) {
  const model = compileFrontEnd(m.file, m.text, nodeHost).models[0];
  for (const mode of ['infer', 'train'] as const) {
    const g = mode === 'train' ? differentiate(lowerModel(model, { mode })) : lowerModel(model, { mode });
    const opts = { fusion: true, align: 256, optimizer: mode === 'train' ? DEFAULT_OPTIMIZER : undefined };
    const own = planDevice(g, TARGETS.software, { ...opts, pool: false });
    const pooled = planDevice(g, TARGETS.software, opts);
    const [a, b] = [bytes(own, m.batch), bytes(pooled, m.batch)];
    const shared = pooled.layout.pools?.reduce((n, p) => n + p.members.length, 0) ?? 0;
    console.log(`${m.name} ${mode} batch ${m.batch}: ${mib(a)} → ${mib(b)} (${(a / b).toFixed(2)}×); ${shared} tensors in ${pooled.layout.pools?.length ?? 0} pools; live at the busiest kernel ${mib(lowerBound(pooled, m.batch))}`);
  }
}
