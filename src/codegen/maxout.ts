import type { Graph, Op } from '../ir/graph.js';
import { numel } from '../ir/graph.js';
import type { Kernel, TargetInfo } from './kernel.js';
import { channelsAndPositions, expectKind, heavyTile, perElementKernel } from './per-element.js';
import { tensorOf } from './shapes.js';
import { u32, type BufferDecl } from './wgsl.js';

/**
 * Maxout over channels: output channel c at each position is the max of input channels
 * c·k … c·k + k − 1 (ties to the lowest). Each group of k input elements belongs to exactly one
 * output element, so both directions run one output element per item, and the gradient writes its
 * whole group (dy to the winner, 0 to the rest) without races or zeroing.
 */

/** Output channels C and positions P; `base` is the group's first input element, stride P. */
function prelude(C: number, P: number, k: number): string {
  return `const C = ${u32(C)};\nconst P = ${u32(P)};\nconst K = ${u32(k)};

fn groupBase(i: u32) -> u32 {
  let p = i % P;
  let nc = i / P;
  return nc * K * P + p;
}

/** Index of the group's first maximum, in 0 … K − 1. */
fn winner(base: u32) -> u32 {
  var best = x[base];
  var arg = 0u;
  for (var j = 1u; j < (K + params.zero); j++) {
    let v = x[base + j * P];
    if (v > best) { best = v; arg = j; }
  }
  return arg;
}`;
}

function dims(op: Op, graph: Graph, xId: number, yId: number, k: number): [number, number] {
  const x = tensorOf(graph, xId);
  const y = tensorOf(graph, yId);
  const [C, P] = channelsAndPositions(y);
  if (numel(x.shape) !== numel(y.shape) * k || x.batched !== y.batched) {
    throw new Error(`internal: ${op.kind} of ${x.shape.join('×')} into ${y.shape.join('×')} with k = ${k}`);
  }
  return [C, P];
}

/** maxout: [x] → [y]. */
export function emitMaxout(op: Op, graph: Graph, target: TargetInfo): Kernel {
  expectKind(op, 'maxout', 'emitMaxout');
  const [C, P] = dims(op, graph, op.inputs[0], op.outputs[0], op.k);
  const buffers: BufferDecl[] = [
    { name: 'x', tensor: op.inputs[0], access: 'read' },
    { name: 'out', tensor: op.outputs[0], access: 'read_write' },
  ];
  const y = tensorOf(graph, op.outputs[0]);
  return perElementKernel(
    {
      name: 'maxout', layer: op.layer, comment: `maxout k=${op.k}: ${C} channels × ${P} positions`, buffers, units: C * P, batched: y.batched,
      prelude: prelude(C, P, op.k), tile: heavyTile(target),
      body: '  let base = groupBase(i);\n  out[i] = x[base + winner(base) * P];',
    },
    target,
  );
}

/** maxout_grad: [dy, x] → [dx]. */
export function emitMaxoutGrad(op: Op, graph: Graph, target: TargetInfo): Kernel {
  expectKind(op, 'maxout_grad', 'emitMaxoutGrad');
  const [C, P] = dims(op, graph, op.inputs[1], op.inputs[0], op.k);
  const buffers: BufferDecl[] = [
    { name: 'dy', tensor: op.inputs[0], access: 'read' },
    { name: 'x', tensor: op.inputs[1], access: 'read' },
    { name: 'dx', tensor: op.outputs[0], access: 'read_write' },
  ];
  const dy = tensorOf(graph, op.inputs[0]);
  return perElementKernel(
    {
      name: 'maxout_grad', layer: op.layer, comment: `maxout_grad k=${op.k}: ${C} channels × ${P} positions`, buffers, units: C * P, batched: dy.batched,
      prelude: prelude(C, P, op.k), tile: heavyTile(target),
      body: `  let base = groupBase(i);
  let arg = winner(base);
  let g = dy[i];
  for (var j = 0u; j < (K + params.zero); j++) { dx[base + j * P] = select(0.0, g, j == arg); }`,
    },
    target,
  );
}
