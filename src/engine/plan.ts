import { emitKernel } from '../codegen/emit.js';
import type { Kernel, TargetInfo } from '../codegen/kernel.js';
import type { Graph } from '../ir/graph.js';
import { fuse, type FusionPlan, type Group } from '../ir/fuse.js';
import type { BufferLayout } from '../runtime/buffers.js';

/** What runs on the device for one graph: kernels in order, and where tensors live. */
export interface DevicePlan {
  readonly graph: Graph;
  readonly fusion: FusionPlan;
  readonly kernels: readonly Kernel[];
  readonly layout: BufferLayout;
  /** Arena 0 holds the parameters in `graph.params` order; arena 1 (training) their gradients. */
  readonly paramArena: number;
  readonly gradArena?: number;
}

/** A group's kernels: the fused emitter when it can, else one kernel per op. */
export type GroupEmitter = (group: Group, graph: Graph, target: TargetInfo) => Kernel[];

export function unfusedGroup(group: Group, graph: Graph, target: TargetInfo): Kernel[] {
  const ops = [...(group.prologue !== undefined ? [group.prologue] : []), group.anchor, ...group.siblings, ...group.epilogue];
  return ops.map((id) => emitKernel(graph.ops[id], graph, target));
}

export function planDevice(graph: Graph, target: TargetInfo, opts: { fusion: boolean; emitGroup?: GroupEmitter }): DevicePlan {
  const fusion = fuse(graph, { enabled: opts.fusion });
  const emit = opts.emitGroup ?? unfusedGroup;
  const kernels = fusion.groups.flatMap((g) => emit(g, graph, target));
  const arenas: number[][] = [[...graph.params]];
  let gradArena: number | undefined;
  if (graph.grads) {
    const grads = graph.params.map((p) => graph.grads!.get(p)).filter((d): d is number => d !== undefined);
    // A gradient shared by two parameters (never, today) could not live in two places.
    if (new Set(grads).size === grads.length && grads.length === graph.params.length) {
      arenas.push(grads);
      gradArena = 1;
    }
  }
  return { graph, fusion, kernels, layout: { aliases: fusion.aliases, arenas }, paramArena: 0, gradArena };
}
