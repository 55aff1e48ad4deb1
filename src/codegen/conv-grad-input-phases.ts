import type { Kernel, Workgroups } from './kernel.js';
import { DIRECT_SUBGROUPS, directConvBody, directConvConstants, type DirectConvSpec } from './conv-direct.js';
import type { GradientRead, OutputWrite } from './elementwise.js';
import type { ConvDims } from './shapes.js';
import type { RegisterTile } from './variants.js';
import { ceilDiv, indent, range, u32 } from './wgsl.js';

/**
 * conv2d_grad_input at stride > 1 as S_H·S_W dense stride-1 convs, one per stride phase. A dx row
 * ih receives tap kh only when ih + PT − kh·DH is a multiple of SH, so the rows with the same
 * (ih + PT) mod SH (a phase) all receive the same taps: kh ≡ kh0 (mod L), L = SH/gcd(SH, DH), and
 * for those rows dx is an ordinary stride-1 conv of dy with that sub-kernel, flipped, at dilation
 * DH/gcd(SH, DH). Each phase runs the direct conv (conv-direct.ts, the fast forward kernel on
 * software adapters) instead of a GEMM whose taps are masked off (3/4 of them at stride 2).
 *
 * One kernel holds every phase: a function per phase (its constants declared inside it) and an
 * entry point that gives each phase the same number of workgroups, the most any phase needs.
 * Phases no tap reaches (a 1×1 kernel at stride 2 reaches a quarter of dx) store zeros.
 */

/** The dx rows (or columns) of one phase and the stride-1 conv that computes them. */
interface AxisPhase {
  /** First dx index of the phase, and how many it has (every S-th). */
  readonly first: number;
  readonly count: number;
  /** Taps reaching the phase: kh = firstTap + j·tapStep for j < taps. */
  readonly taps: number;
  readonly firstTap: number;
  readonly tapStep: number;
  /** The stride-1 conv over dy: dilation and (possibly negative) leading padding. */
  readonly dilation: number;
  readonly pad: number;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The non-empty phases along one axis: dx size, kernel size, stride, leading padding, dilation. */
export function axisPhases(size: number, k: number, s: number, pad: number, d: number): AxisPhase[] {
  const step = s / gcd(s, d);
  const dilation = d / gcd(s, d);
  const phases: AxisPhase[] = [];
  for (let r = 0; r < s; r++) {
    const first = (((r - pad) % s) + s) % s;
    if (first >= size) continue;
    const taps = range(k).filter((kh) => (kh * d) % s === r);
    const firstTap = taps[0] ?? 0;
    // dx index first + a·s reads dy index a + q − e_j for tap j, e_j = (kh_j·d − r)/s; flipping
    // the taps turns that into a forward conv with padding e_0 + (m − 1)·dilation − q.
    const q = (first + pad - r) / s;
    const e0 = taps.length ? (firstTap * d - r) / s : 0;
    phases.push({ first, count: Math.floor((size - 1 - first) / s) + 1, taps: taps.length, firstTap, tapStep: step, dilation, pad: e0 + (taps.length - 1) * dilation - q });
  }
  return phases;
}

export interface PhasedGradInput {
  readonly source: string;
  readonly workgroups: Workgroups;
}

/**
 * `header` holds the comment, bindings and the functions of dy's read and of `store`, the statement
 * storing a value of dx at a flat index (with any fused epilogue).
 */
export function phasedGradInput(header: string, d: ConvDims, dy: GradientRead, store: OutputWrite['write'], tile: RegisterTile, lanes: number | undefined): PhasedGradInput {
  const rows = axisPhases(d.H, d.KH, d.SH, d.PT, d.DH);
  const cols = axisPhases(d.W, d.KW, d.SW, d.PL, d.DW);
  const phases = rows.flatMap((h) => cols.map((w) => ({ h, w })));
  const at = (h: AxisPhase, w: AxisPhase, i: string) => `phaseAt(${i}, ${u32(h.count)}, ${u32(w.count)}, ${u32(h.first)}, ${u32(w.first)})`;
  const spec = (h: AxisPhase, w: AxisPhase): DirectConvSpec => ({
    header: '', read: dy.read, write: (i, v) => `{ let at = ${at(h, w, i)}; ${store('at', v)} }`, weights: 'w',
    inC: d.O, inH: d.OH, inW: d.OW, outC: d.C, outH: h.count, outW: w.count, groups: d.groups, kh: h.taps, kw: w.taps,
    stride: [1, 1], dilation: [h.dilation, w.dilation], padTop: h.pad, padLeft: w.pad, replicate: false,
    // w[g·OG + c, m, kh, kw] with the phase's taps flipped: kernel row j′ is tap firstTap + (m − 1 − j′)·step.
    wBase: (m) => `(g * ${u32(d.Og * d.Cg)} + ${m}) * ${u32(d.KH * d.KW)}`,
    wStrideC: d.Cg * d.KH * d.KW,
    wTapRow: (kh) => `(${u32(h.firstTap)} + (${u32(h.taps - 1)} - ${kh}) * ${u32(h.tapStep)}) * ${u32(d.KW)}`,
    wTapCol: (kw) => `(${u32(w.firstTap)} + (${u32(w.taps - 1)} - ${kw}) * ${u32(w.tapStep)})`,
    tile,
    ...(lanes ? { subgroupLanes: lanes } : {}),
  });
  const params = lanes ? 'wg: u32, lid: u32, sl: u32' : 'wg: u32, lid: u32';
  const fns = phases.map(({ h, w }, k) => {
    if (!h.taps || !w.taps) {
      // No tap reaches these positions: zeros, strided over the phase's workgroups.
      return `fn phase${k}(${params}) {
  let total = params.batch * ${u32(d.C * h.count * w.count)};
  for (var e = wg * ${u32(tile.wg)} + lid; e < total; e += PER_PHASE() * ${u32(tile.wg)}) { let at = ${at(h, w, 'e')}; ${store('at', '0.0')} }
}`;
    }
    const s = spec(h, w);
    const consts = directConvConstants(s).map(([name, value]) => `  const ${name} = ${value};`);
    return [`fn phase${k}(${params}) {`, ...consts, ...directConvBody(s), '}'].join('\n');
  });
  // Every phase gets the workgroups of the one with the most output row segments.
  const units = Math.max(...phases.map(({ h, w }) => h.count * ceilDiv(w.count, tile.tn)));
  const times = ceilDiv(d.Cg, tile.tm) * d.groups;
  const args = lanes ? 'local, lid, sl' : 'local, lid';
  const sl = lanes ? ', @builtin(subgroup_invocation_id) sl: u32' : '';
  const source = `${lanes ? `${DIRECT_SUBGROUPS}\n` : ''}${header}
const DX_HW = ${u32(d.H * d.W)};
const DX_W = ${u32(d.W)};

/** Workgroups per phase (every phase gets as many as the largest needs). */
fn PER_PHASE() -> u32 { return ((params.batch * ${u32(units)} + ${u32(tile.wg - 1)}) / ${u32(tile.wg)}) * ${u32(times)}; }

/** Index into dx of element i of a phase's output (sample·channel, row a, column b of the phase). */
fn phaseAt(i: u32, nh: u32, nw: u32, h0: u32, w0: u32) -> u32 {
  let b = i % nw;
  let a = (i / nw) % nh;
  return (i / (nh * nw)) * DX_HW + (h0 + a * ${u32(d.SH)}) * DX_W + w0 + b * ${u32(d.SW)};
}

${fns.join('\n\n')}

@compute @workgroup_size(${tile.wg})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32${sl}) {
  let flat = wid.x + wid.y * nwg.x;
  let phase = flat / PER_PHASE();
  let local = flat % PER_PHASE();
${indent(phases.map((_, k) => `if (phase == ${u32(k)}) { phase${k}(${args}); return; }`).join('\n'), 2)}
}
`;
  return { source, workgroups: { units, batched: true, perWorkgroup: tile.wg, times: times * phases.length } };
}
