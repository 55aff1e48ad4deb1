import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GemmVariant } from '../../src/codegen/variants.js';
import type { Group } from '../../src/ir/fuse.js';
import type { Graph } from '../../src/ir/graph.js';
import { emitGroup } from '../../src/codegen/group.js';
import { checkGroup, fusedGroups, describeGroup, groupsLike, lowerText, referenceRun } from './fused-harness.js';
import { freshSeed, hasSubgroups, openGpu, targetWith, type TestGpu } from './harness.js';

/**
 * Backward prologues and siblings: gradient kernels that read dy through the activation's
 * derivative (from the forward output y) and weight-gradient kernels that write the bias gradient
 * beside dw, from the training graph of a small model. Every grad-input kernel appears: relu before
 * a stride-1 conv (the direct kernel), relu6 before a grouped conv with replicate padding, tanh
 * before a stride-2 conv (the implicit GEMM).
 */
const MODEL = `model backprop {
  input image: 3 x 11 x 9
  image -> conv(5, 3, stride: 2, pad: 1) -> elu -> conv(8, 3, pad: 1) -> relu -> conv(6, 3, pad: 1, groups: 2, pad_mode: replicate) -> relu6
        -> conv(5, 3, stride: 2, round: floor) -> tanh -> flatten -> dense(9) -> relu -> dense(5) -> tanh -> dense(4)
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
  g = lowerText(MODEL, 'train');
  values = referenceRun(g, BATCH, seed);
  groups = fusedGroups(g);
});
afterAll(async () => {
  await gpu?.ctx.destroy();
});

const CONV = [
  'tanh_grad>conv2d_grad_input', 'relu6_grad>conv2d_grad_input', 'relu_grad>conv2d_grad_input',
  'tanh_grad>conv2d_grad_weight&bias_grad', 'relu6_grad>conv2d_grad_weight&bias_grad', 'elu_grad>conv2d_grad_weight&bias_grad',
];
const DENSE = ['relu_grad>dense_grad_input', 'tanh_grad>dense_grad_input', 'relu_grad>dense_grad_weight&bias_grad', 'tanh_grad>dense_grad_weight&bias_grad', 'dense_grad_weight&bias_grad'];
/**
 * Dense kernels do not depend on subgroups, and the GPU variants share their shape with the
 * software ones: a subset there keeps cold shader compiles (1–4 s each on lavapipe) in budget.
 */
const TARGETS = [
  { name: 'software, subgroups', software: true, subgroups: true, patterns: [...CONV, ...DENSE] },
  { name: 'software without subgroups', software: true, subgroups: false, patterns: CONV },
  {
    name: 'GPU (workgroup memory 16×16, split K)', software: false, subgroups: false, gemm: SMALL_SHARED,
    patterns: ['tanh_grad>conv2d_grad_input', 'relu_grad>conv2d_grad_input', 'relu6_grad>conv2d_grad_weight&bias_grad', 'relu_grad>dense_grad_input', 'tanh_grad>dense_grad_weight&bias_grad'],
  },
];

/** The tensors a group must write, and nothing else: its anchor's and siblings' outputs. */
function outputsOf(gr: Group): number[] {
  return [gr.anchor, ...gr.siblings].map((id) => g.ops[id].outputs[0]);
}

describe.each(TARGETS)('prologues at load and bias siblings, $name', { timeout: 30_000 }, (t) => {
  it.each(t.patterns)(`%s: one kernel (seed ${seed})`, async (pattern) => {
    for (const gr of groupsLike(g, groups, pattern)) {
      const r = await checkGroup(gpu, g, gr, targetWith(gpu, t.software, t.subgroups), BATCH, values, t.gemm ? { gemm: t.gemm } : {});
      expect(r.kernels).toHaveLength(1);
      expect(r.written.sort()).toEqual(outputsOf(gr).sort());
    }
  });
});

describe('split over the batch with scratch space, as a software plan emits a weight gradient of few tiles', { timeout: 30_000 }, () => {
  // One tile each (5 and 8 output channels); relu6's conv is grouped, which the split does not take.
  it.each([
    { pattern: 'tanh_grad>conv2d_grad_weight&bias_grad', kernels: ['tanh_grad>conv2d_grad_weight_partial&bias_grad', 'conv2d_grad_weight_sum'] },
    { pattern: 'elu_grad>conv2d_grad_weight&bias_grad', kernels: ['elu_grad>conv2d_grad_weight_partial&bias_grad', 'conv2d_grad_weight_sum'] },
    { pattern: 'relu6_grad>conv2d_grad_weight&bias_grad', kernels: ['relu6_grad>conv2d_grad_weight&bias_grad'] },
  ])(`$pattern: $kernels (seed ${seed})`, async ({ pattern, kernels }) => {
    for (const gr of groupsLike(g, groups, pattern)) {
      // The partial sums are a lanes kernel: it needs subgroups, and without them the group is one kernel.
      const r = await checkGroup(gpu, g, gr, targetWith(gpu, true), BATCH, values, { split: true });
      expect(r.kernels.map((k) => k.name.replace(/:.*/, ''))).toEqual(hasSubgroups(gpu) ? kernels : [pattern]);
      expect(r.written.sort()).toEqual(outputsOf(gr).sort());
      const plain = await checkGroup(gpu, g, gr, targetWith(gpu, true, false), BATCH, values, { split: true });
      expect(plain.kernels.map((k) => k.name.replace(/:.*/, ''))).toEqual([pattern]);
    }
  });
});

describe('where the prologue runs by default (variants.ts prologueAtLoad)', { timeout: 30_000 }, () => {
  it('GPU: at load everywhere, one kernel per group', () => {
    for (const gr of groups) if (gr.prologue !== undefined) expect(emitGroup(gr, g, targetWith(gpu, false))).toHaveLength(1);
  });

  it(`software: a derivative whose readers re-read dy is a group of its own, or applied as a dense grad input stores dy (seed ${seed})`, async () => {
    const target = targetWith(gpu, true);
    const plan = fusedGroups(g, target);
    const kernelsOf = new Map<string, string[]>();
    for (const gr of plan.filter((p) => p.prologue !== undefined || g.ops[p.anchor].kind === 'unary_grad' || g.ops[p.anchor].kind.endsWith('_grad_input'))) {
      const r = await checkGroup(gpu, g, gr, target, BATCH, values);
      kernelsOf.set(`${describeGroup(g, gr)}:${g.ops[gr.anchor].layer}`, r.kernels.map((k) => k.name.split(':')[0]));
      if (gr.epilogue.length) expect(r.written).toEqual([g.ops[gr.epilogue.at(-1)!].outputs[0]]);
    }
    // The first layer's weight gradient is dy's only reader and, one subgroup per tile of all its
    // 27 columns, walks it once: fused at load (split K without subgroups takes 4 column tiles).
    if (hasSubgroups(gpu)) expect(kernelsOf.get('elu_grad>conv2d_grad_weight&bias_grad:conv1')).toEqual(['elu_grad>conv2d_grad_weight&bias_grad']);
    // Grad input re-reads dy for every tap: the derivative is one elementwise kernel (a conv's grad
    // input takes no epilogue on software, variants.ts convGradInputEpilogue), both of conv2's
    // gradients read its result.
    const dy = g.ops.find((o) => o.kind === 'conv2d_grad_input' && o.layer === 'conv2')!.inputs[0];
    const derivative = plan.find((p) => g.ops[p.anchor].outputs[0] === dy);
    expect(derivative && kernelsOf.get(`relu_grad:${g.ops[derivative.anchor].layer}`)).toEqual(['unary_grad_relu']);
    expect(kernelsOf.get('conv2d_grad_input:conv2')).toEqual(['conv2d_grad_input']);
    expect(plan.map((p) => `${describeGroup(g, p)}:${g.ops[p.anchor].layer}`)).toContain('conv2d_grad_weight&bias_grad:conv2');
    // Without subgroups dense layers this narrow fit one tile along the features (32 columns), so
    // each dy element is loaded once and the derivative is applied at load. The subgroup kernel's
    // weight gradient takes 8 columns a tile: fc2's 9 input features re-read dy, so there fc3's
    // grad input applies the derivative as it stores, and both of fc2's gradients read that (fc2's
    // grad input reads it plain, and applies relu's derivative for fc1 as it stores).
    if (hasSubgroups(gpu)) {
      expect(kernelsOf.get('dense_grad_input+tanh_grad:fc3')).toEqual(['dense_grad_input+tanh_grad']);
      expect(kernelsOf.get('dense_grad_input+relu_grad:fc2')).toEqual(['dense_grad_input+relu_grad']);
      expect(plan.filter((p) => g.ops[p.anchor].kind === 'unary_grad' && g.ops[p.anchor].layer.startsWith('tanh2'))).toEqual([]);
    } else {
      expect(kernelsOf.get('tanh_grad>dense_grad_input:fc2')).toEqual(['tanh_grad>dense_grad_input']);
    }
  });
});

describe('grad inputs with the derivative after them, on every GEMM variant', { timeout: 30_000 }, () => {
  // fc3's grad input applying tanh's derivative (the software plan's group), conv4's (stride 2)
  // applying relu6's (the GPU grouping, built from the software plan's two groups), run as each
  // variant emits them: subgroup and register tiles, workgroup-memory tiles (the GPU variant), and
  // for the conv its phase kernels and the register implicit GEMM.
  const REGISTER: GemmVariant = { kind: 'register', tm: 4, tn: 4, wg: 64 };
  // Emission only: the subgroup size is stated, so the plan holds on devices without subgroups.
  const plan = () => {
    const software = { ...targetWith(gpu, true), subgroupMinSize: 8 };
    return fusedGroups(g, software);
  };
  const convWithDerivative = (groups: readonly Group[]): Group => {
    const [derivative] = groupsLike(g, groups, 'relu6_grad');
    const gi = groups.find((p) => g.ops[p.anchor].outputs[0] === g.ops[derivative.anchor].inputs[0])!;
    return { ...gi, epilogue: [derivative.anchor] };
  };
  it.each([
    { pattern: 'dense_grad_input+tanh_grad', runs: [{ software: true, subgroups: true }, { software: true, subgroups: false }, { software: false, subgroups: false, gemm: SMALL_SHARED }] },
    { pattern: 'conv2d_grad_input+relu6_grad', runs: [{ software: true, subgroups: true }, { software: true, subgroups: false }, { software: true, subgroups: true, gemm: REGISTER }, { software: false, subgroups: false, gemm: SMALL_SHARED }] },
  ])(`$pattern (seed ${seed})`, async ({ pattern, runs }) => {
    const groups = plan();
    const gr = pattern.startsWith('conv') ? convWithDerivative(groups) : groupsLike(g, groups, pattern)[0];
    expect(describeGroup(g, gr)).toBe(pattern);
    for (const run of runs) {
      const r = await checkGroup(gpu, g, gr, targetWith(gpu, run.software, run.subgroups), BATCH, values, run.gemm ? { gemm: run.gemm } : {});
      expect(r.kernels.map((k) => k.name.replace(/:.*/, ''))).toEqual([pattern]);
      expect(r.written).toEqual([g.ops[gr.epilogue.at(-1)!].outputs[0]]);
    }
  });
});

describe('groups built by hand from the same graph', { timeout: 30_000 }, () => {
  const split = (pattern: string) => {
    const [gr] = groupsLike(g, groups, pattern);
    return [{ ...gr, siblings: [] }, { anchor: gr.siblings[0], prologue: gr.prologue, epilogue: [], siblings: [] }];
  };
  it.each(['relu6_grad>conv2d_grad_weight&bias_grad', 'tanh_grad>dense_grad_weight&bias_grad'])(
    `%s as two groups: the weight gradient alone, bias_grad alone with the prologue (seed ${seed})`,
    async (pattern) => {
      for (const gr of split(pattern)) {
        for (const subgroups of pattern.includes('conv') ? [true, false] : [true]) {
          const r = await checkGroup(gpu, g, gr, targetWith(gpu, true, subgroups), BATCH, values);
          expect(r.written).toEqual(outputsOf(gr));
        }
      }
    },
  );
});

/**
 * The derivatives that read the forward input (silu, gelu, gelu_tanh, hardswish) as prologues:
 * read through at load on every kernel variant, apart (the elementwise kernel first) where the
 * default picks it, against the reference on the same training graph.
 */
const INPUT_MODEL = `model backprop_input {
  input image: 3 x 11 x 9
  image -> conv(5, 3, stride: 2, pad: 1) -> silu -> conv(6, 3, pad: 1) -> gelu -> conv(6, 3, pad: 1, groups: 2, pad_mode: replicate) -> gelu(approximate: tanh)
        -> conv(5, 3, stride: 2, round: floor) -> hardswish -> flatten -> dense(9) -> gelu -> dense(5) -> silu -> dense(4)
}`;
const INPUT_CONV = [
  'hardswish_grad>conv2d_grad_input', 'gelu_tanh_grad>conv2d_grad_input', 'gelu_grad>conv2d_grad_input',
  'hardswish_grad>conv2d_grad_weight&bias_grad', 'gelu_tanh_grad>conv2d_grad_weight&bias_grad', 'gelu_grad>conv2d_grad_weight&bias_grad', 'silu_grad>conv2d_grad_weight&bias_grad',
];
const INPUT_DENSE = ['silu_grad>dense_grad_input', 'gelu_grad>dense_grad_input', 'silu_grad>dense_grad_weight&bias_grad', 'gelu_grad>dense_grad_weight&bias_grad'];
const INPUT_TARGETS = [
  { name: 'software, subgroups', software: true, subgroups: true, patterns: [...INPUT_CONV, ...INPUT_DENSE] },
  { name: 'software without subgroups', software: true, subgroups: false, patterns: INPUT_CONV.slice(0, 4) },
  { name: 'GPU (workgroup memory 16×16, split K)', software: false, subgroups: false, gemm: SMALL_SHARED, patterns: ['gelu_tanh_grad>conv2d_grad_input', 'silu_grad>conv2d_grad_weight&bias_grad', 'gelu_grad>dense_grad_input', 'silu_grad>dense_grad_weight&bias_grad'] },
];

describe('prologues of derivatives that read the forward input', { timeout: 60_000 }, () => {
  let gi: Graph;
  let vi: Map<number, Float64Array>;
  let plan: readonly Group[];
  beforeAll(() => {
    gi = lowerText(INPUT_MODEL, 'train');
    vi = referenceRun(gi, BATCH, seed);
    plan = fusedGroups(gi);
  });

  it('every prologue reads the forward input of its activation (the tensor before it), not its output', () => {
    const prologues = plan.filter((gr) => gr.prologue !== undefined).map((gr) => gi.ops[gr.prologue!]);
    expect(prologues.length).toBeGreaterThan(0);
    for (const p of prologues) {
      const fwd = gi.ops.find((o) => o.kind === 'unary' && o.inputs[0] === p.inputs[1]);
      expect(fwd?.kind === 'unary' && p.kind === 'unary_grad' && fwd.fn === p.fn, `${p.layer}`).toBe(true);
    }
  });

  for (const t of INPUT_TARGETS) {
    it.each(t.patterns)(`${t.name}: %s at load, one kernel (seed ${seed})`, async (pattern) => {
      for (const gr of groupsLike(gi, plan, pattern)) {
        const r = await checkGroup(gpu, gi, gr, targetWith(gpu, t.software, t.subgroups), BATCH, vi, t.gemm ? { gemm: t.gemm } : {});
        expect(r.kernels).toHaveLength(1);
        expect(r.written.sort()).toEqual([gr.anchor, ...gr.siblings].map((id) => gi.ops[id].outputs[0]).sort());
      }
    });
  }

  it(`software default: apart where dy is re-read, the derivative's elementwise kernel first (seed ${seed})`, async () => {
    const target = targetWith(gpu, true);
    const apart = fusedGroups(gi, target);
    const names: string[] = [];
    for (const gr of apart.filter((p) => gi.ops[p.anchor].kind === 'unary_grad' || describeGroup(gi, p) === 'conv2d_grad_input')) {
      names.push(...(await checkGroup(gpu, gi, gr, target, BATCH, vi)).kernels.map((k) => k.name.split(':')[0]));
    }
    expect(names).toContain('unary_grad_gelu');
    expect(names).toContain('conv2d_grad_input');
  });
});

/**
 * A gradient sum and the activation derivative after it in one kernel: where a tensor feeds both
 * an add and another layer (a residual block's input), its gradient is an add of two, and the
 * derivative of the activation that made it is applied as that add stores, reading the saved
 * tensor at the same index (the output for relu and tanh, the input for silu). On GPUs the kernel
 * computing the later half (a conv's grad input) adds the other as it stores, and applies the
 * derivative (software adapters keep the add apart: variants.ts convGradInputEpilogue).
 */
const RESIDUAL = `model sums {
  input x: 3 x 6 x 5
  p = x -> conv(4, 3, pad: 1) -> relu
  a = p -> conv(4, 3, pad: 1) -> relu
  b = a -> conv(4, 3, pad: 1) -> tanh
  c = (a + b) -> silu
  d = c -> conv(4, 3, pad: 1)
  (c + d) -> flatten -> dense(3)
}`;

describe('a gradient sum with the derivative after it, one kernel', { timeout: 30_000 }, () => {
  const gs = lowerText(RESIDUAL, 'train');
  const vs = referenceRun(gs, BATCH, seed);
  // GPUs apply relu's derivative at load in a's gradient kernels instead (its readers take
  // prologues), and tanh's as b's grad input reads its dy, which adds the sum's other half as it stores.
  it.each([
    { name: 'software, subgroups', software: true, subgroups: true, patterns: ['add+relu_grad', 'add+silu_grad'] },
    { name: 'GPU', software: false, subgroups: false, patterns: ['conv2d_grad_input+add+silu_grad', 'tanh_grad>conv2d_grad_input+add'] },
  ])(`$name: $patterns against the reference (seed ${seed})`, async (t) => {
    const target = targetWith(gpu, t.software, t.subgroups);
    const plan = fusedGroups(gs, target);
    for (const pattern of t.patterns) {
      for (const gr of groupsLike(gs, plan, pattern)) {
        const r = await checkGroup(gpu, gs, gr, target, BATCH, vs);
        expect(r.kernels.map((k) => k.name.replace(/:.*/, ''))).toEqual([pattern]);
        // The sum (and a grad input before it) is never stored: only the epilogue's output.
        expect(r.written).toEqual([gs.ops[gr.epilogue.at(-1)!].outputs[0]]);
      }
    }
  });
});

/**
 * Pooling gradients that gather (overlapping windows, padding) with the derivative of the
 * activation before the pool applied as they store: on software adapters the convs before both
 * pools re-read dy in their grad inputs, so the derivative is not at load there.
 */
const POOLS = `model pools {
  input image: 3 x 11 x 9
  image -> conv(4, 3, pad: 1) -> relu -> conv(5, 3, pad: 1) -> relu -> maxpool(3, stride: 2)
        -> conv(6, 3, pad: 1) -> tanh -> avgpool(3, stride: 2, pad: 1) -> flatten -> dense(3)
}`;

describe('pooling gradients with the derivative after them, one kernel', { timeout: 30_000 }, () => {
  it(`max and avg (gather) against the reference (seed ${seed})`, async () => {
    const gp = lowerText(POOLS, 'train');
    const vp = referenceRun(gp, BATCH, seed);
    const target = targetWith(gpu, true);
    const plan = fusedGroups(gp, target);
    for (const pattern of ['pool2d_grad+relu_grad', 'pool2d_grad+tanh_grad']) {
      for (const gr of groupsLike(gp, plan, pattern)) {
        const r = await checkGroup(gpu, gp, gr, target, BATCH, vp);
        expect(r.kernels.map((k) => k.name.replace(/:.*/, ''))).toEqual([`pool2d_grad_${pattern.includes('relu') ? 'max' : 'avg'}+${pattern.split('+')[1]}`]);
        expect(r.kernels[0].source).toMatch(/pool2d_grad \(gather\)/);
        expect(r.written).toEqual([gp.ops[gr.epilogue.at(-1)!].outputs[0]]);
      }
    }
  });
});
