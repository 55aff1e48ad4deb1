import type { Graph, Op } from '../ir/graph.js';
import type { Kernel, TargetInfo } from './kernel.js';
import { channelsAndPositions, expectKind, heavyTile, perElementKernel } from './per-element.js';
import { tensorOf } from './shapes.js';
import { f32, i32, u32, type BufferDecl } from './wgsl.js';

/**
 * Local response normalisation across channels (PyTorch's LocalResponseNorm): channel c sums x_j²
 * for j from c − ⌊size/2⌋ to c + ⌊(size−1)/2⌋ (clipped), D_c = k + α/size·Σ, y = x·D^−β.
 * One element per item, each window summed directly: `size` is small (5 in AlexNet), and a
 * sliding sum down the channels would subtract squares and lose precision after a large value.
 */

interface LrnAttrs {
  readonly size: number;
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;
}

/** Constants, the element decomposition, and D at (row, channel c) as a function. */
function prelude(C: number, P: number, a: LrnAttrs): string {
  return `const C = ${u32(C)};
const P = ${u32(P)};
const CI = ${i32(C)};
const BEFORE = ${i32(Math.floor(a.size / 2))};
const AFTER = ${i32(Math.floor((a.size - 1) / 2))};
const K = ${f32(a.k)};
const SCALE = ${f32(a.alpha / a.size)};
const BETA = ${f32(a.beta)};
const COEF = ${f32((2 * a.alpha * a.beta) / a.size)};

/** D_c at the position whose channel 0 is word \`row\`. */
fn den(row: u32, c: i32) -> f32 {
  var s = 0.0;
  for (var j = max(0, c - BEFORE); j <= min(CI - 1, c + AFTER); j++) {
    let v = x[row + u32(j) * P];
    s += v * v;
  }
  return K + SCALE * s;
}`;
}

/** Splits item i into its channel c (i32) and `row`, the word of channel 0 at its position. */
const SPLIT = `  let p = i % P;
  let nc = i / P;
  let c = i32(nc % C);
  let row = (nc / C) * C * P + p;`;

function dims(graph: Graph, id: number): [number, number, boolean] {
  const t = tensorOf(graph, id);
  const [C, P] = channelsAndPositions(t);
  return [C, P, t.batched];
}

/** lrn: [x] → [y]. */
export function emitLrn(op: Op, graph: Graph, target: TargetInfo): Kernel {
  expectKind(op, 'lrn', 'emitLrn');
  const [C, P, batched] = dims(graph, op.inputs[0]);
  const buffers: BufferDecl[] = [
    { name: 'x', tensor: op.inputs[0], access: 'read' },
    { name: 'out', tensor: op.outputs[0], access: 'read_write' },
  ];
  return perElementKernel(
    {
      name: 'lrn', layer: op.layer, comment: `lrn size ${op.size}: ${C} channels × ${P} positions`, buffers, units: C * P, batched,
      prelude: prelude(C, P, op), tile: heavyTile(target),
      body: `${SPLIT}\n  out[i] = x[i] * pow(den(row, c), -BETA);`,
    },
    target,
  );
}

/**
 * lrn_grad: [dy, x] → [dx]. dx_i = dy_i·D_i^−β − (2αβ/size)·x_i·Σ_c dy_c·x_c·D_c^(−β−1) over the
 * channels c whose window holds i (the mirror image: c − ⌊(size−1)/2⌋ … c + ⌊size/2⌋), with each
 * D_c recomputed: size² loads per element, no second pass and no scratch buffer.
 */
export function emitLrnGrad(op: Op, graph: Graph, target: TargetInfo): Kernel {
  expectKind(op, 'lrn_grad', 'emitLrnGrad');
  const [C, P, batched] = dims(graph, op.inputs[1]);
  const buffers: BufferDecl[] = [
    { name: 'dy', tensor: op.inputs[0], access: 'read' },
    { name: 'x', tensor: op.inputs[1], access: 'read' },
    { name: 'dx', tensor: op.outputs[0], access: 'read_write' },
  ];
  const body = `${SPLIT}
  var s = 0.0;
  for (var j = max(0, c - AFTER); j <= min(CI - 1, c + BEFORE); j++) {
    let at = row + u32(j) * P;
    let d = den(row, j);
    s += dy[at] * x[at] * pow(d, -BETA) / d;
  }
  dx[i] = dy[i] * pow(den(row, c), -BETA) - COEF * x[i] * s;`;
  return perElementKernel(
    { name: 'lrn_grad', layer: op.layer, comment: `lrn_grad size ${op.size}: ${C} channels × ${P} positions`, buffers, units: C * P, batched, prelude: prelude(C, P, op), body, tile: heavyTile(target) },
    target,
  );
}
