import type { Graph, Op, Tensor } from '../ir/graph.js';
import { numel } from '../ir/graph.js';
import type { Kernel, TargetInfo } from './kernel.js';
import { batchOf, channelsAndPositions, expectKind, lightTile, perElementKernel } from './per-element.js';
import { tensorOf } from './shapes.js';
import { typedOutputWrite, type Epilogue } from './elementwise.js';
import { reductionRun, reductionWorkgroup } from './variants.js';
import { bindingsOf, bound, declareBindings, entryPoint, f32, fixedWorkgroups, u32, type BufferDecl } from './wgsl.js';

/**
 * Batch normalisation. Training and its gradient run one workgroup per channel: each invocation
 * sums its share of the channel's N·P values (runs of neighbouring invocations over contiguous
 * parts of the channel, variants.ts reductionRun), writes its partial to workgroup memory, and
 * after ONE barrier every invocation adds up all partials itself (the same order in every lane, so
 * all agree bit for bit). That costs WG reads of workgroup memory per invocation instead of a
 * tree with a barrier per level, which matters on lavapipe, where every barrier is a coroutine
 * switch (GUIDE §4). The same workgroup then normalises its channel, so statistics, outputs and
 * the in-place running statistics come from one kernel.
 */

interface BnDims {
  readonly C: number;
  readonly P: number;
  readonly x: Tensor;
}

function bnDims(graph: Graph, xId: number, perChannel: readonly number[]): BnDims {
  const x = tensorOf(graph, xId);
  const [C, P] = channelsAndPositions(x);
  for (const id of perChannel) {
    const t = tensorOf(graph, id);
    if (numel(t.shape) !== C || t.batched) throw new Error(`internal: batchnorm per-channel tensor ${t.name} (${t.shape.join('×')}) for ${C} channels`);
  }
  return { C, P, x };
}

/** vec4 units along positions when P allows: a quarter of the loop trips and loads. */
function unitType(d: BnDims): 'vec4<f32>' | 'f32' {
  return d.P % 4 === 0 ? 'vec4<f32>' : 'f32';
}

/**
 * Constants, the flat-index helper, and the two partial-sum arrays. A channel holds m units of T
 * (M = N·P values); \`hsum\` folds a T accumulator into one f32.
 */
function header(comment: string, buffers: readonly BufferDecl[], d: BnDims, wg: number, run: number, extra: string): string {
  const vec = unitType(d) === 'vec4<f32>';
  return `// ${comment}: ${d.C} channels × ${d.P} positions${d.x.batched ? ' × batch' : ''}, one workgroup per channel, ${vec ? 'vec4' : 'scalar'}
${declareBindings(buffers)}
alias T = ${unitType(d)};
const C = ${u32(d.C)};
const UNITS = ${u32(vec ? d.P / 4 : d.P)};
const WG = ${u32(wg)};
const RUN = ${u32(run)};
${extra}
var<workgroup> partA: array<f32, ${wg}>;
var<workgroup> partB: array<f32, ${wg}>;

/** Index of the e-th unit (sample e / UNITS, unit e % UNITS) of channel c. */
fn at(e: u32, c: u32) -> u32 {
  return ((e / UNITS) * C + c) * UNITS + e % UNITS;
}

fn hsum(v: T) -> f32 {
  return ${vec ? 'v.x + v.y + v.z + v.w' : 'v'};
}

${entryPoint(wg)}
  let c = wg;
  if (c >= C) { return; }
  let m = ${batchOf(d.x)} * UNITS;
  let mf = f32(${batchOf(d.x)} * ${u32(d.P)});
  // Each run of RUN neighbouring invocations sweeps its own contiguous part of the channel, RUN
  // neighbouring units at a time (variants.ts reductionRun: 8 on software adapters, WG on GPUs).
  let part = (m + WG - 1u) / WG * RUN;
  let e0 = (lid / RUN) * part + lid % RUN;
  let e1 = min(m, (lid / RUN + 1u) * part);`;
}

/** Sums partial arrays after the barrier, in every invocation. */
function sumParts(names: readonly [string, string][]): string {
  const decl = names.map(([v]) => `  var ${v} = 0.0;`).join('\n');
  const adds = names.map(([v, arr]) => `${v} += ${arr}[k];`).join(' ');
  return `${decl}\n  for (var k = 0u; k < ${bound('WG')}; k++) { ${adds} }`;
}

function perChannelKernel(op: Op, name: string, buffers: readonly BufferDecl[], source: string, C: number, target: TargetInfo): Kernel {
  return { name: `${name}:${op.layer}`, layer: op.layer, source, bindings: bindingsOf(buffers), workgroups: fixedWorkgroups(C) };
}

/**
 * Training: [x, gamma, beta, running_mean, running_var] → [y, mean, invstd]. Mean and biased
 * variance from one pass of sums shifted by a value of the channel (E[x²] − E[x]² unshifted
 * cancels badly; a centred second pass cost a third read of x), one barrier; the running
 * statistics (read_write bindings 3 and 4) take the unbiased variance, ×M/(M − 1) when M > 1.
 */
function emitTraining(op: Extract<Op, { kind: 'batchnorm' }>, graph: Graph, target: TargetInfo, epilogue?: Epilogue): Kernel {
  const [x, gamma, beta, rm, rv] = op.inputs;
  const [y, mean, invstd] = op.outputs;
  const d = bnDims(graph, x, [gamma, beta, rm, rv, mean, invstd]);
  const type = unitType(d);
  const output = typedOutputWrite('out', y, type, epilogue);
  const buffers: BufferDecl[] = [
    { name: 'x', tensor: x, access: 'read', type },
    { name: 'gamma', tensor: gamma, access: 'read' },
    { name: 'beta', tensor: beta, access: 'read' },
    { name: 'runMean', tensor: rm, access: 'read_write' },
    { name: 'runVar', tensor: rv, access: 'read_write' },
    ...output.buffers,
    { name: 'saveMean', tensor: mean, access: 'read_write' },
    { name: 'saveInvstd', tensor: invstd, access: 'read_write' },
  ];
  const wg = reductionWorkgroup(target);
  const source = `${header('batchnorm (training)', buffers, d, wg, reductionRun(target), `const EPS = ${f32(op.eps)};\nconst MOM = ${f32(op.momentum)};${output.fns}`)}
  // Sums of x − K and (x − K)² in one pass, K the mean of the channel's first unit: shifted by a
  // value of the data, E[(x − K)²] − E[x − K]² does not cancel the way E[x²] − E[x]² does.
  let shiftK = ${unitType(d) === 'vec4<f32>' ? 'T(hsum(x[at(0u, c)]) * 0.25)' : 'x[at(0u, c)]'};
  var s = T(0.0);
  var q = T(0.0);
  for (var e = e0; e < e1; e += RUN) {
    let dv = x[at(e, c)] - shiftK;
    s += dv;
    q += dv * dv;
  }
  partA[lid] = hsum(s);
  partB[lid] = hsum(q);
  workgroupBarrier();
${sumParts([['total', 'partA'], ['sq0', 'partB']])}
  let meanK = total / mf;
  let mu = shiftK${unitType(d) === 'vec4<f32>' ? '.x' : ''} + meanK;
  let variance = max(sq0 / mf - meanK * meanK, 0.0);
  let sq = variance * mf;
  let inv = 1.0 / sqrt(variance + EPS);
  let scale = gamma[c] * inv;
  let shift = beta[c];
  for (var e = e0; e < e1; e += RUN) {
    let j = at(e, c);
    ${output.write('j', '(x[j] - mu) * scale + shift')}
  }
  if (lid == 0u) {
    saveMean[c] = mu;
    saveInvstd[c] = inv;
    let unbiased = select(variance, sq / (mf - 1.0), mf > 1.0);
    runMean[c] = (1.0 - MOM) * runMean[c] + MOM * mu;
    runVar[c] = (1.0 - MOM) * runVar[c] + MOM * unbiased;
  }
}
`;
  return perChannelKernel(op, 'batchnorm_train', buffers, source, d.C, target);
}

/**
 * Inference: [x, gamma, beta, running_mean, running_var] → [y], elementwise. The four per-channel
 * loads dominate on lavapipe (each a gather there), so when P is a multiple of 4 an item is a
 * vec4 of one channel and loads them once for four elements.
 */
function emitInference(op: Extract<Op, { kind: 'batchnorm' }>, graph: Graph, target: TargetInfo, epilogue?: Epilogue): Kernel {
  const [x, gamma, beta, rm, rv] = op.inputs;
  const d = bnDims(graph, x, [gamma, beta, rm, rv]);
  const vec = d.P % 4 === 0;
  const type: 'vec4<f32>' | 'f32' = vec ? 'vec4<f32>' : 'f32';
  const output = typedOutputWrite('out', op.outputs[0], type, epilogue);
  const buffers: BufferDecl[] = [
    { name: 'x', tensor: x, access: 'read', type },
    { name: 'gamma', tensor: gamma, access: 'read' },
    { name: 'beta', tensor: beta, access: 'read' },
    { name: 'runMean', tensor: rm, access: 'read' },
    { name: 'runVar', tensor: rv, access: 'read' },
    ...output.buffers,
  ];
  const units = vec ? d.P / 4 : d.P;
  return perElementKernel(
    {
      name: 'batchnorm_infer', layer: op.layer, comment: `batchnorm (inference): ${d.C} channels × ${d.P} positions, ${vec ? 'vec4' : 'scalar'}`, buffers,
      units: d.C * units, batched: d.x.batched, tile: lightTile(target),
      prelude: `const C = ${u32(d.C)};\nconst UNITS = ${u32(units)};\nconst EPS = ${f32(op.eps)};${output.fns}`,
      body: `  let c = (i / UNITS) % C;
  let scale = gamma[c] / sqrt(runVar[c] + EPS);
  ${output.write('i', '(x[i] - runMean[c]) * scale + beta[c]')}`,
    },
    target,
  );
}

/**
 * batchnorm: training (statistics, normalisation, running statistics) or inference; a fused
 * epilogue (ir/fuse.ts: adds, activations) applied to each normalised value as it is stored.
 */
export function emitBatchnorm(op: Op, graph: Graph, target: TargetInfo, epilogue?: Epilogue): Kernel {
  expectKind(op, 'batchnorm', 'emitBatchnorm');
  return op.training ? emitTraining(op, graph, target, epilogue) : emitInference(op, graph, target, epilogue);
}

/**
 * batchnorm_grad: [dy, x, gamma, mean, invstd] → [dx, dgamma, dbeta], one workgroup per channel and
 * one barrier: dβ = Σdy and dγ = Σdy·x̂ together, then dx = γ·invstd/M·(M·dy − dβ − x̂·dγ).
 */
export function emitBatchnormGrad(op: Op, graph: Graph, target: TargetInfo): Kernel {
  expectKind(op, 'batchnorm_grad', 'emitBatchnormGrad');
  const [dy, x, gamma, mean, invstd] = op.inputs;
  const [dx, dgamma, dbeta] = op.outputs;
  const d = bnDims(graph, x, [gamma, mean, invstd, dgamma, dbeta]);
  const type = unitType(d);
  const buffers: BufferDecl[] = [
    { name: 'dy', tensor: dy, access: 'read', type },
    { name: 'x', tensor: x, access: 'read', type },
    { name: 'gamma', tensor: gamma, access: 'read' },
    { name: 'mean', tensor: mean, access: 'read' },
    { name: 'invstd', tensor: invstd, access: 'read' },
    { name: 'dx', tensor: dx, access: 'read_write', type },
    { name: 'dgamma', tensor: dgamma, access: 'read_write' },
    { name: 'dbeta', tensor: dbeta, access: 'read_write' },
  ];
  const wg = reductionWorkgroup(target);
  const source = `${header('batchnorm_grad', buffers, d, wg, reductionRun(target), '')}
  let mu = mean[c];
  let inv = invstd[c];
  var sdy = T(0.0);
  var sdyx = T(0.0);
  for (var e = e0; e < e1; e += RUN) {
    let j = at(e, c);
    let g = dy[j];
    sdy += g;
    sdyx += g * (x[j] - mu);
  }
  partA[lid] = hsum(sdy);
  partB[lid] = hsum(sdyx);
  workgroupBarrier();
${sumParts([['db', 'partA'], ['dgc', 'partB']])}
  let dg = dgc * inv;
  // dx = k·(M·dy − dβ − x̂·dγ) as a·dy + b·x + c: two FMAs per value.
  let k = gamma[c] * inv / mf;
  let a = T(k * mf);
  let b = T(-k * inv * dg);
  let cc = T(k * (mu * inv * dg - db));
  for (var e = e0; e < e1; e += RUN) {
    let j = at(e, c);
    dx[j] = fma(a, dy[j], fma(b, x[j], cc));
  }
  if (lid == 0u) {
    dgamma[c] = dg;
    dbeta[c] = db;
  }
}
`;
  return perChannelKernel(op, 'batchnorm_grad', buffers, source, d.C, target);
}
