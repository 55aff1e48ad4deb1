import type { Workgroups } from './kernel.js';
import type { RegisterTile } from './variants.js';
import { bound, ceilDiv, i32, range, u32 } from './wgsl.js';

/**
 * A direct convolution with register tiles for software adapters, where every load costs as much
 * as ~14 FMAs (lavapipe lowers each one to a per-lane loop with bounds checks). Each invocation
 * computes tm output channels × tn consecutive output columns of one output row, so along a row
 * the kw taps of neighbouring columns read overlapping input pixels: one row of input is loaded
 * once per (kh, input channel) and reused by every tap and column (tn + KW − 1 loads instead of
 * tn·KW at stride 1). Loops: kh, then input channels (loads and FMAs only), kw unrolled.
 *
 * Serves conv2d forward and, at stride 1, conv2d_grad_input (a forward conv of dy with the kernel
 * flipped and its channel axes swapped); the caller describes the weights' indexing.
 */
export interface DirectConvSpec {
  /** Comment, bindings and any functions `read` and `write` call. */
  readonly header: string;
  /** An input element at a flat index (a buffer load, or a fused prologue's function). */
  readonly read: (index: string) => string;
  /** A statement storing an output value at a flat index (and applying any fused epilogue). */
  readonly write: (index: string, value: string) => string;
  readonly weights: string;
  readonly bias?: string;
  /** Per-sample input and output dims, channels per group. */
  readonly inC: number;
  readonly inH: number;
  readonly inW: number;
  readonly outC: number;
  readonly outH: number;
  readonly outW: number;
  readonly groups: number;
  readonly kh: number;
  readonly kw: number;
  /** Output (oh, ow), tap (kh, kw) reads input row oh·SH − PT + kh·DH, column ow·SW − PL + kw·DW. */
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  /** May be negative (grad input with more padding than the kernel extent). */
  readonly padTop: number;
  readonly padLeft: number;
  readonly replicate: boolean;
  /**
   * Weight element for output channel `m` and input channel `c` (both within group g) at tap
   * (kh, kw): `wBase(m) + c·wStrideC + wTapRow(kh) + wTapCol(kw)`; wBase and wTapRow are WGSL u32
   * expressions (wBase may read `g`).
   */
  readonly wBase: (m: string) => string;
  readonly wStrideC: number;
  readonly wTapRow: (kh: string) => string;
  readonly wTapCol: (kw: string) => string;
  readonly tile: RegisterTile;
  /**
   * Subgroup lanes to rely on (variants.ts subgroupLanes), or undefined. With subgroups the tm×KW
   * weights of one (kh, channel) step, the same for every invocation, are loaded one per lane and
   * shared with subgroupBroadcast instead of loaded by every lane.
   */
  readonly subgroupLanes?: number;
}

/** Workgroups for a batch: row segments × channel tiles × groups. */
/** Rows of `tn`-wide output segments per sample, `wg` per workgroup, for every channel tile of every group. */
export function directConvWorkgroups(s: DirectConvSpec): Workgroups {
  const segs = ceilDiv(s.outW, s.tile.tn);
  return { units: s.outH * segs, batched: true, perWorkgroup: s.tile.wg, times: ceilDiv(s.outC / s.groups, s.tile.tm) * s.groups };
}

export function directConvSource(s: DirectConvSpec): string {
  const lines: string[] = [];
  if (s.subgroupLanes) lines.push(DIRECT_SUBGROUPS);
  lines.push(s.header, ...directConvConstants(s).map((c) => `const ${c[0]} = ${c[1]};`), '');
  lines.push(`@compute @workgroup_size(${s.tile.wg})`);
  const sl = s.subgroupLanes ? ', @builtin(subgroup_invocation_id) sl: u32' : '';
  lines.push(`fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32${sl}) {`);
  lines.push('  let wg = wid.x + wid.y * nwg.x;', ...directConvBody(s), '}');
  return lines.join('\n') + '\n';
}

/**
 * Whether some output row's taps reach above or below the input (zero padding rows, or an
 * overhang), which add nothing; replicate padding reads the edge row there instead.
 */
function skipsRows(s: DirectConvSpec): boolean {
  const [SH] = s.stride;
  const [DH] = s.dilation;
  return !s.replicate && (s.padTop > 0 || (s.outH - 1) * SH + (s.kh - 1) * DH - s.padTop >= s.inH);
}

/**
 * What a direct conv with subgroups declares first: the extension, and the subgroup-uniformity
 * check off, since its kernel-row loop has bounds that are uniform per subgroup by construction
 * (subgroupMin/subgroupMax), which WGSL's analysis does not track.
 */
export const DIRECT_SUBGROUPS = 'enable subgroups;\ndiagnostic(off, subgroup_uniformity);';

/** The constants the body of a direct conv reads, as [name, WGSL value]. */
export function directConvConstants(s: DirectConvSpec): [string, string][] {
  const { tm, tn, wg } = s.tile;
  const [SH, SW] = s.stride;
  const [DH] = s.dilation;
  const cgOut = s.outC / s.groups;
  return [
    ['IN_W', u32(s.inW)], ['IN_HW', u32(s.inH * s.inW)], ['IN_CHW', u32(s.inC * s.inH * s.inW)],
    ['IN_H_I', i32(s.inH)], ['IN_W_I', i32(s.inW)],
    ['OUT_C', u32(s.outC)], ['OUT_H', u32(s.outH)], ['OUT_W', u32(s.outW)], ['OUT_HW', u32(s.outH * s.outW)],
    ['CG_IN', u32(s.inC / s.groups)], ['CG_OUT', u32(cgOut)], ['GROUPS', u32(s.groups)], ['KH', u32(s.kh)], ['KW', u32(s.kw)],
    ['SH', u32(SH)], ['SW', u32(SW)], ['DH', u32(DH)], ['PT', i32(s.padTop)], ['PL', i32(s.padLeft)],
    ['WG', u32(wg)], ['TM', u32(tm)], ['TN', u32(tn)], ['SEGS', u32(ceilDiv(s.outW, tn))], ['TILES_M', u32(ceilDiv(cgOut, tm))],
  ];
}

/**
 * The statements of a direct conv after the flat workgroup index `wg` (and `lid`, and `sl` with
 * subgroups) are known, reading the constants of directConvConstants; indented for a function body.
 */
export function directConvBody(s: DirectConvSpec): string[] {
  const { tm, tn } = s.tile;
  if (tn % 4 !== 0) throw new Error(`internal: register tile tn=${tn} is not a multiple of 4`);
  const SW = s.stride[1];
  const DW = s.dilation[1];
  const I = range(tm);
  const J = range(tn);
  const V = range(tn / 4);
  const KWs = range(s.kw);
  // Input columns (relative to the segment's first) that some (column, tap) reads.
  const cols = [...new Set(J.flatMap((j) => KWs.map((k) => j * SW + k * DW)))].sort((a, b) => a - b);
  const col = (j: number, k: number) => `x${j * SW + k * DW}`;
  const zeros = !s.replicate;
  const lanes = s.subgroupLanes;
  const nw = tm * s.kw;
  const rounds = lanes ? Math.ceil(nw / lanes) : 0;
  const R = range(rounds);
  const lines: string[] = [];
  const p = (x: string) => lines.push(x);
  p('  let nseg = params.batch * OUT_H * SEGS;');
  p('  let tilesN = (nseg + WG - 1u) / WG;');
  p('  if (wg >= tilesN * TILES_M * GROUPS) { return; }');
  // Segments vary fastest across workgroups, so neighbouring workgroups share weights.
  p('  let tn = wg % tilesN;');
  p('  let rest = wg / tilesN;');
  p('  let m0 = (rest % TILES_M) * TM;');
  p('  let g = rest / TILES_M;');
  p('  let s = tn * WG + lid;');
  p('  let ok = s < nseg;');
  // Invocations past the last segment compute a valid one and store nothing.
  p('  let sc = min(s, nseg - 1u);');
  p('  let row = sc / SEGS;');
  p('  let ow0 = (sc % SEGS) * TN;');
  p('  let nb = row / OUT_H;');
  p('  let oh = row % OUT_H;');
  p('  let xb = nb * IN_CHW + g * CG_IN * IN_HW;');
  for (const u of cols) {
    p(`  let iw${u} = i32(ow0 * SW) - PL + ${i32(u)};`);
    if (zeros) p(`  let cok${u} = iw${u} >= 0i && iw${u} < IN_W_I;`);
    p(`  let ic${u} = u32(clamp(iw${u}, 0i, IN_W_I - 1i));`);
  }
  if (lanes) {
    // Lane sl loads weight q = sl + r·lanes of the tm × KW grid (row q / KW, tap q % KW).
    for (const r of R) {
      p(`  let q${r} = min(sl + ${u32(r * lanes)}, ${u32(nw - 1)});`);
      p(`  let wl${r} = ${s.wBase(`min(m0 + q${r} / KW, CG_OUT - 1u)`)} + ${s.wTapCol(`(q${r} % KW)`)};`);
    }
  } else {
    for (const i of I) p(`  let wb${i} = ${s.wBase(`min(m0 + ${i}u, CG_OUT - 1u)`)};`);
  }
  for (const i of I) for (const v of V) p(`  var acc${i}_${v} = vec4<f32>(0.0);`);
  if (lanes && skipsRows(s)) {
    // Only the kernel rows some lane of the subgroup needs: tap kh reads input row
    // oh·SH + kh·DH − PT, which must lie in [0, IN_H). The bounds are the same for the whole
    // subgroup (so the broadcasts below stay in subgroup-uniform control flow; WGSL's analysis
    // cannot see that, hence the diagnostic directive), and lanes whose own row is outside
    // still mask it. A grad input with full padding (LeNet-5's conv2: 5×5 over 10×10) skips
    // about a quarter of its taps.
    p('  let top = PT - i32(oh * SH);');
    p('  let room = IN_H_I + PT - i32(oh * SH);');
    p('  let khLo = subgroupMin(u32(clamp((top + i32(DH) - 1i) / i32(DH), 0i, i32(KH))));');
    p('  let khHi = subgroupMax(u32(clamp((room + i32(DH) - 1i) / i32(DH), 0i, i32(KH))));');
    p('  for (var kh = khLo; kh < khHi; kh++) {');
  } else {
    p(`  for (var kh = 0u; kh < ${bound('KH')}; kh++) {`);
  }
  p('    let ih = i32(oh * SH + kh * DH) - PT;');
  p('    var rb = xb + u32(clamp(ih, 0i, IN_H_I - 1i)) * IN_W;');
  if (zeros) {
    p('    let rok = ih >= 0i && ih < IN_H_I;');
    for (const u of cols) p(`    let m${u} = rok && cok${u};`);
  }
  p(`    var wo = ${s.wTapRow('kh')};`);
  // One input channel (LeNet-5's conv1, depthwise convs): no loop around it. lavapipe keeps a
  // loop's accumulators and exit mask even for one trip: conv1's forward ran 1.24–1.27× faster without.
  p(s.inC === s.groups ? '    {' : `    for (var c = 0u; c < ${bound('CG_IN')}; c++) {`);
  for (const u of cols) {
    if (zeros) p(`      let x${u} = select(0.0, ${s.read(`rb + ic${u}`)}, m${u});`);
    else p(`      let x${u} = ${s.read(`rb + ic${u}`)};`);
  }
  for (const r of R) p(`      let ws${r} = ${s.weights}[wl${r} + wo];`);
  for (const k of KWs) {
    for (const i of I) {
      const q = i * s.kw + k;
      if (lanes) p(`      let wv${i}_${k} = vec4<f32>(subgroupBroadcast(ws${Math.floor(q / lanes)}, ${u32(q % lanes)}));`);
      else p(`      let wv${i}_${k} = vec4<f32>(${s.weights}[wb${i} + wo + ${s.wTapCol(u32(k))}]);`);
      for (const v of V) {
        const xs = range(4).map((l) => col(v * 4 + l, k)).join(', ');
        p(`      acc${i}_${v} = fma(wv${i}_${k}, vec4<f32>(${xs}), acc${i}_${v});`);
      }
    }
  }
  p('      rb += IN_HW;');
  p(`      wo += ${u32(s.wStrideC)};`);
  p('    }');
  p('  }');
  p('  if (!ok) { return; }');
  p('  let ob = nb * OUT_C * OUT_HW + oh * OUT_W + ow0;');
  for (const i of I) {
    p(`  if (m0 + ${i}u < CG_OUT) {`);
    p(`    let o${i} = g * CG_OUT + m0 + ${i}u;`);
    p(`    let yb${i} = ob + o${i} * OUT_HW;`);
    // One bias load per channel row, not per stored value.
    if (s.bias) p(`    let bias${i} = ${s.bias}[o${i}];`);
    const b = s.bias ? ` + bias${i}` : '';
    for (const j of J) p(`    if (ow0 + ${j}u < OUT_W) { ${s.write(`yb${i} + ${j}u`, `acc${i}_${Math.floor(j / 4)}[${j % 4}]${b}`)} }`);
    p('  }');
  }
  return lines;
}
