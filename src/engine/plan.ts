import { fusionRules } from '../codegen/fusion-rules.js';
import { emitGroup } from '../codegen/group.js';
import type { Kernel, ScratchSpace, TargetInfo } from '../codegen/kernel.js';
import { emitOptimizerUpdate, HYPER_LENGTH, optimizerStateNames } from '../codegen/optimizer.js';
import type { Graph, Tensor } from '../ir/graph.js';
import { foldBatchnorm } from '../ir/fold.js';
import { fuse, type FusionPlan, type Group } from '../ir/fuse.js';
import type { OptimizerConfig } from '../train/optimizer.js';
import { packArena, type BufferLayout } from '../runtime/buffers.js';
import { dropRepeatedCopies } from './copies.js';
import { planPools } from './pools.js';

/** What runs on the device for one graph: kernels in order, and where tensors live. */
export interface DevicePlan {
  readonly graph: Graph;
  /** The graph's tensors plus the kernels' scratch and the optimizer's (views of the arenas, state, hyperparameters). */
  readonly tensors: readonly Tensor[];
  readonly fusion: FusionPlan;
  readonly kernels: readonly Kernel[];
  /**
   * The first `prepare` kernels compute derived tensors (folded weights) from parameters and state
   * alone: a runtime may run them only after the weights change instead of before every forward.
   */
  readonly prepare: number;
  readonly layout: BufferLayout;
  /** Training: the tensor the caller writes the learning rate and bias corrections to. */
  readonly hyper?: number;
  /** Optimizer state tensors by name (momentum, m, v), for checkpoints. */
  readonly optimizerState?: Readonly<Record<string, number>>;
}

/** Tensors a prepare kernel may bind: it reads weights and writes derived tensors, nothing batched. */
const PREPARED_ROLES = new Set<Tensor['role']>(['param', 'state', 'derived']);

/**
 * A group's kernels (codegen/group.ts: one, or two with scratch storage between them; a test or
 * benchmark may split a group to compare).
 */
export type GroupEmitter = (group: Group, graph: Graph, target: TargetInfo, scratch: ScratchSpace) => Kernel[];

/** The update when neither the caller nor the model's training section names one. */
export const DEFAULT_OPTIMIZER: OptimizerConfig = { name: 'sgd', lr: 0.01, momentum: 0, nesterov: false, weight_decay: 0 };

export interface PlanOptions {
  readonly fusion: boolean;
  readonly emitGroup?: GroupEmitter;
  /** The device's minStorageBufferOffsetAlignment. */
  readonly align: number;
  /** Training: the update appended after the backward pass. */
  readonly optimizer?: OptimizerConfig;
  /** Fold inference batchnorm into the conv before it (ir/fold.ts); default: with fusion. */
  readonly fold?: boolean;
  /**
   * Batched intermediate tensors share buffers when their lifetimes over the kernel order do not
   * overlap (engine/pools.ts); default: with fusion. Off, every tensor keeps a buffer of its own.
   */
  readonly pool?: boolean;
  /** Tensors the caller reads after a run besides the graph's outputs (a probe): kept as they are. */
  readonly keep?: readonly number[];
}

/**
 * Kernels and buffer layout for a graph. Parameters live in one arena and (training) their
 * gradients in another with the same offsets, so the optimizer updates all of them in one
 * dispatch over the whole arena (gaps between parameters hold zeros and stay zero).
 */
export function planDevice(source: Graph, target: TargetInfo, opts: PlanOptions): DevicePlan {
  // Inference: batchnorm folded into the conv before it (ir/fold.ts); the plan's graph is the folded one.
  const graph = (opts.fold ?? opts.fusion) ? foldBatchnorm(source, { keep: new Set(opts.keep ?? []) }) : source;
  // The emitters say what they can absorb on this target, so each group is one kernel (or a
  // weight gradient split over the batch: partial sums in scratch storage, then their sum).
  const fusion = fuse(graph, fusionRules(target), { enabled: opts.fusion });
  const mode = opts.optimizer ? 'train' : 'infer';
  const emit: GroupEmitter = opts.emitGroup ?? ((g, gr, t, scratch) => emitGroup(g, gr, t, { scratch, mode }));
  // Tensors the plan adds after the graph's: kernels' scratch, then the optimizer's.
  const extra: Tensor[] = [];
  const add = (name: string, length: number, role: Tensor['role']): number => {
    const id = graph.tensors.length + extra.length;
    extra.push({ id, name, shape: [length], batched: false, role });
    return id;
  };
  // Textures are asked for by name: the weights' and the gradients' are shared by every texture
  // kernel (each lives only from its copy to its GEMM), a conv input's is its own (kept until its
  // weight gradient reads it). Each is sized for the largest request and never pooled.
  const textures = new Map<string, { id: number; texels: number; batched: boolean }>();
  const staging = new Map<string, { id: number; texels: number; batched: boolean }>();
  const scratch: ScratchSpace = {
    tensor: (name, length) => add(name, length, 'scratch'),
    texture: (name, texels, batched) => {
      const known = textures.get(name);
      if (known) {
        if (known.batched !== batched) throw new Error(`internal: texture ${name} asked for batched and unbatched`);
        known.texels = Math.max(known.texels, texels);
        return known.id;
      }
      const id = add(name, 0, 'scratch');
      textures.set(name, { id, texels, batched });
      return id;
    },
    // A copy's staging buffer lives from its copy kernel to the copy command after it, so one serves all.
    staging: (texels, batched) => {
      const name = batched ? 'textures.staging' : 'textures.staging_weights';
      const known = staging.get(name);
      if (known) {
        known.texels = Math.max(known.texels, texels);
        return known.id;
      }
      const id = add(name, 0, 'scratch');
      staging.set(name, { id, texels, batched });
      return id;
    },
  };
  const kernels = dropRepeatedCopies(fusion.groups.flatMap((g) => emit(g, graph, target, scratch)));
  // Each shared texture's size is known only after every group has asked for it.
  for (const { id, texels, batched } of textures.values()) {
    const at = id - graph.tensors.length;
    extra[at] = { ...extra[at], shape: [4 * texels], batched, texture: true };
  }
  for (const { id, texels, batched } of staging.values()) {
    const at = id - graph.tensors.length;
    extra[at] = { ...extra[at], shape: [4 * texels], batched };
  }
  const all = [...graph.tensors, ...extra];
  const firstForward = kernels.findIndex((k) => !k.bindings.every((b) => PREPARED_ROLES.has(all[b.tensor].role)));
  const prepare = firstForward < 0 ? kernels.length : firstForward;
  const params = packArena(graph.tensors, graph.params, opts.align);
  // Only batched tensors are pooled; the host writes the inputs before a run and reads the outputs after it.
  const pools = (opts.pool ?? opts.fusion)
    ? planPools({ tensors: all, kernels: kernels.map((k) => k.bindings.map((b) => b.tensor)), aliases: fusion.aliases, pinned: [...graph.inputs, ...graph.outputs, ...(opts.keep ?? [])] })
    : [];
  const layout = { aliases: fusion.aliases, arenas: [params], pools };
  if (!graph.grads || !opts.optimizer) return { graph, tensors: all, fusion, kernels, prepare, layout };

  const grads = graph.params.map((p) => graph.grads!.get(p));
  if (grads.some((d) => d === undefined) || new Set(grads).size !== grads.length) {
    throw new Error('internal: every parameter needs a gradient of its own for the fused update');
  }
  const gradArena = packArena(graph.tensors, grads as number[], opts.align);
  // The optimizer sees each arena as one flat tensor; its state tensors match that length.
  const n = params.bytes / 4;
  const paramView = add('optimizer.params', n, 'param');
  const gradView = add('optimizer.grads', n, 'grad');
  const stateNames = optimizerStateNames(opts.optimizer);
  const state = stateNames.map((s) => add(`optimizer.${s}`, n, 'state'));
  const hyper = add('optimizer.hyper', HYPER_LENGTH, 'state');
  const update = emitOptimizerUpdate(opts.optimizer, n, target, { param: paramView, grad: gradView, state, hyper });
  return {
    graph,
    tensors: [...graph.tensors, ...extra],
    fusion,
    kernels: [...kernels, update],
    prepare,
    layout: { aliases: fusion.aliases, arenas: [params, gradArena], views: new Map([[paramView, 0], [gradView, 1]]), pools },
    hyper,
    optimizerState: Object.fromEntries(stateNames.map((s, i) => [s, state[i]])),
  };
}
