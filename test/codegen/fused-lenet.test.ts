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

  // Emission only: the subgroup size is stated, so the plan holds on devices without subgroups.
  const software = () => ({ ...targetWith(gpu, true), subgroupMinSize: 8 });
  const epilogued = () => fusedGroups(g, software()).filter((gr) => gr.epilogue.length && g.ops[gr.anchor].kind !== 'conv2d' && g.ops[gr.anchor].kind !== 'dense');

  it('software with subgroups: a derivative that goes apart is applied where its gradient is stored', () => {
    const target = software();
    const apart = fusedGroups(g, target);
    // fc2, fc1 and conv2's relu derivatives are not at load (their readers re-read dy): the kernels
    // computing those gradients (fc3's and fc2's grad inputs, maxpool2's gradient) apply them as
    // they store, so there are as many groups as with every derivative at load; conv1's stays at load.
    expect(epilogued().map((gr) => `${describeGroup(g, gr)}:${g.ops[gr.anchor].layer}`)).toEqual([
      'dense_grad_input+relu_grad:fc3', 'dense_grad_input+relu_grad:fc2', 'pool2d_grad+relu_grad:maxpool2',
    ]);
    expect(apart.filter((gr) => g.ops[gr.anchor].kind === 'unary_grad')).toEqual([]);
    expect(apart.length).toBe(groups.length);
    // 19 groups (the loss and its gradient one kernel), one kernel each.
    expect(apart.reduce((n, gr) => n + emitGroup(gr, g, target).length, 0)).toBe(19);
  });

  it(`the software plan's gradient kernels with the derivative after them against the reference at batch ${BATCH} (seed ${seed})`, async () => {
    for (const gr of epilogued()) {
      const r = await checkGroup(gpu, g, gr, targetWith(gpu, true), BATCH, values);
      // The gradient before the derivative is never stored: only the derivative's output.
      expect(r.written, describeGroup(g, gr)).toEqual([g.ops[gr.epilogue.at(-1)!].outputs[0]]);
    }
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
    expect(emitGroup(conv2, g, targetWith(gpu, true), { scratch: { tensor: () => g.tensors.length, texture: () => g.tensors.length, staging: () => g.tensors.length } })).toHaveLength(1);
  });
});
