import type { Graph, Op, PoolAttrs } from '../ir/graph.js';
import { outputWrite, type Epilogue, type OutputWrite } from './elementwise.js';
import type { Kernel, TargetInfo } from './kernel.js';
import { expectKind, heavyTile, perElementKernel } from './per-element.js';
import { argWindow, planeConstants, planeDimsOf, reduceWindow, splitIndex, TAP, UNROLL_TAPS, ZERO, type PlaneDims, type WholeWindow } from './pool-window.js';
import { i32, u32, type BufferDecl } from './wgsl.js';

/**
 * Strided pooling (pool2d) and its gradient. The output size comes from the tensor shapes (ceil
 * mode is resolved before the IR); a window starts at o·S − P_before, is clipped to the padded
 * input [−P_before, size + P_after) for count_include_pad's divisor, then to the real input for
 * its taps, exactly as the reference (and PyTorch's avg_pool2d) does.
 */

function constants(d: PlaneDims, a: PoolAttrs): string {
  return [
    planeConstants(d),
    `const KH = ${i32(a.kernel[0])};`,
    `const KW = ${i32(a.kernel[1])};`,
    `const SH = ${i32(a.stride[0])};`,
    `const SW = ${i32(a.stride[1])};`,
    `const PT = ${i32(a.pad[0])};`,
    `const PL = ${i32(a.pad[2])};`,
    // The padded input's far edges: ceil-mode windows running past them lose those rows.
    `const HE = ${i32(d.H + a.pad[1])};`,
    `const WE = ${i32(d.W + a.pad[3])};`,
  ].join('\n');
}

/** The window of output (oh, ow) as ys/ye/xs/xe (padded) and y0/y1/x0/x1 (clipped to the input). */
const WINDOW = `  let ys = oh * SH - PT;
  let ye = min(ys + KH, HE);
  let xs = ow * SW - PL;
  let xe = min(xs + KW, WE);
  let y0 = max(ys, 0);
  let y1 = min(ye, H);
  let x0 = max(xs, 0);
  let x1 = min(xe, W);`;

function divisor(a: PoolAttrs): string {
  return a.countPad ? '(ye - ys) * (xe - xs)' : '(y1 - y0) * (x1 - x0)';
}

function describe(what: string, d: PlaneDims, a: PoolAttrs): string {
  return `${what} ${a.mode}: ${d.C}×${d.H}×${d.W} → ${d.OH}×${d.OW}, kernel ${a.kernel.join('×')}, stride ${a.stride.join('×')}, pad ${a.pad.join(',')}${a.mode === 'avg' ? `, countPad ${a.countPad}` : ''}`;
}

/**
 * The window size when every window is whole — no padding, none running past the input (ceil
 * mode) — and small enough to unroll; undefined otherwise (the loops clip each window).
 */
export function wholeWindow(d: PlaneDims, a: PoolAttrs): WholeWindow | undefined {
  const [kh, kw] = a.kernel;
  const inside = a.pad.every((p) => p === 0) && (d.OH - 1) * a.stride[0] + kh <= d.H && (d.OW - 1) * a.stride[1] + kw <= d.W;
  return inside && kh * kw <= UNROLL_TAPS ? { kh, kw } : undefined;
}

/** pool2d: [x] → [y], one output element per item. A window without input pixels yields 0. */
export function emitPool2d(op: Op, graph: Graph, target: TargetInfo): Kernel {
  expectKind(op, 'pool2d', 'emitPool2d');
  const d = planeDimsOf(graph, op.inputs[0], op.outputs[0]);
  const a = op.attrs;
  const buffers: BufferDecl[] = [
    { name: 'x', tensor: op.inputs[0], access: 'read' },
    { name: 'out', tensor: op.outputs[0], access: 'read_write' },
  ];
  const whole = wholeWindow(d, a);
  const body = `${splitIndex('i', 'OH', 'OW', 'oh', 'ow')}
  let plane = nc * ${u32(d.H * d.W)};
${WINDOW}
${whole ? '' : '  if (y0 >= y1 || x0 >= x1) { out[i] = 0.0; return; }\n'}${reduceWindow(a.mode, divisor(a), whole)}
  out[i] = red;`;
  return perElementKernel(
    { name: `pool2d_${a.mode}`, layer: op.layer, comment: describe('pool2d', d, a), buffers, units: d.C * d.OH * d.OW, batched: true, prelude: constants(d, a), body, tile: heavyTile(target) },
    target,
  );
}

/**
 * avg and l2 gradients unroll up to this many candidate windows per input pixel (3×3 stride 2
 * has 4): on lavapipe that ran ~2× faster than loops whose trip counts differ between lanes.
 * max/min keep the loops: their tie scan in every unrolled copy doubled compile times (~0.65 s
 * against ~0.25 s for 3×3 stride 2) with no measurable gain at run time.
 */
const UNROLL_WINDOWS = 4;

/**
 * The scan for an earlier tap of window (ys, xs) that also attains yv: taps before (ih, iw) in
 * row-major order, inside the input (rows before ih are above the window's clipped bottom, and
 * columns below W are inside its clipped right edge, so those two need no check). One loop over
 * all KH·KW taps with a test, so every lane runs the same trip count: lane-dependent bounds cost
 * more on lavapipe, and unrolling taps × windows multiplied compile times (7 s for 3×3 stride 1).
 */
function tieScan(ind: string): string {
  return `${ind}for (var k = 0; k < KH * KW + ${ZERO}; k++) {
${ind}  let r = ys + k / KW;
${ind}  let c = xs + k % KW;
${ind}  if ((r < ih || (r == ih && c < iw)) && r >= 0 && c >= 0 && c < W) {
${ind}    if (x[plane + u32(r * W + c)] == yv) { first = false; }
${ind}  }
${ind}}`;
}

/**
 * What one window (oh, ow) containing input (ih, iw) sends back to it, added to \`acc\`.
 * max/min compare x with the forward output: the extreme is a copy of one tap, so equality is
 * exact, and only a tap equal to it needs the scan for an earlier tap that also attains it.
 */
function gradTerm(a: PoolAttrs, ind: string): string {
  switch (a.mode) {
    case 'avg':
      return `${ind}acc += dy[o] / f32(${divisor(a)});`;
    case 'l2':
      // y = √Σx², dx = dy·x/y; an all-zero window (y = 0) has no derivative and sends nothing.
      return `${ind}let yv = yf[o];\n${ind}if (yv != 0.0) { acc += dy[o] * xv / yv; }`;
    case 'max':
    case 'min':
      return `${ind}let yv = yf[o];
${ind}if (xv == yv) {
${ind}  var first = true;
${tieScan(ind + '  ')}
${ind}  if (first) { acc += dy[o]; }
${ind}}`;
  }
}

/**
 * The windows containing (ih, iw): rows oh0 … oh1, columns ow0 … ow1, at most ⌈K/S⌉ each; looped,
 * or unrolled with a validity test (UNROLL_WINDOWS).
 */
function gatherWindows(a: PoolAttrs): string {
  const nh = Math.ceil(a.kernel[0] / a.stride[0]);
  const nw = Math.ceil(a.kernel[1] / a.stride[1]);
  const window = (ind: string) => `${WINDOW.replace(/^ {2}/gm, ind)}\n${ind}let o = oplane + u32(oh * OW + ow);\n${gradTerm(a, ind)}`;
  if (a.mode === 'max' || a.mode === 'min' || nh * nw > UNROLL_WINDOWS) {
    return `  for (var oh = oh0; oh <= oh1; oh++) {\n    for (var ow = ow0; ow <= ow1; ow++) {\n${window('      ')}\n    }\n  }`;
  }
  const blocks: string[] = [];
  for (let bh = 0; bh < nh; bh++) {
    for (let bw = 0; bw < nw; bw++) {
      blocks.push(`  {\n    let oh = oh0 + ${i32(bh)};\n    let ow = ow0 + ${i32(bw)};\n    if (oh <= oh1 && ow <= ow1) {\n${window('      ')}\n    }\n  }`);
    }
  }
  return blocks.join('\n');
}

/** Whether the windows tile the input exactly: stride = kernel, no padding, nothing left over. */
export function windowsTile(d: PlaneDims, a: PoolAttrs): boolean {
  const [kh, kw] = a.kernel;
  return a.stride[0] === kh && a.stride[1] === kw && a.pad.every((p) => p === 0) && d.OH * kh === d.H && d.OW * kw === d.W;
}

/**
 * The gradient of one window per item when windows tile the input (2×2 stride 2 on even sizes,
 * the usual max pool): each input pixel is in exactly one window, so the window writes all its
 * taps, with no search for the windows containing a pixel and no forward output needed for max.
 */
function perWindowGrad(a: PoolAttrs, whole: WholeWindow | undefined, store: OutputWrite['write']): string {
  const write = store('t', {
    max: 'select(0.0, g, r * W + c == arg)',
    min: 'select(0.0, g, r * W + c == arg)',
    avg: 'g',
    l2: 'select(0.0, g * x[t] / yv, yv != 0.0)',
  }[a.mode]);
  const setup = {
    max: `${argWindow('max', whole)}\n  let g = dy[i];`,
    min: `${argWindow('min', whole)}\n  let g = dy[i];`,
    avg: `  let g = dy[i] / f32(${divisor(a)});`,
    l2: '  let g = dy[i];\n  let yv = yf[i];',
  }[a.mode];
  const taps: string[] = [];
  for (let dr = 0; whole && dr < whole.kh; dr++) {
    for (let dc = 0; dc < whole.kw; dc++) taps.push(`  { let r = y0 + ${i32(dr)}; let c = x0 + ${i32(dc)}; let t = ${TAP}; ${write} }`);
  }
  const scatter = whole
    ? taps.join('\n')
    : `  for (var r = y0; r < y1 + ${ZERO}; r++) {
    for (var c = x0; c < x1 + ${ZERO}; c++) {
      let t = ${TAP};
      ${write}
    }
  }`;
  return `${splitIndex('i', 'OH', 'OW', 'oh', 'ow')}
  let plane = nc * u32(H * W);
${WINDOW}
${setup}
${scatter}`;
}

/**
 * pool2d_grad: [dy, x, y] → [dx]. Windows that tile the input write their taps (perWindowGrad);
 * otherwise the gradient is gathered: one input element per item sums over the outputs whose
 * windows contain it (rows oh with oh·S − P ≤ ih < oh·S − P + K), so no atomics and no zeroing.
 * An epilogue (the derivative of the activation before the pool) applies to each value stored.
 */
export function emitPool2dGrad(op: Op, graph: Graph, target: TargetInfo, epilogue?: Epilogue): Kernel {
  expectKind(op, 'pool2d_grad', 'emitPool2dGrad');
  const d = planeDimsOf(graph, op.inputs[1], op.inputs[0]);
  const a = op.attrs;
  const buffers: BufferDecl[] = [
    { name: 'dy', tensor: op.inputs[0], access: 'read' },
    { name: 'x', tensor: op.inputs[1], access: 'read' },
    { name: 'yf', tensor: op.inputs[2], access: 'read' },
  ];
  const out = outputWrite('dx', op.outputs[0], epilogue);
  buffers.push(...out.buffers);
  const prelude = constants(d, a) + out.fns;
  if (windowsTile(d, a)) {
    return perElementKernel(
      { name: `pool2d_grad_${a.mode}`, layer: op.layer, comment: describe('pool2d_grad (per window)', d, a), buffers, units: d.C * d.OH * d.OW, batched: true, prelude, body: perWindowGrad(a, wholeWindow(d, a), out.write), tile: heavyTile(target) },
      target,
    );
  }
  const body = `${splitIndex('i', 'H', 'W', 'ih', 'iw')}
  let plane = nc * ${u32(d.H * d.W)};
  let oplane = nc * ${u32(d.OH * d.OW)};
  let xv = x[i];
  let nh = ih + PT - KH + 1;
  let nw = iw + PL - KW + 1;
  let oh0 = select(0, (nh + SH - 1) / SH, nh > 0);
  let ow0 = select(0, (nw + SW - 1) / SW, nw > 0);
  let oh1 = min(OH - 1, (ih + PT) / SH);
  let ow1 = min(OW - 1, (iw + PL) / SW);
  var acc = 0.0;
${gatherWindows(a)}
  ${out.write('i', 'acc')}`;
  return perElementKernel(
    { name: `pool2d_grad_${a.mode}`, layer: op.layer, comment: describe('pool2d_grad (gather)', d, a), buffers, units: d.C * d.H * d.W, batched: true, prelude, body, tile: heavyTile(target) },
    target,
  );
}
