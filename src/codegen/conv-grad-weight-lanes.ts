import type { ConvDims } from './shapes.js';
import type { GradientRead } from './elementwise.js';
import { bound, ceilDiv, range, u32 } from './wgsl.js';

/**
 * conv2d_grad_weight for software adapters with subgroups: a workgroup is one subgroup of `lanes`
 * invocations that owns a tm × (lanes·tn) tile of dw and walks the whole reduction (batch, output
 * rows, output columns) in step. Each lane owns tn columns (input channel, kh, kw) and loads their
 * input pixels itself; the tm values of dy at each position, the same for every lane, are loaded
 * one per lane and shared with subgroupBroadcast. On lavapipe a load costs ~14 FMAs and a
 * broadcast ~2, so this does a third of the split-K kernel's loads per FMA.
 *
 * dy is read through `dy.read` (a fused prologue applies there). With `bias`, each lane also sums
 * the dy values it loads, and the workgroups of the first column tile write them to `db`.
 *
 * Split (`splits` > 1): the reduction's rows (image, output row) are cut into that many slices,
 * each with its own workgroups, which write partial sums to `part` instead: slice s's dw at
 * s·PART, its db after them at s·PART + DW_LEN. Every element of every slice is written, so the
 * sum over slices (emitSumPartials) reads nothing stale.
 */
export interface LanesTile {
  readonly tm: number;
  readonly tn: number;
  readonly lanes: number;
}

export function lanesWorkgroups(d: ConvDims, t: LanesTile, splits = 1): number {
  return ceilDiv(d.Og, t.tm) * ceilDiv(d.Cg * d.KH * d.KW, t.lanes * t.tn) * d.groups * splits;
}

/** The partial sums' layout of a split kernel: per slice dw (DW_LEN floats), then db when fused. */
export function partialLayout(d: ConvDims, bias: boolean): { dw: number; stride: number } {
  const dw = d.groups * d.Og * d.Cg * d.KH * d.KW;
  return { dw, stride: dw + (bias ? d.groups * d.Og : 0) };
}

/** The ow range where every tap reads inside the image (no checks needed). */
export function interiorColumns(d: ConvDims): [number, number] {
  // ow·SW − PL ≥ 0 and ow·SW − PL + (KW − 1)·DW ≤ W − 1
  const lo = Math.min(d.OW, Math.max(0, Math.ceil(d.PL / d.SW)));
  const hi = Math.max(lo, Math.min(d.OW, Math.floor((d.W - 1 + d.PL - (d.KW - 1) * d.DW) / d.SW) + 1));
  return [lo, hi];
}

export function lanesSource(header: string, d: ConvDims, t: LanesTile, dy: GradientRead, bias: boolean, splits = 1): string {
  const { tm, tn, lanes } = t;
  if (tn % 4 !== 0) throw new Error(`internal: lanes tile tn=${tn} is not a multiple of 4`);
  const I = range(tm);
  const J = range(tn);
  const V = range(tn / 4);
  const rounds = Math.ceil(tm / lanes);
  const R = range(rounds);
  const [lo, hi] = interiorColumns(d);
  const lines: string[] = [];
  const p = (s: string) => lines.push(s);
  p('enable subgroups;');
  p(header);
  p(`const TM = ${u32(tm)};`);
  p(`const LANES = ${u32(lanes)};`);
  p(`const NQ = ${u32(d.Cg * d.KH * d.KW)};`);
  p(`const TILES_M = ${u32(ceilDiv(d.Og, tm))};`);
  p(`const TILES_N = ${u32(ceilDiv(d.Cg * d.KH * d.KW, lanes * tn))};`);
  const split = splits > 1;
  if (split) {
    const layout = partialLayout(d, bias);
    p(`const SPLITS = ${u32(splits)};`);
    p(`const DW_LEN = ${u32(layout.dw)};`);
    p(`const PART = ${u32(layout.stride)};`);
  }
  p('');
  p(`@compute @workgroup_size(${lanes})`);
  p('fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(subgroup_invocation_id) sl: u32) {');
  p(`  let wg = wid.x + wid.y * nwg.x;`);
  p(`  if (wg >= TILES_N * TILES_M * GROUPS${split ? ' * SPLITS' : ''}) { return; }`);
  p(`  let qb = (wg % TILES_N) * ${u32(lanes * tn)};`);
  p('  let rest = wg / TILES_N;');
  p('  let m0 = (rest % TILES_M) * TM;');
  p(split ? '  let g = (rest / TILES_M) % GROUPS;' : '  let g = rest / TILES_M;');
  if (split) p('  let slice = rest / (TILES_M * GROUPS);');
  for (const j of J) {
    // Columns strided by the lane count, so neighbouring lanes read neighbouring pixels.
    p(`  let qv${j} = qb + ${u32(j * lanes)} + sl;`);
    p(`  let q${j} = min(qv${j}, NQ - 1u);`);
    p(`  let xc${j} = (g * CG + q${j} / KHKW) * HW;`);
    p(`  let dh${j} = i32(((q${j} % KHKW) / KW) * DH) - PT;`);
    p(`  let dw${j} = i32((q${j} % KW) * DW) - PL;`);
  }
  for (const r of R) p(`  let yc${r} = (g * OG + min(m0 + sl + ${u32(r * lanes)}, OG - 1u)) * OHW;`);
  if (bias) for (const r of R) p(`  var bs${r} = 0.0;`);
  for (const i of I) for (const v of V) p(`  var acc${i}_${v} = vec4<f32>(0.0);`);
  p('  let rows = params.batch * OH;');
  if (split) {
    p('  let per = (rows + SPLITS - 1u) / SPLITS;');
    p('  let r0 = min(rows, slice * per);');
    p('  for (var r = r0; r < min(rows, r0 + per); r++) {');
  } else p('  for (var r = 0u; r < rows; r++) {');
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
    for (const r of R) p(`      let ds${r} = ${dy.read(`yc${r} + yr + ow`)};`);
    if (bias) for (const r of R) p(`      bs${r} += ds${r};`);
    for (const i of I) {
      p(`      let d${i} = vec4<f32>(subgroupBroadcast(ds${Math.floor(i / lanes)}, ${u32(i % lanes)}));`);
      for (const v of V) p(`      acc${i}_${v} = fma(d${i}, xv${v}, acc${i}_${v});`);
    }
  };
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
  const [dwAt, dbAt] = split ? ['part[slice * PART + ', 'part[slice * PART + DW_LEN + '] : ['dw[', 'db['];
  for (const i of I) {
    p(`  if (m0 + ${i}u < OG) {`);
    p(`    let row${i} = (g * OG + m0 + ${i}u) * NQ;`);
    for (const j of J) p(`    if (qv${j} < NQ) { ${dwAt}row${i} + qv${j}] = acc${i}_${Math.floor(j / 4)}[${j % 4}]; }`);
    p('  }');
  }
  if (bias) {
    // Lane sl summed channel m0 + sl + r·lanes; lanes past the tile's rows loaded a clamped one.
    p('  if (qb == 0u) {');
    for (const r of R) p(`    if (sl + ${u32(r * lanes)} < TM && m0 + sl + ${u32(r * lanes)} < OG) { ${dbAt}g * OG + m0 + sl + ${u32(r * lanes)}] = bs${r}; }`);
    p('  }');
  }
  p('}');
  return lines.join('\n') + '\n';
}
