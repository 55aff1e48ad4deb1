import type { Graph, Op } from '../ir/graph.js';
import type { Kernel, ScratchSpace, TargetInfo } from './kernel.js';
import { convComment, convConstants } from './conv-common.js';
import { convDimsOf, type ConvDims } from './shapes.js';
import { interiorColumns, lanesSource, lanesWorkgroups, partialLayout, type LanesTile } from './conv-grad-weight-lanes.js';
import { emitSumPartials } from './sum-partials.js';
import { lanesTile, splitKTile, weightGradSplits, type SplitKTile } from './variants.js';
import { gradientRead, type GradientRead, type WeightGradFusion } from './elementwise.js';
import { bindingsOf, bound, ceilDiv, declareBindings, fixedWorkgroups, range, u32, type BufferDecl } from './wgsl.js';

/**
 * conv2d_grad_weight ([dy, x] → [dw], summed over the batch) as an implicit GEMM per group:
 * M = output channels of the group, N = input channels of the group × KH × KW (the columns of dw),
 * K = batch·OH·OW. K is long and M·N often small (the first layers), so one workgroup owns one
 * tm × tn tile of dw and its invocations split K: each sums whole output rows (nb, oh), then one
 * barrier and a sum over the invocations in workgroup memory. Works on every target; the only
 * barrier is after the main loop. Software adapters with subgroups use conv-grad-weight-lanes.ts.
 *
 * Fused: a prologue is applied at every load of dy; a bias gradient is summed from the same loads
 * by the workgroups of the first column tile, which own every output channel once.
 */
export function emitConv2dGradWeight(op: Op, graph: Graph, target: TargetInfo, tile?: SplitKTile | LanesTile, fusion: WeightGradFusion = {}): Kernel {
  if (op.kind !== 'conv2d_grad_weight') throw new Error(`internal: emitConv2dGradWeight got ${op.kind}`);
  const d = convDimsOf(op, graph);
  const dy = gradientRead('dy', op.inputs[0], fusion.prologue);
  const bias = fusion.biasGrad !== undefined;
  const buffers: BufferDecl[] = [
    ...dy.buffers,
    { name: 'x', tensor: op.inputs[1], access: 'read' },
    { name: 'dw', tensor: op.outputs[0], access: 'read_write' },
    ...(fusion.biasGrad !== undefined ? [{ name: 'db', tensor: fusion.biasGrad, access: 'read_write' } as const] : []),
  ];
  const header = `${convComment('conv2d grad weight', d)}\n${declareBindings(buffers)}${dy.fns}\n${convConstants(d)}`;
  const base = { name: `conv2d_grad_weight:${op.layer}`, layer: op.layer, bindings: bindingsOf(buffers) };
  const lanes = tile ? ('lanes' in tile ? tile : undefined) : lanesTile(target, d.Og);
  if (lanes) return { ...base, source: lanesSource(header, d, lanes, dy, bias), workgroups: fixedWorkgroups(lanesWorkgroups(d, lanes)) };
  const t = tile && !('lanes' in tile) ? tile : splitKTile(target, d.Og);
  const workgroups = fixedWorkgroups(ceilDiv(d.Og, t.tm) * ceilDiv(d.Cg * d.KH * d.KW, t.tn) * d.groups);
  return { ...base, source: source(header, d, t, dy, bias), workgroups };
}

/**
 * The weight gradient as two kernels where its lanes tiles are too few to keep a software
 * adapter's threads busy (variants.ts weightGradSplits): the lanes kernel over slices of the
 * batch writing partial sums to a scratch buffer, then their sum into dw (and db). Undefined where
 * one kernel is the better choice (enough tiles, a GPU, no subgroups); `tile` overrides the
 * lanes tile and `splits` the slice count (tests).
 */
export function emitConv2dGradWeightSplit(
  op: Op, graph: Graph, target: TargetInfo, scratch: ScratchSpace, fusion: WeightGradFusion = {}, choice: { tile?: LanesTile; splits?: number } = {},
): Kernel[] | undefined {
  if (op.kind !== 'conv2d_grad_weight') throw new Error(`internal: emitConv2dGradWeightSplit got ${op.kind}`);
  const d = convDimsOf(op, graph);
  const lanes = choice.tile ?? lanesTile(target, d.Og);
  if (!lanes) return undefined;
  const splits = choice.splits ?? weightGradSplits(target, lanesWorkgroups(d, lanes));
  if (splits <= 1) return undefined;
  const bias = fusion.biasGrad !== undefined;
  const layout = partialLayout(d, bias);
  const part = scratch.tensor(`${op.layer}.weight_grad_partials`, splits * layout.stride);
  const dy = gradientRead('dy', op.inputs[0], fusion.prologue);
  const buffers: BufferDecl[] = [...dy.buffers, { name: 'x', tensor: op.inputs[1], access: 'read' }, { name: 'part', tensor: part, access: 'read_write' }];
  const header = `${convComment(`conv2d grad weight, ${splits} slices of the batch`, d)}\n${declareBindings(buffers)}${dy.fns}\n${convConstants(d)}`;
  const partial: Kernel = {
    name: `conv2d_grad_weight_partial:${op.layer}`,
    layer: op.layer,
    bindings: bindingsOf(buffers),
    source: lanesSource(header, d, lanes, dy, bias, splits),
    workgroups: fixedWorkgroups(lanesWorkgroups(d, lanes, splits)),
  };
  const targets = [{ tensor: op.outputs[0], offset: 0, length: layout.dw }, ...(bias ? [{ tensor: fusion.biasGrad!, offset: layout.dw, length: layout.stride - layout.dw }] : [])];
  return [partial, emitSumPartials(`conv2d_grad_weight_sum:${op.layer}`, op.layer, part, splits, layout.stride, targets, target)];
}

function source(header: string, d: ConvDims, t: SplitKTile, dy: GradientRead, bias: boolean): string {
  const { tm, tn, wg } = t;
  if (tn % 4 !== 0) throw new Error(`internal: split-K tile tn=${tn} is not a multiple of 4`);
  if (tm * tn > wg) throw new Error(`internal: split-K tile ${tm}×${tn} has more outputs than ${wg} invocations`);
  const J = range(tn);
  const I = range(tm);
  const V = range(tn / 4);
  const [lo, hi] = interiorColumns(d);
  const lines: string[] = [];
  const p = (s: string) => lines.push(s);
  p(header);
  p(`const TM = ${u32(tm)};`);
  p(`const TN = ${u32(tn)};`);
  p(`const WG = ${u32(wg)};`);
  p(`const NQ = ${u32(d.Cg * d.KH * d.KW)};`);
  p(`const TILES_M = ${u32(ceilDiv(d.Og, tm))};`);
  p(`const TILES_N = ${u32(ceilDiv(d.Cg * d.KH * d.KW, tn))};`);
  p(`var<workgroup> partial: array<f32, ${tm * tn * wg}>;`);
  p('');
  p(`@compute @workgroup_size(${wg})`);
  p('fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {');
  p('  let wg = wid.x + wid.y * nwg.x;');
  p('  if (wg >= TILES_N * TILES_M * GROUPS) { return; }');
  p('  let qb = (wg % TILES_N) * TN;');
  p('  let rest = wg / TILES_N;');
  p('  let m0 = (rest % TILES_M) * TM;');
  p('  let g = rest / TILES_M;');
  for (const j of J) {
    // Columns past the last one compute a valid column and are never stored.
    p(`  let q${j} = min(qb + ${j}u, NQ - 1u);`);
    p(`  let xc${j} = (g * CG + q${j} / KHKW) * HW;`);
    p(`  let dh${j} = i32(((q${j} % KHKW) / KW) * DH) - PT;`);
    p(`  let dw${j} = i32((q${j} % KW) * DW) - PL;`);
  }
  for (const i of I) {
    p(`  let yc${i} = (g * OG + min(m0 + ${i}u, OG - 1u)) * OHW;`);
    for (const v of V) p(`  var acc${i}_${v} = vec4<f32>(0.0);`);
    if (bias) p(`  var bs${i} = 0.0;`);
  }
  p('  let rows = params.batch * OH;');
  p('  for (var r = lid; r < rows; r += WG) {');
  p('    let nb = r / OH;');
  p('    let oh = r % OH;');
  p('    let xn = nb * CHW;');
  p('    let yr = nb * OHWO + oh * OW;');
  for (const j of J) {
    p(`    let ih${j} = i32(oh * SH) + dh${j};`);
    if (d.replicate) {
      p(`    let xr${j} = xn + xc${j} + u32(clamp(ih${j}, 0i, H_I - 1i)) * W;`);
    } else {
      p(`    let rowok${j} = ih${j} >= 0i && ih${j} < H_I;`);
      p(`    let xr${j} = select(0u, xn + xc${j} + u32(ih${j}) * W, rowok${j});`);
    }
  }
  if (!d.replicate) for (const v of V) p(`    let rmask${v} = vec4<bool>(${range(4).map((l) => `rowok${v * 4 + l}`).join(', ')});`);
  const body = (checked: boolean): void => {
    for (const j of J) {
      p(`      let iw${j} = i32(ow * SW) + dw${j};`);
      if (!checked) p(`      let xo${j} = xr${j} + u32(iw${j});`);
      else if (d.replicate) p(`      let xo${j} = xr${j} + u32(clamp(iw${j}, 0i, W_I - 1i));`);
      else {
        p(`      let in${j} = rowok${j} && iw${j} >= 0i && iw${j} < W_I;`);
        p(`      let xo${j} = select(0u, xr${j} + u32(iw${j}), in${j});`);
      }
    }
    for (const v of V) {
      const loads = `vec4<f32>(${range(4).map((l) => `x[xo${v * 4 + l}]`).join(', ')})`;
      if (d.replicate) p(`      let xv${v} = ${loads};`);
      else if (checked) p(`      let xv${v} = select(vec4<f32>(0.0), ${loads}, vec4<bool>(${range(4).map((l) => `in${v * 4 + l}`).join(', ')}));`);
      else p(`      let xv${v} = select(vec4<f32>(0.0), ${loads}, rmask${v});`);
    }
    for (const i of I) {
      p(`      let ds${i} = ${dy.read(`yc${i} + yr + ow`)};`);
      p(`      let d${i} = vec4<f32>(ds${i});`);
      if (bias) p(`      bs${i} += ds${i};`);
      for (const v of V) p(`      acc${i}_${v} = fma(d${i}, xv${v}, acc${i}_${v});`);
    }
  };
  // The interior without checks, then both edges in one checked loop (one copy of the body each).
  if (hi > lo) {
    p(`    for (var ow = ${u32(lo)}; ow < ${bound(u32(hi))}; ow++) {`);
    body(false);
    p('    }');
  }
  const edges = lo + (d.OW - hi);
  if (edges > 0) {
    p(`    for (var e = 0u; e < ${bound(u32(edges))}; e++) {`);
    p(`      let ow = select(e, e + ${u32(hi - lo)}, e >= ${u32(lo)});`);
    body(true);
    p('    }');
  }
  p('  }');
  for (const i of I) for (const j of J) p(`  partial[${i * tn + j}u * WG + lid] = acc${i}_${Math.floor(j / 4)}[${j % 4}];`);
  p('  workgroupBarrier();');
  p('  if (lid < TM * TN) {');
  p('    let m = m0 + lid / TN;');
  p('    let q = qb + lid % TN;');
  p('    if (m < OG && q < NQ) {');
  p('      var s = 0.0;');
  p(`      for (var l = 0u; l < ${bound('WG')}; l++) { s += partial[lid * WG + l]; }`);
  p('      dw[(g * OG + m) * NQ + q] = s;');
  p('    }');
  p('  }');
  if (bias) {
    // The bias sums take the same workgroup memory once every invocation has read its dw sums.
    p('  workgroupBarrier();');
    for (const i of I) p(`  partial[${i}u * WG + lid] = bs${i};`);
    p('  workgroupBarrier();');
    p('  if (qb == 0u && lid < TM && m0 + lid < OG) {');
    p('    var s = 0.0;');
    p(`    for (var l = 0u; l < ${bound('WG')}; l++) { s += partial[lid * WG + l]; }`);
    p('    db[g * OG + m0 + lid] = s;');
    p('  }');
  }
  p('}');
  return lines.join('\n') + '\n';
}
