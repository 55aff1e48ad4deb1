import type { Graph, Op } from '../ir/graph.js';
import { numel } from '../ir/graph.js';
import { hash32 } from '../ir/random.js';
import type { Kernel, TargetInfo } from './kernel.js';
import { lightTile, perElementKernel } from './per-element.js';
import { tensorOf } from './shapes.js';
import { f32, u32, type BufferDecl } from './wgsl.js';

/**
 * Dropout and its gradient: y = x·m/(1 − p), m regenerated from the counter-based stream of
 * ir/random.ts (seed, params.step, the element's flat index in the whole batched tensor), so the
 * backward pass recomputes the forward mask instead of storing it. Bit-exact with the reference:
 * the hash is 32-bit integer arithmetic, which u32 ops in WGSL wrap the same way, and the test
 * `uniform ≥ p` is done on the integer: uniform = k/2²⁴ with k = h >> 8, so it holds exactly when
 * k ≥ ⌈p·2²⁴⌉ (p·2²⁴ is exact in float64), with no rounding of p to f32 in between.
 */

/** ir/random.ts's hash32, line for line. */
const HASH = `fn hash32(x: u32) -> u32 {
  let s = x * 747796405u + 2891336453u;
  let word = ((s >> ((s >> 28u) + 4u)) ^ s) * 277803737u;
  return (word >> 22u) ^ word;
}`;

/** The smallest k = h >> 8 that keeps an element. */
export function keepThreshold(p: number): number {
  return Math.max(0, Math.ceil(p * 16777216));
}

function emit(op: Op, graph: Graph, target: TargetInfo, p: number, seed: number, what: string): Kernel {
  const x = tensorOf(graph, op.inputs[0]);
  const y = tensorOf(graph, op.outputs[0]);
  if (numel(x.shape) !== numel(y.shape) || x.batched !== y.batched) throw new Error(`internal: ${what} ${x.shape.join('×')} into ${y.shape.join('×')}`);
  const buffers: BufferDecl[] = [
    { name: 'x', tensor: x.id, access: 'read' },
    { name: 'out', tensor: y.id, access: 'read_write' },
  ];
  // p ≥ 1 drops everything as x·0 (NaN stays NaN), as the reference does, not 0/0.
  const body =
    p >= 1
      ? '  out[i] = x[i] * 0.0;'
      : `  let h = hash32(hash32(SEED ^ params.step) ^ i);
  out[i] = x[i] * select(0.0, SCALE, (h >> 8u) >= KEEP);`;
  const prelude = p >= 1 ? '' : `const SEED = ${u32(hash32(seed))};\nconst KEEP = ${u32(keepThreshold(p))};\nconst SCALE = ${f32(1 / (1 - p))};\n\n${HASH}`;
  return perElementKernel(
    {
      name: what, layer: op.layer, comment: `${what} p=${p} seed=${seed}: ${x.shape.join('×')}${x.batched ? ' per sample' : ''}`, buffers,
      units: numel(x.shape), batched: x.batched, prelude, body, tile: lightTile(target),
    },
    target,
  );
}

/** dropout: [x] → [y]. */
export function emitDropout(op: Op, graph: Graph, target: TargetInfo): Kernel {
  if (op.kind !== 'dropout') throw new Error(`internal: emitDropout got ${op.kind}`);
  return emit(op, graph, target, op.p, op.seed, 'dropout');
}

/** dropout_grad: [dy] → [dx] with the forward mask (same seed and step). */
export function emitDropoutGrad(op: Op, graph: Graph, target: TargetInfo): Kernel {
  if (op.kind !== 'dropout_grad') throw new Error(`internal: emitDropoutGrad got ${op.kind}`);
  return emit(op, graph, target, op.p, op.seed, 'dropout_grad');
}
