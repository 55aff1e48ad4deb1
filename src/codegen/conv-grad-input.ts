import type { Graph, Op } from '../ir/graph.js';
import type { Kernel, ScratchSpace, TargetInfo } from './kernel.js';
import { GRADIENT_TEXTURE, textureConvKernels } from './conv-texture.js';
import { convComment, convConstants } from './conv-common.js';
import { sharedGemmSource } from './gemm-shared.js';
import { directConvSource, directConvWorkgroups, type DirectConvSpec } from './conv-direct.js';
import { phasedGradInput } from './conv-grad-input-phases.js';
import { convDimsOf, type ConvDims } from './shapes.js';
import { directConvTile, gemmVariant, phasedGradInputTile, subgroupLanes, reductionWorkgroup, textureConvTile, type GemmVariant, type RegisterTile, type SharedTile } from './variants.js';
import { gradientRead, outputWrite, type Epilogue, type GradientRead, type OutputWrite, type Prologue } from './elementwise.js';
import { bindingsOf, bound, ceilDiv, declareBindings, range, u32, type BufferDecl } from './wgsl.js';

/**
 * conv2d_grad_input ([dy, w] → [dx]) as an implicit GEMM per group: M = input channels of the
 * group, N = batch·H·W input positions, K = output channels of the group × KH × KW. An input pixel
 * (ih, iw) receives tap (kh, kw) from output row oh = (ih + PT − kh·DH) / SH when that divides
 * exactly and lands inside the output. Replicate padding sums several output rows onto an edge
 * pixel, which is not a GEMM: it gets a direct kernel. On software adapters stride 1 is a direct
 * forward conv of dy, and larger strides one such conv per stride phase.
 *
 * A fused prologue (an activation derivative) is applied at every load of dy, a fused epilogue
 * (the derivative of the activation before the conv, a gradient sum) to every value stored.
 */
export function emitConv2dGradInput(op: Op, graph: Graph, target: TargetInfo, variant?: GemmVariant, prologue?: Prologue, epilogue?: Epilogue): Kernel {
  if (op.kind !== 'conv2d_grad_input') throw new Error(`internal: emitConv2dGradInput got ${op.kind}`);
  const d = convDimsOf(op, graph);
  const dy = gradientRead('dy', op.inputs[0], prologue);
  const dx = outputWrite('dx', op.outputs[0], epilogue);
  const buffers: BufferDecl[] = [...dy.buffers, { name: 'w', tensor: op.inputs[1], access: 'read' }, ...dx.buffers];
  const fns = dy.fns + dx.fns;
  const header = `${convComment('conv2d grad input', d)}\n${declareBindings(buffers)}${fns}\n${convConstants(d)}`;
  const positions = d.H * d.W;
  const base = { name: `conv2d_grad_input:${op.layer}`, layer: op.layer, bindings: bindingsOf(buffers) };
  if (d.replicate) {
    const wg = reductionWorkgroup(target);
    return { ...base, source: replicateSource(header, wg, dy, dx.write), workgroups: { units: d.C * d.H * d.W, batched: true, perWorkgroup: wg, times: 1 } };
  }
  const direct = d.SH === 1 && d.SW === 1;
  if (!direct && !variant && target.software) {
    // Strided: one dense stride-1 direct conv per stride phase (conv-grad-input-phases.ts).
    const comment = convComment(`conv2d grad input (stride ${d.SH}×${d.SW} as ${d.SH * d.SW} stride phases)`, d);
    return { ...base, ...phasedGradInput(`${comment}\n${declareBindings(buffers)}${fns}`, d, dy, dx.write, phasedGradInputTile(target, d.Cg), subgroupLanes(target)) };
  }
  const v = variant ?? (target.software && direct ? directConvTile(target, d.Cg) : gemmVariant(target, d.Cg));
  if (v.kind === 'register' && direct) {
    const spec = directSpec(`${convComment('conv2d grad input (stride 1, as a forward conv)', d)}\n${declareBindings(buffers)}${fns}`, d, v, subgroupLanes(target), dy, dx.write);
    return { ...base, source: directConvSource(spec), workgroups: directConvWorkgroups(spec) };
  }
  if (v.kind === 'register') {
    return {
      ...base,
      source: registerSource(header, d, v, subgroupLanes(target), dy, dx.write),
      workgroups: { units: positions, batched: true, perWorkgroup: v.wg * v.tn, times: ceilDiv(d.Cg, v.tm) * d.groups },
    };
  }
  return {
    ...base,
    source: sharedSource(header, d, v, dy, dx.write),
    workgroups: { units: positions, batched: true, perWorkgroup: v.bn, times: ceilDiv(d.Cg, v.bm) * d.groups },
  };
}

/**
 * conv2d_grad_input at stride 1 as the texture GEMM of conv-texture.ts: the forward conv of dy
 * (read through any fused prologue as it is copied) with the kernel flipped and its channel axes
 * swapped, as directSpec below; undefined where variants.ts keeps one kernel.
 */
export function emitConv2dGradInputTextured(op: Op, graph: Graph, target: TargetInfo, scratch: ScratchSpace, prologue?: Prologue, epilogue?: Epilogue): Kernel[] | undefined {
  if (op.kind !== 'conv2d_grad_input') throw new Error(`internal: emitConv2dGradInputTextured got ${op.kind}`);
  const d = convDimsOf(op, graph);
  const tile = textureConvTile(target, 'train', d.O, d.C, d.groups);
  if (!tile || d.replicate || d.SH !== 1 || d.SW !== 1) return undefined;
  const kh = d.KH * d.KW;
  return textureConvKernels('conv2d_grad_input', op.layer, {
    comment: convComment('conv2d grad input (stride 1, as a forward conv)', d).replace(/^\/\/ /, ''),
    input: gradientRead('dy', op.inputs[0], prologue),
    inputTexture: GRADIENT_TEXTURE,
    weights: op.inputs[1],
    // Output channel m of this conv is input channel m of the forward one: w[c, m, KH−1−kh, KW−1−kw].
    weightIndex: (m, c, h, w) => `((${c} * ${u32(d.C)} + ${m}) * ${u32(kh)} + (${u32(d.KH - 1)} - ${h}) * ${u32(d.KW)} + ${u32(d.KW - 1)} - ${w})`,
    output: outputWrite('dx', op.outputs[0], epilogue),
    inC: d.O, inH: d.OH, inW: d.OW, outC: d.C, outH: d.H, outW: d.W, kh: d.KH, kw: d.KW,
    stride: [1, 1], dilation: [d.DH, d.DW], padTop: d.DH * (d.KH - 1) - d.PT, padLeft: d.DW * (d.KW - 1) - d.PL, replicate: false,
    tile,
  }, scratch);
}

/** A statement storing a value of dx at a flat index, through any fused epilogue. */
type Store = OutputWrite['write'];

/**
 * At stride 1, dx is a forward conv of dy with the kernel flipped and its channel axes swapped:
 * dx[ci, ih, iw] = Σ dy[o, ih − P′ + kh′·D, …]·w[o, ci, KH−1−kh′, KW−1−kw′] with P′ = D·(K−1) − P.
 */
function directSpec(header: string, d: ConvDims, tile: RegisterTile, lanes: number | undefined, dy: GradientRead, store: Store): DirectConvSpec {
  return {
    header, read: dy.read, write: store, weights: 'w',
    inC: d.O, inH: d.OH, inW: d.OW, outC: d.C, outH: d.H, outW: d.W, groups: d.groups, kh: d.KH, kw: d.KW,
    stride: [1, 1], dilation: [d.DH, d.DW], padTop: d.DH * (d.KH - 1) - d.PT, padLeft: d.DW * (d.KW - 1) - d.PL, replicate: false,
    // w[g·OG + c, m, KH−1−kh, KW−1−kw]: input channel c of dy is output channel o of the conv
    wBase: (m) => `(g * ${u32(d.Og * d.Cg)} + ${m}) * ${u32(d.KH * d.KW)}`,
    wStrideC: d.Cg * d.KH * d.KW,
    wTapRow: (kh) => `(${u32(d.KH - 1)} - ${kh}) * ${u32(d.KW)}`,
    wTapCol: (kw) => `(${u32(d.KW - 1)} - ${kw})`,
    tile,
    ...(lanes ? { subgroupLanes: lanes } : {}),
  };
}

/** The tap condition along one axis: the output index `o${axis}${j}` and whether it is valid. */
function tapLines(axis: 'h' | 'w', j: number, d: ConvDims, indent: string): string[] {
  const [t, s, size, lim] = axis === 'h' ? ['th', d.SH, 'OH_I', 'DH'] : ['tw', d.SW, 'OW_I', 'DW'];
  const k = axis === 'h' ? 'kh' : 'kw';
  const pos = axis === 'h' ? `ih${j}` : `iw${j}`;
  const pad = axis === 'h' ? 'PT' : 'PL';
  const lines = [`${indent}let ${t}${j} = ${pos} + ${pad} - i32(${k} * ${lim});`];
  if (s === 1) {
    lines.push(`${indent}let o${axis}${j} = ${t}${j};`);
    lines.push(`${indent}let ok${axis}${j} = ${t}${j} >= 0i && ${t}${j} < ${size};`);
  } else {
    const S = axis === 'h' ? 'SH_I' : 'SW_I';
    lines.push(`${indent}let o${axis}${j} = ${t}${j} / ${S};`);
    lines.push(`${indent}let ok${axis}${j} = ${t}${j} >= 0i && ${t}${j} % ${S} == 0i && o${axis}${j} < ${size};`);
  }
  return lines;
}

/**
 * Register tile: tm input channels × tn positions per invocation, vec4 along positions; loops kh,
 * kw outside (tap validity once per tap) and output channels inside (loads and FMAs only).
 */
function registerSource(header: string, d: ConvDims, t: RegisterTile, lanes: number | undefined, dy: GradientRead, store: Store): string {
  const { tm, tn, wg } = t;
  if (tn % 4 !== 0) throw new Error(`internal: register tile tn=${tn} is not a multiple of 4`);
  const J = range(tn);
  const I = range(tm);
  const V = range(tn / 4);
  // With subgroups the tm weights of a step, the same in every invocation, are loaded one per lane.
  const R = range(lanes ? Math.ceil(tm / lanes) : 0);
  const lines: string[] = [];
  const p = (s: string) => lines.push(s);
  if (lanes) p('enable subgroups;');
  p(header);
  p(`const TM = ${u32(tm)};`);
  p(`const WG = ${u32(wg)};`);
  p(`const POS_PER_WG = ${u32(wg * tn)};`);
  p(`const TILES_M = ${u32(ceilDiv(d.Cg, tm))};`);
  p('');
  p(`@compute @workgroup_size(${wg})`);
  const sl = lanes ? ', @builtin(subgroup_invocation_id) sl: u32' : '';
  p(`fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32${sl}) {`);
  p('  let wg = wid.x + wid.y * nwg.x;');
  p('  let npos = params.batch * HW;');
  p('  let tilesN = (npos + POS_PER_WG - 1u) / POS_PER_WG;');
  p('  if (wg >= tilesN * TILES_M * GROUPS) { return; }');
  p('  let tn = wg % tilesN;');
  p('  let rest = wg / tilesN;');
  p('  let m0 = (rest % TILES_M) * TM;');
  p('  let g = rest / TILES_M;');
  for (const j of J) {
    p(`  let n${j} = tn * POS_PER_WG + ${j}u * WG + lid;`);
    p(`  let ok${j} = n${j} < npos;`);
    p(`  let nb${j} = n${j} / HW;`);
    p(`  let p${j} = n${j} % HW;`);
    p(`  let dyb${j} = nb${j} * OHWO + g * OG * OHW;`);
    p(`  let ih${j} = i32(p${j} / W);`);
    p(`  let iw${j} = i32(p${j} % W);`);
  }
  // w[g·OG + o, ci, kh, kw]: rows past the group's last channel read a valid row, never stored.
  if (lanes) for (const r of R) p(`  let wl${r} = (g * OG * CG + min(m0 + sl + ${u32(r * lanes)}, CG - 1u)) * KHKW;`);
  else for (const i of I) p(`  let wr${i} = (g * OG * CG + min(m0 + ${i}u, CG - 1u)) * KHKW;`);
  for (const i of I) for (const v of V) p(`  var acc${i}_${v} = vec4<f32>(0.0);`);
  p(`  for (var kh = 0u; kh < ${bound('KH')}; kh++) {`);
  for (const j of J) lines.push(...tapLines('h', j, d, '    '));
  for (const j of J) p(`    let rowok${j} = ok${j} && okh${j};`);
  p(`    for (var kw = 0u; kw < ${bound('KW')}; kw++) {`);
  for (const j of J) {
    lines.push(...tapLines('w', j, d, '      '));
    p(`      let in${j} = rowok${j} && okw${j};`);
    p(`      var yo${j} = select(0u, dyb${j} + u32(oh${j}) * OW + u32(ow${j}), in${j});`);
  }
  for (const v of V) p(`      let mask${v} = vec4<bool>(${range(4).map((l) => `in${v * 4 + l}`).join(', ')});`);
  p('      var wo = kh * KW + kw;');
  p(`      for (var o = 0u; o < ${bound('OG')}; o++) {`);
  for (const v of V) p(`        let dv${v} = select(vec4<f32>(0.0), vec4<f32>(${range(4).map((l) => dy.read(`yo${v * 4 + l}`)).join(', ')}), mask${v});`);
  for (const r of R) p(`        let ws${r} = w[wl${r} + wo];`);
  for (const i of I) {
    if (lanes) p(`        let w${i} = vec4<f32>(subgroupBroadcast(ws${Math.floor(i / lanes)}, ${u32(i % lanes)}));`);
    else p(`        let w${i} = vec4<f32>(w[wr${i} + wo]);`);
    for (const v of V) p(`        acc${i}_${v} = fma(w${i}, dv${v}, acc${i}_${v});`);
  }
  for (const j of J) p(`        yo${j} += OHW;`);
  p('        wo += CG * KHKW;');
  p('      }');
  p('    }');
  p('  }');
  for (const i of I) {
    p(`  if (m0 + ${i}u < CG) {`);
    p(`    let c${i} = g * CG + m0 + ${i}u;`);
    for (const j of J) p(`    if (ok${j}) { ${store(`(nb${j} * C + c${i}) * HW + p${j}`, `acc${i}_${Math.floor(j / 4)}[${j % 4}]`)} }`);
    p('  }');
  }
  p('}');
  return lines.join('\n') + '\n';
}

function sharedSource(header: string, d: ConvDims, t: SharedTile, dy: GradientRead, store: Store): string {
  const fns = `
fn loadA(g: u32, m: u32, k: u32) -> f32 {
  // k = (o, kh, kw) within the group; A(m = ci, k) = w[g·OG + o, ci, kh, kw]
  return w[((g * OG + k / KHKW) * CG + m) * KHKW + k % KHKW];
}
fn loadB(g: u32, k: u32, n: u32) -> f32 {
  let o = k / KHKW;
  let r = k % KHKW;
  let nb = n / HW;
  let p = n % HW;
  let th = i32(p / W) + PT - i32((r / KW) * DH);
  let tw = i32(p % W) + PL - i32((r % KW) * DW);
  if (th < 0i || tw < 0i || th % SH_I != 0i || tw % SW_I != 0i) { return 0.0; }
  let oh = th / SH_I;
  let ow = tw / SW_I;
  if (oh >= OH_I || ow >= OW_I) { return 0.0; }
  return ${dy.read('nb * OHWO + (g * OG + o) * OHW + u32(oh) * OW + u32(ow)')};
}
fn storeC(g: u32, m: u32, n: u32, v: f32) {
  let i = ((n / HW) * C + g * CG + m) * HW + n % HW;
  ${store('i', 'v')}
}`;
  return sharedGemmSource({ header: header + fns, M: 'CG', N: '(params.batch * HW)', K: '(OG * KHKW)', groups: d.groups, tile: t });
}

/**
 * Replicate padding, one dx element per invocation. Along each axis the output rows whose clamped
 * source row is ih form one range: r(oh) = oh·S − P + k·D is increasing, and clamp(r) = ih means
 * r ≤ 0 on the first row, r ≥ H − 1 on the last, r = ih inside.
 */
function replicateSource(header: string, wg: number, dy: GradientRead, store: Store): string {
  return `${header}
const WG = ${u32(wg)};

fn floorDiv(a: i32, b: i32) -> i32 {
  let q = a / b;
  return select(q, q - 1i, (a % b != 0i) && (a < 0i));
}
fn ceilDiv(a: i32, b: i32) -> i32 {
  return -floorDiv(-a, b);
}
// Output indices [lo, hi] along one axis whose clamped source is i (tap offset t = k·D − P).
fn outRange(i: i32, size: i32, t: i32, s: i32, outSize: i32) -> vec2<i32> {
  var lo = ceilDiv(i - t, s);
  var hi = floorDiv(i - t, s);
  if (i == 0i) { lo = 0i; }
  if (i == size - 1i) { hi = outSize - 1i; }
  return vec2<i32>(max(lo, 0i), min(hi, outSize - 1i));
}

@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let e = (wid.x + wid.y * nwg.x) * WG + lid;
  if (e >= params.batch * CHW) { return; }
  let nb = e / CHW;
  let ci = (e / HW) % C;
  let g = ci / CG;
  let cl = ci % CG;
  let ih = i32((e % HW) / W);
  let iw = i32(e % W);
  var acc = 0.0;
  for (var kh = 0u; kh < ${bound('KH')}; kh++) {
    let rh = outRange(ih, H_I, i32(kh * DH) - PT, SH_I, OH_I);
    for (var kw = 0u; kw < ${bound('KW')}; kw++) {
      let rw = outRange(iw, W_I, i32(kw * DW) - PL, SW_I, OW_I);
      for (var o = 0u; o < ${bound('OG')}; o++) {
        let wv = w[((g * OG + o) * CG + cl) * KHKW + kh * KW + kw];
        let plane = nb * OHWO + (g * OG + o) * OHW;
        var s = 0.0;
        for (var oh = rh.x; oh <= rh.y; oh++) {
          for (var ow = rw.x; ow <= rw.y; ow++) {
            s += ${dy.read('plane + u32(oh) * OW + u32(ow)')};
          }
        }
        acc = fma(wv, s, acc);
      }
    }
  }
  ${store('e', 'acc')}
}
`;
}
