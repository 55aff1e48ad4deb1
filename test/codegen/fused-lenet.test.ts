import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitGroup } from '../../src/codegen/group.js';
import { compileFrontEnd } from '../../src/compiler.js';
import { nodeHost } from '../../src/host.js';
import { differentiate } from '../../src/ir/autodiff.js';
import type { Group } from '../../src/ir/fuse.js';
import type { Graph } from '../../src/ir/graph.js';
import { lowerModel } from '../../src/ir/lower.js';
import { checkGroup, fusedGroups, describeGroup, referenceRun } from './fused-harness.js';
import { freshSeed, hasSubgroups, openGpu, targetWith, type TestGpu } from './harness.js';

/**
 * LeNet-5's training step (examples/lenet5.cnn) at its real sizes: one kernel per fusion group
 * (two for a weight gradient split over the batch), and every group's kernels against the
 * reference at batch 3.
 */
const BATCH = 3;
const seed = freshSeed();

const path = 'examples/lenet5.cnn';
const g: Graph = differentiate(lowerModel(compileFrontEnd(path, readFileSync(path, 'utf8'), nodeHost).models[0], { mode: 'train' }));
const groups: readonly Group[] = fusedGroups(g);
const values = referenceRun(g, BATCH, seed);

let gpu: TestGpu;
beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(async () => {
  await gpu?.ctx.destroy();
});

describe('LeNet-5 training step', { timeout: 30_000 }, () => {
  it('one kernel per group (prologues at load, as on GPUs)', () => {
    for (const gr of groups) {
      for (const target of [targetWith(gpu, true), targetWith(gpu, false)]) {
        const kernels = emitGroup(gr, g, target);
        expect(kernels, describeGroup(g, gr)).toHaveLength(1);
      }
    }
  });

  it('software with subgroups: each derivative that goes apart is one more group, whichever groups read it', () => {
    // Emission only: the subgroup size is stated, so the count holds on devices without subgroups.
    const target = { ...targetWith(gpu, true), subgroupMinSize: 8 };
    const apart = fusedGroups(g, target);
    const total = apart.reduce((n, gr) => n + emitGroup(gr, g, target).length, 0);
    // fc2, fc1 and conv2 relu derivatives go apart (their grad inputs re-read dy); conv1's stays at load.
    expect(apart.length - groups.length).toBe(3);
    // 22 groups (the loss and its gradient one kernel), one kernel each, and the optimizer's.
    expect(total).toBe(22);
  });

  it.each(groups.map((gr) => ({ name: describeGroup(g, gr), gr })))(`$name against the reference at batch ${BATCH} (seed ${seed})`, async ({ gr }) => {
    await checkGroup(gpu, g, gr, targetWith(gpu, true), BATCH, values);
  });

  it('conv1\'s weight gradient (one tile) splits over the batch on software adapters, with its prologue and bias gradient', async () => {
    const conv1 = groups.filter((gr) => g.ops[gr.anchor].kind === 'conv2d_grad_weight' && g.ops[gr.anchor].layer === 'conv1');
    expect(conv1.map((gr) => describeGroup(g, gr))).toEqual(['relu_grad>conv2d_grad_weight&bias_grad']);
    // Batch 37 over 16 slices: slices of 3 rows, the last one short.
    const batch = 37;
    const software = await checkGroup(gpu, g, conv1[0], targetWith(gpu, true), batch, referenceRun(g, batch, seed + 1), { split: true });
    // The partial sums are a lanes kernel: without subgroups the group stays one kernel.
    expect(software.kernels.map((k) => k.name)).toEqual(hasSubgroups(gpu) ? ['relu_grad>conv2d_grad_weight_partial&bias_grad:conv1', 'conv2d_grad_weight_sum:conv1'] : ['relu_grad>conv2d_grad_weight&bias_grad:conv1']);
    // Many tiles, or a GPU: one kernel.
    expect((await checkGroup(gpu, g, conv1[0], targetWith(gpu, false), batch, referenceRun(g, batch, seed + 1), { split: true })).kernels).toHaveLength(1);
    const conv2 = groups.find((gr) => g.ops[gr.anchor].kind === 'conv2d_grad_weight' && g.ops[gr.anchor].layer === 'conv2')!;
    expect(emitGroup(conv2, g, targetWith(gpu, true), { scratch: { tensor: () => g.tensors.length, texture: () => g.tensors.length } })).toHaveLength(1);
  });
});
