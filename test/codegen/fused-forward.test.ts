import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMITTERS } from '../../src/codegen/emit.js';
import { emitGroup } from '../../src/codegen/group.js';
import type { GemmVariant } from '../../src/codegen/variants.js';
import type { Group } from '../../src/ir/fuse.js';
import type { Graph, Op, Tensor } from '../../src/ir/graph.js';
import { randomArray, seededRandom } from '../../src/ir/reference/testing.js';
import { checkGroup, describeGroup, fusedGroups, groupsLike, lowerText, referenceRun } from './fused-harness.js';
import { freshSeed, openGpu, targetWith, type TestGpu } from './harness.js';

/**
 * Forward epilogues: conv2d and dense (and add) kernels that apply adds and activations as they
 * store, writing only the last tensor of the chain. Batch 3, odd channels, stride 2, a residual.
 */
const MODEL = `block res(c)(x) {
  y = x -> conv(c, 3, pad: 1) -> relu -> conv(c, 3, pad: 1)
  return relu(y + x)
}
model fwd {
  input image: 3 x 11 x 9
  image -> conv(5, 3, stride: 2, pad: 1) -> elu -> res(5) -> flatten -> dense(7) -> sigmoid -> dense(6) -> relu -> dense(4)
}`;

const BATCH = 3;
const SMALL_SHARED: GemmVariant = { kind: 'shared', bm: 16, bn: 16, bk: 8, tm: 2, tn: 2 };
const seed = freshSeed();

let gpu: TestGpu;
let g: Graph;
let values: Map<number, Float64Array>;
let groups: readonly Group[];
beforeAll(async () => {
  gpu = await openGpu();
  g = lowerText(MODEL, 'infer');
  values = referenceRun(g, BATCH, seed);
  groups = fusedGroups(g);
});
afterAll(async () => {
  await gpu?.ctx.destroy();
});

const PATTERNS = ['conv2d+elu', 'conv2d+relu', 'conv2d+add+relu', 'dense+sigmoid', 'dense+relu'];
const TARGETS = [
  { name: 'software, subgroups', software: true, subgroups: true },
  { name: 'software without subgroups', software: true, subgroups: false },
  { name: 'workgroup memory (16×16 tiles)', software: false, subgroups: false, gemm: SMALL_SHARED },
];

describe.each(TARGETS)('epilogues, $name', { timeout: 30_000 }, (t) => {
  it.each(PATTERNS)(`%s: one kernel writing only the last tensor (seed ${seed})`, async (pattern) => {
    for (const gr of groupsLike(g, groups, pattern)) {
      const r = await checkGroup(gpu, g, gr, targetWith(gpu, t.software, t.subgroups), BATCH, values, t.gemm ? { gemm: t.gemm } : {});
      expect(r.kernels).toHaveLength(1);
      const last = g.ops[gr.epilogue[gr.epilogue.length - 1]].outputs[0];
      expect(r.written).toEqual([last]);
    }
  });
});

describe('add anchors and fallbacks', { timeout: 30_000 }, () => {
  it(`add + relu (the residual's add as the anchor): one elementwise kernel (seed ${seed})`, async () => {
    const [gr] = groupsLike(g, groups, 'conv2d+add+relu');
    const add: Group = { anchor: gr.epilogue[0], epilogue: gr.epilogue.slice(1), siblings: [] };
    const r = await checkGroup(gpu, g, add, targetWith(gpu, true), BATCH, values);
    expect(r.kernels.map((k) => k.name)).toEqual([expect.stringMatching(/^add\+relu:/)]);
    expect(r.written).toEqual([g.ops[gr.epilogue[1]].outputs[0]]);
  });

  it(`an epilogue that would bind more than 8 buffers stops where it would (seed ${seed})`, async () => {
    const wide = wideAdd(5);
    const plan = fusedGroups(wide);
    // conv2d + bias (x, w, b) with 5 addends and the output is 9 bindings: add + relu is a group of its own.
    expect(plan.map((gr) => describeGroup(wide, gr))).toEqual(['conv2d', 'add+relu']);
    const rand = seededRandom(seed);
    const vals = new Map(wide.tensors.map((t) => [t.id, randomArray(rand, t.batched ? BATCH * size(t) : size(t))]));
    for (const gr of plan) expect((await checkGroup(gpu, wide, gr, targetWith(gpu, true), BATCH, vals)).kernels).toHaveLength(1);
    // Four addends fit: one kernel of 8 bindings.
    expect(fusedGroups(wideAdd(4)).map((gr) => describeGroup(wideAdd(4), gr))).toEqual(['conv2d+add+relu']);
  });

  it(`batchnorm anchors (inference, not folded): batchnorm + relu and batchnorm + add + relu, one kernel each (seed ${seed})`, async () => {
    const bn = lowerText(`block basic(c)(x) {
  y = x -> conv(c, 3, pad: 1, bias: false) -> batchnorm -> relu -> conv(c, 3, pad: 1, bias: false) -> batchnorm
  return relu(y + x)
}
model bn {
  input image: 3 x 5 x 7
  image -> conv(5, 3, pad: 1) -> basic(5) -> flatten -> dense(2)
}`, 'infer');
    const vals = referenceRun(bn, BATCH, seed);
    const plan = fusedGroups(bn);
    for (const pattern of ['batchnorm+relu', 'batchnorm+add+relu']) {
      for (const software of [true, false]) {
        const [gr] = groupsLike(bn, plan, pattern);
        const r = await checkGroup(gpu, bn, gr, targetWith(gpu, software), BATCH, vals);
        expect(r.kernels.map((k) => k.name.split(':')[0])).toEqual([`batchnorm_infer+${pattern.split('+').slice(1).join('+')}`]);
        expect(r.written).toEqual([bn.ops[gr.epilogue[gr.epilogue.length - 1]].outputs[0]]);
      }
    }
  });

  it('a group without prologue, epilogue or siblings is the op kernel as emitted alone', () => {
    const [gr] = groupsLike(g, groups, 'dense');
    const t = targetWith(gpu, true);
    expect(emitGroup(gr, g, t).map((k) => k.source)).toEqual([EMITTERS.dense(g.ops[gr.anchor], g, t).source]);
  });
});

const size = (t: Tensor) => t.shape.reduce((a, b) => a * b, 1);

/** conv2d (with bias) → add(y, a1 … an) → relu, by hand: more addends than one kernel can bind. */
function wideAdd(n: number): Graph {
  const attrs = { stride: [2, 2], pad: [1, 0, 1, 0], dilation: [1, 1], groups: 1, padMode: 'zeros' } as const;
  const spec: [string, number[], boolean][] = [
    ['x', [3, 7, 6], true], ['w', [5, 3, 3, 3], false], ['b', [5], false], ['y', [5, 3, 3], true],
    ...Array.from({ length: n }, (_, i): [string, number[], boolean] => [`a${i}`, [5, 3, 3], true]),
    ['s', [5, 3, 3], true], ['r', [5, 3, 3], true],
  ];
  const tensors: Tensor[] = spec.map(([name, shape, batched], id) => ({ id, name, shape, batched, role: 'activation' }));
  const [s, r] = [4 + n, 5 + n];
  const ops: Op[] = [
    { id: 0, kind: 'conv2d', attrs, bias: true, inputs: [0, 1, 2], outputs: [3], layer: 'wide' },
    { id: 1, kind: 'add', inputs: [3, ...Array.from({ length: n }, (_, i) => 4 + i)], outputs: [s], layer: 'wide' },
    { id: 2, kind: 'unary', fn: 'relu', alpha: 0, inputs: [s], outputs: [r], layer: 'wide' },
  ];
  return { tensors, ops, inputs: [0], outputs: [r], params: [1, 2] };
}

/**
 * silu, gelu (both forms) and hardswish as epilogues. Inference: as relu, one kernel writing only
 * the last tensor. Training: their backward reads their input, so the chain runs on through it and
 * the kernel stores it on the way (a store step) besides the last tensor, still one kernel; the
 * residual's add output is stored from the middle of conv2d+add+silu.
 */
const INPUT_ACTS = `block res(c)(x) {
  y = x -> conv(c, 3, pad: 1) -> gelu -> conv(c, 3, pad: 1)
  return silu(y + x)
}
model acts {
  input image: 3 x 11 x 9
  image -> conv(5, 3, stride: 2, pad: 1) -> silu -> res(5) -> conv(6, 3, pad: 1) -> gelu(approximate: tanh)
        -> flatten -> dense(7) -> hardswish -> dense(6) -> gelu -> dense(4)
}`;
const INPUT_PATTERNS = ['conv2d+silu', 'conv2d+gelu', 'conv2d+add+silu', 'conv2d+gelu_tanh', 'dense+hardswish', 'dense+gelu'];

describe.each([
  ...TARGETS.map((t) => ({ ...t, mode: 'train' as const })),
  { ...TARGETS[0], mode: 'infer' as const },
])('epilogues of activations whose gradient reads their input, $mode, $name', { timeout: 60_000 }, (t) => {
  let ga: Graph;
  let va: Map<number, Float64Array>;
  let plan: readonly Group[];
  beforeAll(() => {
    ga = lowerText(INPUT_ACTS, t.mode);
    va = referenceRun(ga, BATCH, seed);
    plan = fusedGroups(ga);
  });
  it.each(INPUT_PATTERNS)(`%s: one kernel (seed ${seed})`, async (pattern) => {
    for (const gr of groupsLike(ga, plan, pattern)) {
      const r = await checkGroup(gpu, ga, gr, targetWith(gpu, t.software, t.subgroups), BATCH, va, t.gemm ? { gemm: t.gemm } : {});
      expect(r.kernels).toHaveLength(1);
      const ops = gr.epilogue.map((e) => ga.ops[e]);
      const last = ops[ops.length - 1].outputs[0];
      // Training keeps the input of the last activation (its derivative's), nothing else in between.
      const kept = t.mode === 'train' ? [ops[ops.length - 1].inputs[0]] : [];
      expect(r.written.sort()).toEqual([...kept, last].sort());
      if (t.mode === 'train') expect(ga.ops.some((o) => o.kind === 'unary_grad' && o.inputs[1] === kept[0])).toBe(true);
    }
  });
});

describe('an add anchor storing the input of its silu (training)', { timeout: 30_000 }, () => {
  it(`add + silu as one elementwise kernel writing the sum and the activation (seed ${seed})`, async () => {
    const ga = lowerText(INPUT_ACTS, 'train');
    const va = referenceRun(ga, BATCH, seed);
    const [gr] = groupsLike(ga, fusedGroups(ga), 'conv2d+add+silu');
    const add: Group = { anchor: gr.epilogue[0], epilogue: gr.epilogue.slice(1), siblings: [] };
    const r = await checkGroup(gpu, ga, add, targetWith(gpu, true), BATCH, va);
    expect(r.kernels.map((k) => k.name)).toEqual([expect.stringMatching(/^add\+silu:/)]);
    expect(r.written.sort()).toEqual([ga.ops[gr.epilogue[0]].outputs[0], ga.ops[gr.epilogue[1]].outputs[0]].sort());
  });
});

describe('batchnorm with an epilogue in training', { timeout: 30_000 }, () => {
  const model = (act: string) => lowerText(`model bn {
  input image: 3 x 7 x 5
  image -> conv(4, 3, pad: 1, bias: false) -> batchnorm -> ${act} -> flatten -> dense(3)
}`, 'train');

  it.each(['relu', 'tanh'])(`batchnorm + %s: one kernel writing the statistics, the running statistics and the activation (seed ${seed})`, async (act) => {
    const gb = model(act);
    const vals = referenceRun(gb, BATCH, seed);
    const [gr] = groupsLike(gb, fusedGroups(gb), `batchnorm+${act}`);
    for (const software of [true, false]) {
      const r = await checkGroup(gpu, gb, gr, targetWith(gpu, software), BATCH, vals);
      expect(r.kernels.map((k) => k.name.split(':')[0])).toEqual([`batchnorm_train+${act}`]);
      const bn = gb.ops[gr.anchor];
      // The normalised values are never stored: the derivative reads the activation's output.
      expect(r.written.sort()).toEqual([...bn.outputs.slice(1), bn.inputs[3], bn.inputs[4], gb.ops[gr.epilogue[0]].outputs[0]].sort());
    }
  });

  it.each(['silu', 'gelu'])('batchnorm + %s stay two kernels: storing what the derivative reads would bind 9 buffers', (act) => {
    const gb = model(act);
    const plan = fusedGroups(gb);
    groupsLike(gb, plan, 'batchnorm');
    groupsLike(gb, plan, act);
    const [bn] = groupsLike(gb, plan, 'batchnorm');
    expect(emitGroup(bn, gb, targetWith(gpu, true))[0].bindings).toHaveLength(8);
  });
});
