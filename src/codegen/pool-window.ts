import type { Graph, PoolMode, Tensor } from '../ir/graph.js';
import { tensorOf } from './shapes.js';
import { i32 } from './wgsl.js';

/**
 * Pieces shared by the strided and adaptive pooling kernels. A window is the clipped rectangle
 * [y0, y1) × [x0, x1) of one channel plane starting at word `plane` of `x`; taps run row-major,
 * so "the first position that attains the max" is the first met in these loops.
 */

/** Per-sample sizes of a pooling op: x C×H×W, y C×OH×OW. */
export interface PlaneDims {
  readonly C: number;
  readonly H: number;
  readonly W: number;
  readonly OH: number;
  readonly OW: number;
}

export function planeDims(x: Tensor, y: Tensor): PlaneDims {
  if (x.shape.length !== 3 || y.shape.length !== 3 || x.shape[0] !== y.shape[0]) {
    throw new Error(`internal: pooling ${x.name} (${x.shape.join('×')}) into ${y.name} (${y.shape.join('×')})`);
  }
  if (!x.batched || !y.batched) throw new Error(`internal: pooling needs batched tensors (${x.name}, ${y.name})`);
  return { C: x.shape[0], H: x.shape[1], W: x.shape[2], OH: y.shape[1], OW: y.shape[2] };
}

/** x and y of a pooling op from its forward or backward operand lists. */
export function planeDimsOf(graph: Graph, xId: number, yId: number): PlaneDims {
  return planeDims(tensorOf(graph, xId), tensorOf(graph, yId));
}

/** The sizes as i32 constants (window arithmetic runs signed: windows start in the padding). */
export function planeConstants(d: PlaneDims): string {
  return [`const H = ${i32(d.H)};`, `const W = ${i32(d.W)};`, `const OH = ${i32(d.OH)};`, `const OW = ${i32(d.OW)};`].join('\n');
}

/** Splits a flat index over N·C×R×S into `${row}`, `${col}` (i32) and the plane index `nc` (u32). */
export function splitIndex(index: string, rows: string, cols: string, row: string, col: string): string {
  return [
    `  let ${col} = i32(${index} % u32(${cols}));`,
    `  let rest = ${index} / u32(${cols});`,
    `  let ${row} = i32(rest % u32(${rows}));`,
    `  let nc = rest / u32(${rows});`,
  ].join('\n');
}

/** Offset of tap (r, c) inside x. */
export const TAP = 'plane + u32(r * W + c)';

/**
 * The uniform's zero as i32, added to window bounds: with one output row (global pooling) the
 * bounds are constants, and lavapipe fully unrolled those loops at several times the compile time
 * (the same reason as `bound` in wgsl.ts).
 */
export const ZERO = 'i32(params.zero)';

/**
 * A window known to be whole (no padding, no ceil-mode overhang) and small: its taps are written
 * out with constant offsets. On lavapipe that ran a 2×2 max pool ~3× faster than the loops.
 */
export interface WholeWindow {
  readonly kh: number;
  readonly kw: number;
}

/** Windows of at most this many taps are unrolled when whole (3×3 is AlexNet's and GoogLeNet's). */
export const UNROLL_TAPS = 9;

/**
 * Loops over the window's taps with `v` the value at (r, c), running `stmt` for each; a whole
 * window's taps are unrolled in the same (row-major) order.
 */
export function forTaps(stmt: string, indent = '  ', whole?: WholeWindow): string {
  if (whole) {
    const taps: string[] = [];
    for (let dr = 0; dr < whole.kh; dr++) {
      for (let dc = 0; dc < whole.kw; dc++) taps.push(`${indent}{ let r = y0 + ${i32(dr)}; let c = x0 + ${i32(dc)}; let v = x[${TAP}]; ${stmt} }`);
    }
    return taps.join('\n');
  }
  return [
    `${indent}for (var r = y0; r < y1 + ${ZERO}; r++) {`,
    `${indent}  for (var c = x0; c < x1 + ${ZERO}; c++) {`,
    `${indent}    let v = x[${TAP}];`,
    `${indent}    ${stmt}`,
    `${indent}  }`,
    `${indent}}`,
  ].join('\n');
}

/**
 * Statements that reduce a non-empty window into `let red: f32`. max/min compare strictly (a tie
 * keeps the earlier tap, as the reference's argmax does); avg divides by `divisor` (an i32
 * expression); l2 is √Σx².
 */
export function reduceWindow(mode: PoolMode, divisor: string, whole?: WholeWindow): string {
  switch (mode) {
    case 'max':
    case 'min': {
      const better = mode === 'max' ? 'v > best' : 'v < best';
      return `  var best = x[plane + u32(y0 * W + x0)];\n${forTaps(`best = select(best, v, ${better});`, '  ', whole)}\n  let red = best;`;
    }
    case 'avg':
      return `  var s = 0.0;\n${forTaps('s += v;', '  ', whole)}\n  let red = s / f32(${divisor});`;
    case 'l2':
      return `  var s = 0.0;\n${forTaps('s += v * v;', '  ', whole)}\n  let red = sqrt(s);`;
  }
}

/**
 * Statements that find the window's first extreme tap as `let arg: i32` (r·W + c), for gradients
 * that have no forward output to compare with.
 */
export function argWindow(mode: 'max' | 'min', whole?: WholeWindow): string {
  const better = mode === 'max' ? 'v > best' : 'v < best';
  return [
    '  var best = x[plane + u32(y0 * W + x0)];',
    '  var at = y0 * W + x0;',
    forTaps(`if (${better}) { best = v; at = r * W + c; }`, '  ', whole),
    '  let arg = at;',
  ].join('\n');
}
