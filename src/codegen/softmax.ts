import type { Graph, Op } from '../ir/graph.js';
import type { Kernel, TargetInfo } from './kernel.js';
import { channelsAndPositions, expectKind, heavyTile, perElementKernel } from './per-element.js';
import { tensorOf } from './shapes.js';
import { bound, u32, type BufferDecl } from './wgsl.js';

/**
 * Softmax over the channels (features when flat) at each (sample, position): one row per item,
 * looping down the C channels with stride P, so neighbouring invocations read neighbouring
 * positions. Shifted by the row's max so exp cannot overflow.
 */

function prelude(C: number, P: number): string {
  return `const C = ${u32(C)};\nconst P = ${u32(P)};`;
}

/** `base`: the word of channel 0 of row i (sample i / P, position i % P); channel c is at base + c·P. */
export const ROW = `  let base = (i / P) * C * P + i % P;`;

/** Loop header over the channels of a row, `from` the first. */
export function forChannels(from: string): string {
  return `for (var c = ${from}; c < ${bound('C')}; c++)`;
}

function rows(graph: Graph, id: number): [number, number, boolean] {
  const t = tensorOf(graph, id);
  const [C, P] = channelsAndPositions(t);
  return [C, P, t.batched];
}

/** softmax: [x] → [y]; exp is stored once, then scaled by 1/Σ. */
export function emitSoftmax(op: Op, graph: Graph, target: TargetInfo): Kernel {
  expectKind(op, 'softmax', 'emitSoftmax');
  const [C, P, batched] = rows(graph, op.inputs[0]);
  const buffers: BufferDecl[] = [
    { name: 'x', tensor: op.inputs[0], access: 'read' },
    { name: 'out', tensor: op.outputs[0], access: 'read_write' },
  ];
  const body = `${ROW}
  var mx = x[base];
  ${forChannels('1u')} { mx = max(mx, x[base + c * P]); }
  var s = 0.0;
  ${forChannels('0u')} {
    let e = exp(x[base + c * P] - mx);
    out[base + c * P] = e;
    s += e;
  }
  let inv = 1.0 / s;
  ${forChannels('0u')} { out[base + c * P] *= inv; }`;
  return perElementKernel(
    { name: 'softmax', layer: op.layer, comment: `softmax over ${C} channels × ${P} positions`, buffers, units: P, batched, prelude: prelude(C, P), body, tile: heavyTile(target) },
    target,
  );
}

/** softmax_grad: [dy, y] → [dx], dx_c = y_c·(dy_c − Σ_j dy_j·y_j). */
export function emitSoftmaxGrad(op: Op, graph: Graph, target: TargetInfo): Kernel {
  expectKind(op, 'softmax_grad', 'emitSoftmaxGrad');
  const [C, P, batched] = rows(graph, op.inputs[1]);
  const buffers: BufferDecl[] = [
    { name: 'dy', tensor: op.inputs[0], access: 'read' },
    { name: 'yf', tensor: op.inputs[1], access: 'read' },
    { name: 'dx', tensor: op.outputs[0], access: 'read_write' },
  ];
  const body = `${ROW}
  var s = 0.0;
  ${forChannels('0u')} { s += dy[base + c * P] * yf[base + c * P]; }
  ${forChannels('0u')} {
    let j = base + c * P;
    dx[j] = yf[j] * (dy[j] - s);
  }`;
  return perElementKernel(
    { name: 'softmax_grad', layer: op.layer, comment: `softmax_grad over ${C} channels × ${P} positions`, buffers, units: P, batched, prelude: prelude(C, P), body, tile: heavyTile(target) },
    target,
  );
}
