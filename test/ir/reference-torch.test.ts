import { readFileSync } from 'node:fs';
import { unary } from '../../src/ir/reference/elementwise.js';
import { describe, expect, it } from 'vitest';
import { numel, UNARY_GRAD_FROM, type OpKind } from '../../src/ir/graph.js';
import { evalOp, OP_KINDS, runGraph } from '../../src/ir/reference/run.js';
import { relError, singleOpGraph, type TensorSpec } from '../../src/ir/reference/testing.js';

/**
 * Every op kind except the trivial data movers and dropout (whose stream is ours, not PyTorch's)
 * against values PyTorch computed in float64: scripts/torch_cases.py writes
 * torch-cases.json. Inputs are regenerated here from integer formulas identical to the script's,
 * so the file holds only op descriptions and PyTorch's outputs.
 */

interface InputSpec extends TensorSpec {
  readonly gen?: readonly [number, number];
  readonly values?: readonly number[];
}

interface GoldenCase {
  readonly name: string;
  readonly kind: OpKind;
  readonly batch: number;
  readonly inputs: readonly InputSpec[];
  readonly outputs: readonly TensorSpec[];
  readonly expect: readonly (readonly number[])[];
  /** New running statistics by input index (batchnorm training). */
  readonly state?: Readonly<Record<string, readonly number[]>>;
}

const golden = JSON.parse(readFileSync(new URL('../fixtures/torch-cases.json', import.meta.url), 'utf8')) as {
  torch: string;
  cases: GoldenCase[];
};

/** The script's `det`: integer arithmetic below 2^53, then one correctly rounded division. */
function det(seed: number, n: number, scale: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => {
    const k = i + 1 + seed * 1009;
    return (((k * k * 7919 + k * 104729) % 1000003) / 1000003 * 2 - 1) * scale;
  });
}

function inputValue(s: InputSpec, batch: number): Float64Array {
  if (s.values) return Float64Array.from(s.values);
  const [seed, scale] = s.gen ?? [0, 0];
  return det(seed, (s.batched ? batch : 1) * numel(s.shape), scale);
}

describe(`reference interpreter against PyTorch ${golden.torch} (float64)`, () => {
  it('covers every activation, forward and backward', () => {
    for (const kind of ['unary', 'unary_grad'] as const) {
      const fns = new Set(golden.cases.flatMap((c) => ((c.kind.kind === 'unary' || c.kind.kind === 'unary_grad') && c.kind.kind === kind ? [c.kind.fn] : [])));
      expect([...fns].sort(), kind).toEqual(Object.keys(UNARY_GRAD_FROM).sort());
    }
  });

  it('covers every op kind but reshape, add, concat, slice_channels and dropout', () => {
    const kinds = new Set<string>(golden.cases.map((c) => c.kind.kind));
    // batchnorm_infer_grad is a per-channel scale, checked against finite differences in reference-grad.test.ts.
    // batchnorm_fold is checked by running folded graphs against unfolded ones (fold.test.ts).
    const untested = ['reshape', 'add', 'concat', 'slice_channels', 'dropout', 'dropout_grad', 'batchnorm_infer_grad', 'batchnorm_fold'];
    expect(OP_KINDS.filter((k) => !kinds.has(k)).sort()).toEqual(untested.sort());
  });

  for (const c of golden.cases) {
    it(c.name, () => {
      const { graph, op } = singleOpGraph(c.kind, c.inputs, c.outputs);
      const inputs = c.inputs.map((s) => inputValue(s, c.batch));
      const ctx = { batch: c.batch, step: 0 };
      // The cases give unary_grad PyTorch's input x; cnnc's unary_grad reads the output y = f(x),
      // except for the activations whose derivative needs x (UNARY_GRAD_FROM).
      if (c.kind.kind === 'unary_grad' && UNARY_GRAD_FROM[c.kind.fn] === 'output') inputs[1] = unary(inputs[1], c.kind.fn, c.kind.alpha);
      const got = evalOp(op, graph, inputs, ctx);
      expect(got.length).toBe(c.expect.length);
      got.forEach((g, i) => expect(relError(g, c.expect[i]), `output ${i}`).toBeLessThan(1e-12));
      if (c.state) {
        const all = runGraph(graph, new Map(inputs.map((v, i) => [i, v])), ctx);
        for (const [index, want] of Object.entries(c.state)) expect(relError(all.get(Number(index)) ?? [], want), `state ${index}`).toBeLessThan(1e-12);
      }
    });
  }
});
