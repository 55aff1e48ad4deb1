import type { Graph, Op } from '../ir/graph.js';
import type { Kernel, TargetInfo } from './kernel.js';
import { expectKind, heavyTile, perElementKernel } from './per-element.js';
import { argWindow, planeConstants, planeDimsOf, reduceWindow, splitIndex, TAP, ZERO, type PlaneDims } from './pool-window.js';
import { u32, type BufferDecl } from './wgsl.js';

/**
 * Adaptive pooling (PyTorch's windows: output i covers rows floor(i·H/OH) … ceil((i+1)·H/OH) − 1)
 * and its gradient. Windows never come out empty, and when OH divides H (and OW divides W) they
 * tile the input exactly: then the gradient is written window by window, each tap exactly once,
 * which global pooling needs (a gather would rescan the whole plane for every pixel). Otherwise
 * neighbouring windows share a row, and the gradient is gathered per input pixel.
 */

/** The window of output (oh, ow) as y0/y1/x0/x1. */
const WINDOW = `  let y0 = (oh * H) / OH;
  let y1 = ((oh + 1) * H + OH - 1) / OH;
  let x0 = (ow * W) / OW;
  let x1 = ((ow + 1) * W + OW - 1) / OW;`;

const COUNT = '(y1 - y0) * (x1 - x0)';

function describe(what: string, mode: string, d: PlaneDims): string {
  return `${what} ${mode}: ${d.C}×${d.H}×${d.W} → ${d.OH}×${d.OW}`;
}

/** adaptive_pool: [x] → [y], one output element per item. */
export function emitAdaptivePool(op: Op, graph: Graph, target: TargetInfo): Kernel {
  expectKind(op, 'adaptive_pool', 'emitAdaptivePool');
  const d = planeDimsOf(graph, op.inputs[0], op.outputs[0]);
  const buffers: BufferDecl[] = [
    { name: 'x', tensor: op.inputs[0], access: 'read' },
    { name: 'out', tensor: op.outputs[0], access: 'read_write' },
  ];
  const body = `${splitIndex('i', 'OH', 'OW', 'oh', 'ow')}
  let plane = nc * ${u32(d.H * d.W)};
${WINDOW}
${reduceWindow(op.mode, COUNT)}
  out[i] = red;`;
  return perElementKernel(
    { name: `adaptive_pool_${op.mode}`, layer: op.layer, comment: describe('adaptive_pool', op.mode, d), buffers, units: d.C * d.OH * d.OW, batched: true, prelude: planeConstants(d), body, tile: heavyTile(target) },
    target,
  );
}

/** Whether the windows tile the input with no overlap. */
export function windowsPartition(d: PlaneDims): boolean {
  return d.H % d.OH === 0 && d.W % d.OW === 0;
}

/** One window per item, writing every tap: dy/count (avg), or dy at the first max and 0 elsewhere. */
function perWindowBody(mode: 'avg' | 'max', d: PlaneDims): string {
  const write = mode === 'avg' ? 'dx[t] = g;' : 'dx[t] = select(0.0, g, r * W + c == arg);';
  return `${splitIndex('i', 'OH', 'OW', 'oh', 'ow')}
  let plane = nc * ${u32(d.H * d.W)};
${WINDOW}
${mode === 'max' ? argWindow('max') : ''}
  let g = dy[i]${mode === 'avg' ? ` / f32(${COUNT})` : ''};
  for (var r = y0; r < y1 + ${ZERO}; r++) {
    for (var c = x0; c < x1 + ${ZERO}; c++) {
      let t = ${TAP};
      ${write}
    }
  }`;
}

/**
 * One input pixel per item, summing over the windows that contain it: rows oh from
 * floor(ih·OH/H) to floor(((ih + 1)·OH − 1)/H), each checked against its window. max rescans the
 * window (the op has no forward output to compare with).
 */
function gatherBody(mode: 'avg' | 'max', d: PlaneDims): string {
  const term = mode === 'avg' ? `acc += dy[o] / f32(${COUNT});` : `${argWindow('max').replace(/^/gm, '    ')}\n        if (arg == ih * W + iw) { acc += dy[o]; }`;
  return `${splitIndex('i', 'H', 'W', 'ih', 'iw')}
  let plane = nc * ${u32(d.H * d.W)};
  let oplane = nc * ${u32(d.OH * d.OW)};
  let oh1 = min(OH - 1, ((ih + 1) * OH - 1) / H);
  let ow1 = min(OW - 1, ((iw + 1) * OW - 1) / W);
  var acc = 0.0;
  for (var oh = (ih * OH) / H; oh <= oh1; oh++) {
    for (var ow = (iw * OW) / W; ow <= ow1; ow++) {
${WINDOW.replace(/^ {2}/gm, '      ')}
      if (ih < y0 || ih >= y1 || iw < x0 || iw >= x1) { continue; }
      let o = oplane + u32(oh * OW + ow);
      ${term}
    }
  }
  dx[i] = acc;`;
}

/** adaptive_pool_grad: [dy, x] → [dx]. */
export function emitAdaptivePoolGrad(op: Op, graph: Graph, target: TargetInfo): Kernel {
  expectKind(op, 'adaptive_pool_grad', 'emitAdaptivePoolGrad');
  const d = planeDimsOf(graph, op.inputs[1], op.inputs[0]);
  const buffers: BufferDecl[] = [
    { name: 'dy', tensor: op.inputs[0], access: 'read' },
    { name: 'x', tensor: op.inputs[1], access: 'read' },
    { name: 'dx', tensor: op.outputs[0], access: 'read_write' },
  ];
  const partition = windowsPartition(d);
  return perElementKernel(
    {
      name: `adaptive_pool_grad_${op.mode}`, layer: op.layer,
      comment: describe(partition ? 'adaptive_pool_grad (per window)' : 'adaptive_pool_grad (gather)', op.mode, d),
      buffers, batched: true, prelude: planeConstants(d), tile: heavyTile(target),
      units: d.C * (partition ? d.OH * d.OW : d.H * d.W),
      body: partition ? perWindowBody(op.mode, d) : gatherBody(op.mode, d),
    },
    target,
  );
}
