import type { Op, Tensor } from '../ir/graph.js';
import type { Kernel, TargetInfo } from './kernel.js';
import { elementwiseTile, windowTile } from './variants.js';
import { bindingsOf, bound, declareBindings, entryPoint, u32, type BufferDecl } from './wgsl.js';

/**
 * The skeleton shared by the pooling, normalisation, softmax, copy and dropout kernels: a flat list
 * of independent work items (an output element, an input element for gather-style gradients, or a
 * row of channels), each handled by `fn item(i: u32)`. Every invocation takes several items strided
 * by the workgroup, so neighbouring invocations touch neighbouring words, and the dispatch is
 * folded into y past the per-dimension limit.
 */
export interface PerElementSpec {
  /** Kernel name without the layer, e.g. `pool2d_max`. */
  readonly name: string;
  readonly layer: string;
  /** First line of the source: what it computes, for dumps. */
  readonly comment: string;
  readonly buffers: readonly BufferDecl[];
  /** Work items per sample, or in all when not batched. */
  readonly units: number;
  readonly batched: boolean;
  /** Module-scope declarations after the bindings: constants and helper functions. */
  readonly prelude?: string;
  /** Statements of `fn item(i: u32)`; `i` is below the total, so only reads beyond it need checks. */
  readonly body: string;
  readonly tile: ItemTile;
}

/** Invocations per workgroup and items per invocation. */
export interface ItemTile {
  readonly wg: number;
  readonly perInvocation: number;
}

/** Copies and other load-bound items: the elementwise tile (variants.ts). */
export function lightTile(target: TargetInfo): ItemTile {
  return elementwiseTile(target);
}

/** Items that loop over a window or a row of channels: variants.ts windowTile. */
export function heavyTile(target: TargetInfo): ItemTile {
  return windowTile(target);
}

export function perElementKernel(spec: PerElementSpec, target: TargetInfo): Kernel {
  const { wg, perInvocation } = spec.tile;
  const total = spec.batched ? `params.batch * ${u32(spec.units)}` : u32(spec.units);
  const source = `// ${spec.comment}
${declareBindings(spec.buffers)}
${spec.prelude ?? ''}
fn item(i: u32) {
${spec.body}
}

${entryPoint(wg)}
  let total = ${total};
  let base = wg * ${u32(wg * perInvocation)} + lid;
  for (var j = 0u; j < ${bound(u32(perInvocation))}; j++) {
    let i = base + j * ${u32(wg)};
    if (i < total) { item(i); }
  }
}
`;
  return {
    name: `${spec.name}:${spec.layer}`,
    layer: spec.layer,
    source,
    bindings: bindingsOf(spec.buffers),
    workgroups: { units: spec.units, batched: spec.batched, perWorkgroup: wg * perInvocation, times: 1 },
  };
}

/**
 * Channels and positions per sample, as the reference treats every channel-wise op: C×H×W →
 * [C, H·W], a flat [F] → [F, 1].
 */
export function channelsAndPositions(t: Tensor): readonly [number, number] {
  if (t.shape.length === 0) return [1, 1];
  let p = 1;
  for (let i = 1; i < t.shape.length; i++) p *= t.shape[i];
  return [t.shape[0], p];
}

/** The sample count of a tensor as WGSL: the uniform batch when batched, else 1. */
export function batchOf(t: Tensor): string {
  return t.batched ? 'params.batch' : '1u';
}

/** A quiet NaN the compiler cannot fold (a constant NaN is a WGSL error); for invalid data. */
export const RUNTIME_NAN = 'bitcast<f32>(0x7fc00000u + params.zero)';

/** Throws unless the op is of the expected kind; narrows it for the emitter. */
export function expectKind<K extends Op['kind']>(op: Op, kind: K, who: string): asserts op is Extract<Op, { kind: K }> {
  if (op.kind !== kind) throw new Error(`internal: ${who} got ${op.kind}`);
}
