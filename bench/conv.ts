/**
 * GFLOP/s of the conv kernels: 3×3, 64 → 64 channels, 56×56, batch 8, pad 1 (ResNet's first
 * stage), forward alone and forward + backward (grad input, grad weight, bias grad) in one submit.
 * Median of several runs after warm-up. Not a test: `npx tsx bench/conv.ts [--tm 8 --tn 4]
 * [--batch 8 --channels 64 --size 56] [--shared | --direct] [--ktm 8 --ktn 4 | --splitk] [--no-subgroups] [--stride 2] [--forward] [--runs 7]`.
 */
import { emitBiasGrad } from '../src/codegen/bias-grad.js';
import { emitConv2d, emitConv2dTextured } from '../src/codegen/conv-forward.js';
import { emitConv2dGradInput, emitConv2dGradInputTextured } from '../src/codegen/conv-grad-input.js';
import { emitConv2dGradWeight } from '../src/codegen/conv-grad-weight.js';
import { emitConv2dGradWeightTextured } from '../src/codegen/conv-grad-weight-texture.js';
import type { Kernel, ScratchSpace } from '../src/codegen/kernel.js';
import type { LanesTile } from '../src/codegen/conv-grad-weight-lanes.js';
import { splitKTile, type GemmVariant, type SplitKTile } from '../src/codegen/variants.js';
import type { ConvAttrs, Graph, Op, Tensor } from '../src/ir/graph.js';
import { dropRepeatedCopies } from '../src/engine/copies.js';
import { acquireDevice } from '../src/runtime/device.js';
import { Executor } from '../src/runtime/executor.js';
import { quietly } from '../src/runtime/wait.js';
import { BufferUsage } from '../src/runtime/usage.js';
import { median, timeRuns } from './timing.js';

const args = process.argv.slice(2);
const arg = (name: string): number | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : undefined;
};
const runs = arg('runs') ?? 7;
const [N, C, H, W, O, K] = [arg('batch') ?? 8, arg('channels') ?? 64, arg('size') ?? 56, arg('size') ?? 56, arg('channels') ?? 64, 3];
const S = arg('stride') ?? 1;
const [OH, OW] = [Math.floor((H - 1) / S) + 1, Math.floor((W - 1) / S) + 1];

process.env.XDG_RUNTIME_DIR ??= '/tmp/xdg';
const ctx = await acquireDevice({ subgroups: !args.includes('--no-subgroups') });
const target = ctx.target;

const attrs: ConvAttrs = { stride: [S, S], pad: [1, 1, 1, 1], dilation: [1, 1], groups: 1, padMode: 'zeros' };
const shapes: [string, number[], boolean][] = [
  ['x', [C, H, W], true],
  ['w', [O, C, K, K], false],
  ['b', [O], false],
  ['y', [O, OH, OW], true],
  ['dy', [O, OH, OW], true],
  ['dx', [C, H, W], true],
  ['dw', [O, C, K, K], false],
  ['db', [O], false],
];
const tensors: Tensor[] = shapes.map(([name, shape, batched], id) => ({ id, name, shape, batched, role: 'activation' }));
const op = (id: number, kind: Op['kind'], inputs: number[], outputs: number[]): Op => {
  const base = { id, inputs, outputs, layer: 'conv' };
  switch (kind) {
    case 'conv2d':
      return { ...base, kind, attrs, bias: true };
    case 'conv2d_grad_input':
    case 'conv2d_grad_weight':
      return { ...base, kind, attrs };
    default:
      return { ...base, kind: 'bias_grad' };
  }
};
const ops = [op(0, 'conv2d', [0, 1, 2], [3]), op(1, 'conv2d_grad_input', [4, 1], [5]), op(2, 'conv2d_grad_weight', [4, 0], [6]), op(3, 'bias_grad', [4], [7])];
const graph: Graph = { tensors, ops, inputs: [0], outputs: [3], params: [1, 2] };

const tm = arg('tm');
const tn = arg('tn');
// Without flags every kernel takes the variant variants.ts chooses for this adapter.
const variant: GemmVariant | undefined = args.includes('--shared')
  ? { kind: 'shared', bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 }
  : tm && tn
    ? { kind: 'register', tm, tn, wg: arg('wg') ?? 64 }
    : undefined;
const ktm = arg('ktm');
const ktn = arg('ktn');
const gwTile: SplitKTile | LanesTile | undefined = args.includes('--splitk')
  ? { ...splitKTile(target, O), ...(ktm ? { tm: ktm } : {}), ...(ktn ? { tn: ktn } : {}) }
  : ktm && ktn
    ? { tm: ktm, tn: ktn, lanes: 8 }
    : undefined;
// As a plan runs them: the texture GEMM and its copies where variants.ts chooses it (not with
// --direct or an explicit variant), else one kernel.
const scratch: ScratchSpace = {
  tensor: (name, length) => {
    tensors.push({ id: tensors.length, name, shape: [length], batched: false, role: 'scratch' });
    return tensors.length - 1;
  },
  // One texture per name, sized for the largest request, as a plan shares them (engine/plan.ts).
  texture: (name, texels, batched) => {
    const known = tensors.findIndex((t) => t.texture && t.name === name);
    if (known >= 0) {
      tensors[known] = { ...tensors[known], shape: [Math.max(tensors[known].shape[0], 4 * texels)] };
      return known;
    }
    tensors.push({ id: tensors.length, name, shape: [4 * texels], batched, role: 'scratch', texture: true });
    return tensors.length - 1;
  },
  staging: (texels, batched) => {
    tensors.push({ id: tensors.length, name: 'staging', shape: [4 * texels], batched, role: 'scratch' });
    return tensors.length - 1;
  },
};
const textured = !variant && !args.includes('--direct');
const fwd = (textured && emitConv2dTextured(ops[0], graph, target, 'train', scratch)) || [emitConv2d(ops[0], graph, target, variant)];
const gin = (textured && emitConv2dGradInputTextured(ops[1], graph, target, scratch)) || [emitConv2dGradInput(ops[1], graph, target, variant)];
const gw = (textured && !gwTile && emitConv2dGradWeightTextured(ops[2], graph, target, scratch)) || [emitConv2dGradWeight(ops[2], graph, target, gwTile)];
const gb = emitBiasGrad(ops[3], graph, target);

const macs = N * O * OH * OW * C * K * K;
const rand = (n: number) => Float32Array.from({ length: n }, () => Math.random() * 2 - 1);

async function measure(label: string, kernels: Kernel[], flops: number): Promise<void> {
  const ex = await Executor.create(ctx.device, tensors, kernels, N);
  const bound = new Set(kernels.flatMap((k) => k.bindings.map((b) => b.tensor)));
  for (const id of [0, 1, 2, 4].filter((i) => bound.has(i))) ex.write(id, rand(tensors[id].shape.reduce((a, b) => a * b, 1) * (tensors[id].batched ? N : 1)));
  await ex.runAndWait(); // compiles on first use
  await ex.runAndWait();
  const times = (await timeRuns(ex, runs)).sort((a, b) => a - b);
  const med = median(times);
  const rate = flops / med / 1e6;
  console.log(`${label.padEnd(36)} median ${med.toFixed(1).padStart(7)} ms  ${rate.toFixed(2).padStart(6)} GFLOP/s  (min ${times[0].toFixed(1)} ms; ${((100 * rate) / ceiling).toFixed(0)}% of the FMA ceiling)`);
  await ex.destroy();
}

/**
 * The adapter's FMA ceiling in the same process, to read the conv's GFLOP/s against: 16 independent
 * vec4 accumulators per invocation (lavapipe's best case in ../shared/probes/lavapipe: ~100
 * GFLOP/s on 2 cores), a loop bound from a uniform so it is not unrolled or folded away.
 */
async function fmaCeiling(): Promise<number> {
  const iters = 4096;
  const invocations = 64 * 256;
  const code = `@group(0) @binding(0) var<storage, read_write> out: array<vec4<f32>>;
@group(0) @binding(1) var<uniform> n: vec4<u32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let s = vec4<f32>(f32(gid.x) * 1e-9);
  ${Array.from({ length: 16 }, (_, i) => `var a${i} = s + vec4<f32>(${i}.0);`).join('\n  ')}
  let m = vec4<f32>(0.999);
  let c = vec4<f32>(1e-4);
  for (var i = 0u; i < n.x; i++) {
    ${Array.from({ length: 16 }, (_, i) => `a${i} = fma(a${i}, m, c);`).join('\n    ')}
  }
  out[gid.x] = ${Array.from({ length: 16 }, (_, i) => `a${i}`).join(' + ')};
}`;
  const device = ctx.device;
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
  const out = device.createBuffer({ size: invocations * 16, usage: BufferUsage.STORAGE });
  const uni = device.createBuffer({ size: 16, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST });
  device.queue.writeBuffer(uni, 0, new Uint32Array([iters, 0, 0, 0]));
  const group = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: out } }, { binding: 1, resource: { buffer: uni } }] });
  const run = async () => {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(invocations / 64);
    pass.end();
    device.queue.submit([enc.finish()]);
    await quietly(device.queue.onSubmittedWorkDone());
  };
  await run();
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  out.destroy();
  uni.destroy();
  return (invocations * iters * 16 * 4 * 2) / times[2] / 1e6;
}

console.log(`adapter: ${ctx.description}; conv 3×3 ${C}→${O}, ${H}×${W}, stride ${S}, batch ${N}; variant ${variant ? JSON.stringify(variant) : 'default'}, grad weight ${gwTile ? JSON.stringify(gwTile) : 'default'}`);
const ceiling = await fmaCeiling();
console.log(`FMA ceiling (vec4 ×16 accumulators)  ${ceiling.toFixed(2)} GFLOP/s`);
await measure(fwd.length > 1 ? 'forward (texture GEMM + copies)' : 'forward', fwd, 2 * macs);
if (fwd.length > 1) await measure('  its GEMM alone', fwd.slice(-1), 2 * macs);
if (!args.includes('--forward')) {
  await measure(gin.length > 1 ? 'grad input (texture GEMM + copies)' : 'grad input', gin, 2 * macs);
  await measure(gw.length > 1 ? 'grad weight (texture GEMM + copies)' : 'grad weight', gw, 2 * macs);
  if (gw.length > 1) await measure('  its GEMM alone (and sum)', gw.slice(2), 2 * macs);
  // As a plan runs them: the weight gradient reads the forward's texture of x and grad input's of dy.
  await measure('forward + backward', dropRepeatedCopies([...fwd, ...gin, ...gw, gb]), 6 * macs);
}
await ctx.destroy();
