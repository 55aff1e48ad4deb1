import { expect } from 'vitest';
import { emitGroup, type GroupOptions } from '../../src/codegen/group.js';
import type { Kernel, TargetInfo } from '../../src/codegen/kernel.js';
import { differentiate } from '../../src/ir/autodiff.js';
import { fusionRules } from '../../src/codegen/fusion-rules.js';
import { TARGETS } from '../../src/codegen/targets.js';
import { fuse, type Group } from '../../src/ir/fuse.js';
import type { Graph, Op } from '../../src/ir/graph.js';
import { numel } from '../../src/ir/graph.js';
import { initialValues } from '../../src/ir/init.js';
import { lowerModel } from '../../src/ir/lower.js';
import { evalOpWithState, runGraph } from '../../src/ir/reference/run.js';
import { randomArray, relError, seededRandom } from '../../src/ir/reference/testing.js';
import { Executor } from '../../src/runtime/executor.js';
import { cleanModel } from '../helpers.js';
import { elements, scratchAfter, type TestGpu } from './harness.js';

/**
 * Fused kernels against the float64 reference: a small model lowered from .cnn text (and
 * differentiated when training), every tensor of one reference run as the pool of inputs, and per
 * group the kernels emitGroup makes, run on those inputs rounded to float32, against the group's
 * ops run one by one by the reference on the same rounded inputs.
 */

export function lowerText(text: string, mode: 'train' | 'infer'): Graph {
  const g = lowerModel(cleanModel(text), { mode });
  return mode === 'train' ? differentiate(g) : g;
}

/**
 * The fusion groups of a graph with every activation derivative applied at load (as on GPUs; the
 * groups are the same on every target then), or as `target` places them.
 */
export function fusedGroups(g: Graph, target?: TargetInfo): readonly Group[] {
  return fuse(g, target ? fusionRules(target) : fusionRules(TARGETS.gpu, { prologue: 'load' })).groups;
}

/** Every tensor of one reference run on random inputs, targets and initial weights. */
export function referenceRun(g: Graph, batch: number, seed: number): Map<number, Float64Array> {
  const rand = seededRandom(seed);
  const values = initialValues(g, rand);
  for (const i of g.inputs) {
    const t = g.tensors[i];
    if (t.role === 'input') values.set(i, randomArray(rand, batch * numel(t.shape)));
    else {
      const classes = g.tensors[g.outputs[0]].shape[0];
      values.set(i, Float64Array.from({ length: batch }, () => Math.floor(rand() * classes)));
    }
  }
  return runGraph(g, values, { batch, step: 0 });
}

/** `relu_grad>conv2d_grad_weight&bias_grad`, `conv2d+add+relu`: a group's ops, as fuse.test.ts writes them. */
export function describeGroup(g: Graph, gr: Group): string {
  const name = (o: Op) => (o.kind === 'unary' ? o.fn : o.kind === 'unary_grad' ? `${o.fn}_grad` : o.kind);
  const pro = gr.prologue !== undefined ? `${name(g.ops[gr.prologue])}>` : '';
  return [pro, name(g.ops[gr.anchor]), ...gr.epilogue.map((e) => `+${name(g.ops[e])}`), ...gr.siblings.map((s) => `&${name(g.ops[s])}`)].join('');
}

/** The ops of a group in the order the reference must run them. */
function groupOps(g: Graph, gr: Group): Op[] {
  return [...(gr.prologue !== undefined ? [gr.prologue] : []), gr.anchor, ...gr.siblings, ...gr.epilogue].map((id) => g.ops[id]);
}

export interface CheckOptions extends Omit<GroupOptions, 'scratch'> {
  /** Give the emitter scratch space, so a weight gradient may split over the batch (two kernels). */
  readonly split?: boolean;
}

export interface GroupCheck {
  readonly kernels: Kernel[];
  /** Tensors the kernels wrote, each checked. */
  readonly written: number[];
  readonly error: number;
}

/**
 * Runs a group's kernels on `values` (rounded to float32), outputs and scratch poisoned with NaN,
 * and checks every graph tensor they write: ‖out − ref‖/‖ref‖ < 1e-4.
 */
export async function checkGroup(gpu: TestGpu, g: Graph, gr: Group, target: TargetInfo, batch: number, values: ReadonlyMap<number, Float64Array>, opts: CheckOptions = {}): Promise<GroupCheck> {
  // With `split`, scratch space as a device plan gives it, so a group may split as it does in a plan.
  const { scratch, tensors } = scratchAfter(g);
  const kernels = emitGroup(gr, g, target, { ...(opts.gemm ? { gemm: opts.gemm } : {}), ...(opts.split ? { scratch } : {}) });
  const bound = [...new Set(kernels.flatMap((k) => k.bindings.filter((b) => b.access === 'read_write').map((b) => b.tensor)))];
  // Scratch is poisoned with the outputs but has no reference: its sum is checked instead.
  const poisoned = bound.filter((t) => tensors[t].role === 'scratch');
  const written = bound.filter((t) => !poisoned.includes(t));
  // State a kernel updates in place (batchnorm's running statistics) starts from the pool's values.
  const updated = written.filter((t) => g.tensors[t].role === 'state');
  // Textures are written by the group's own copies before any kernel reads them.
  const read = [...new Set(kernels.flatMap((k) => k.bindings.map((b) => b.tensor)))].filter((t) => !tensors[t].texture && (!bound.includes(t) || updated.includes(t)));
  const inputs = new Map(read.map((t) => [t, Float32Array.from(values.get(t) ?? missing(g, t))]));

  const ref = new Map<number, Float64Array>([...inputs].map(([t, v]) => [t, Float64Array.from(v)]));
  const stateAfter = new Map<number, Float64Array>();
  for (const op of groupOps(g, gr)) {
    const r = evalOpWithState(op, g, op.inputs.map((t) => ref.get(t) ?? values.get(t) ?? missing(g, t)), { batch, step: 0 });
    op.outputs.forEach((t, i) => ref.set(t, r.outputs[i]));
    for (const [t, v] of r.state ?? []) stateAfter.set(t, v);
  }
  for (const [t, v] of stateAfter) ref.set(t, v);

  const ex = await Executor.create(gpu.ctx.device, tensors, kernels, batch, { pipelines: gpu.pipelines });
  let error = 0;
  try {
    for (const [t, v] of inputs) ex.write(t, v);
    for (const t of [...written, ...poisoned]) if (!updated.includes(t)) ex.write(t, new Float32Array(elements(tensors[t], batch)).fill(NaN));
    await ex.runAndWait();
    for (const t of written) {
      const e = relError(await ex.read(t), ref.get(t)!);
      error = Math.max(error, e);
      expect(e, `${kernels.map((k) => k.name).join(', ')}: ${g.tensors[t].name}`).toBeLessThan(1e-4);
    }
  } finally {
    await ex.destroy();
  }
  return { kernels, written, error };
}

function missing(g: Graph, t: number): never {
  throw new Error(`test: no value for tensor ${t} (${g.tensors[t].name})`);
}

/** The groups of a plan whose description is `pattern`; fails when there is none. */
export function groupsLike(g: Graph, groups: readonly Group[], pattern: string): Group[] {
  const found = groups.filter((gr) => describeGroup(g, gr) === pattern);
  expect(found.length, `no group ${pattern} in ${groups.map((gr) => describeGroup(g, gr)).join(', ')}`).toBeGreaterThan(0);
  return found;
}
