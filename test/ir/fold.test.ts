import { describe, expect, it } from 'vitest';
import type { CheckedModel } from '../../src/check/model.js';
import { foldBatchnorm } from '../../src/ir/fold.js';
import { fusionRules } from '../../src/codegen/fusion-rules.js';
import { TARGETS } from '../../src/codegen/targets.js';
import { fuse } from '../../src/ir/fuse.js';
import { numel, type Graph } from '../../src/ir/graph.js';
import { lowerModel } from '../../src/ir/lower.js';
import { runGraph } from '../../src/ir/reference/run.js';
import { randomArray, relError, seededRandom } from '../../src/ir/reference/testing.js';
import { verifyGraph } from '../../src/ir/verify.js';
import { differentiate } from '../../src/ir/autodiff.js';
import { cleanModel } from '../helpers.js';

/**
 * Batchnorm folded into the conv/dense before it (inference): the folded graph, run by the float64
 * reference, must give the unfolded graph's output for random weights and running statistics.
 */
const SEED = Number(process.env.REF_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** Random values for every parameter and state tensor (running variances positive), and the input. */
function randomValues(g: Graph, batch: number, seed: number): Map<number, Float64Array> {
  const rand = seededRandom(seed);
  const values = new Map<number, Float64Array>();
  for (const t of g.tensors) {
    if (t.role === 'param' || t.role === 'state') {
      values.set(t.id, randomArray(rand, numel(t.shape), ...(t.name.endsWith('running_var') ? [0.2, 2] as const : [-1, 1] as const)));
    }
  }
  values.set(g.inputs[0], randomArray(rand, batch * numel(g.tensors[g.inputs[0]].shape)));
  return values;
}

function expectSameOutput(m: CheckedModel, batch: number): Graph {
  const g = lowerModel(m, { mode: 'infer' });
  const folded = foldBatchnorm(g);
  expect(verifyGraph(folded)).toEqual([]);
  const values = randomValues(g, batch, SEED);
  const want = runGraph(g, values, { batch, step: 0 }).get(g.outputs[0])!;
  const got = runGraph(folded, values, { batch, step: 0 }).get(folded.outputs[0])!;
  expect(relError(got, want), `REF_SEED=${SEED}`).toBeLessThan(1e-12);
  return folded;
}

const kinds = (g: Graph) => g.ops.map((op) => op.kind);

describe(`batchnorm folding (REF_SEED=${SEED})`, () => {
  it('folds conv → batchnorm (with and without conv bias, groups, odd sizes) and dense → batchnorm', () => {
    const m = cleanModel(`model t {
  input x: 4 x 9 x 7
  x -> conv(6, 3, pad: 1, groups: 2) -> batchnorm -> relu
    -> conv(5, 3, stride: 2, bias: false) -> batchnorm
    -> flatten -> dense(7) -> batchnorm -> tanh -> dense(3)
}`);
    const folded = expectSameOutput(m, 3);
    expect(kinds(folded)).toEqual(['batchnorm_fold', 'batchnorm_fold', 'batchnorm_fold', 'conv2d', 'unary', 'conv2d', 'reshape', 'dense', 'unary', 'dense']);
    const g = lowerModel(m, { mode: 'infer' });
    // Per forward, past the folds (which depend on the weights only): conv+relu, conv, dense+tanh, dense.
    const forwardGroups = (x: Graph) => fuse(x, fusionRules(TARGETS.gpu)).groups.filter((gr) => x.ops[gr.anchor].kind !== 'batchnorm_fold').length;
    expect([forwardGroups(folded), forwardGroups(g)]).toEqual([4, 7]);
    // Names users see are unchanged; the folded weights are derived tensors after the others.
    expect(folded.tensors.slice(0, g.tensors.length)).toEqual(g.tensors);
    expect(folded.tensors.slice(g.tensors.length).every((t) => t.role === 'derived' && !t.batched)).toBe(true);
    expect(folded.params).toEqual(g.params);
  });

  it('leaves a conv whose output is also used elsewhere, or read by the caller, unfolded', () => {
    const m = cleanModel(`model t {
  input x: 3 x 6 x 6
  y = x -> conv(4, 3, pad: 1)
  z = y -> batchnorm
  (y + z) -> conv(2, 1) -> batchnorm
}`);
    const folded = expectSameOutput(m, 2);
    // The first conv feeds the add too; the last batchnorm folds.
    expect(kinds(folded)).toEqual(['batchnorm_fold', 'conv2d', 'batchnorm', 'add', 'conv2d']);
    const g = lowerModel(m, { mode: 'infer' });
    const lastConv = [...g.ops].reverse().find((op) => op.kind === 'conv2d')!;
    expect(foldBatchnorm(g, { keep: new Set([lastConv.outputs[0]]) })).toBe(g);
  });

  it('does not touch training graphs', () => {
    const m = cleanModel(`model t {
  input x: 3 x 6 x 6
  x -> conv(4, 3) -> batchnorm -> relu -> flatten -> dense(2)
}`);
    const g = differentiate(lowerModel(m, { mode: 'train' }));
    expect(foldBatchnorm(g)).toBe(g);
  });
});
