import type { CheckedModel } from './check/model.js';
import type { TrainingConfig } from './check/training.js';
import type { TargetInfo } from './codegen/kernel.js';
import { DEFAULT_OPTIMIZER, planDevice, type DevicePlan, type GroupEmitter } from './engine/plan.js';
import { differentiate } from './ir/autodiff.js';
import type { Graph } from './ir/graph.js';
import { initialValues } from './ir/init.js';
import { lowerModel } from './ir/lower.js';
import { mulberry32 } from './ir/random.js';
import { verifyGraph } from './ir/verify.js';
import type { OptimizerConfig } from './train/optimizer.js';

/**
 * The back end as a list of named stages, from a checked model (compiler.ts's front end) to what
 * runs on a device:
 *
 *   lower ──▶ differentiate (training) ──▶ fold batchnorm (inference) ──▶ fuse ──▶ emit ──▶ lay out
 *
 * Every caller — sessions, probes, compiled modules, `cnnc compile --emit` — goes through
 * `compileBackEnd`, so one option means one thing everywhere and defaults live here only. The IR
 * verifier runs after every graph pass when `verify` is on (always in tests: CNNC_VERIFY=1).
 */

export type BackEndMode = 'infer' | 'train';

export interface BackEndOptions {
  readonly mode: BackEndMode;
  /** The adapter facts that choose kernel variants (a device's, or codegen/targets.ts's). */
  readonly target: TargetInfo;
  /** Seed of dropout's random stream (training); default 0. */
  readonly seed?: number;
  /** Training: the loss and the update; default: the model's training section (trainingDefaults). */
  readonly loss?: TrainingConfig['loss'];
  readonly optimizer?: OptimizerConfig;
  /** Fused kernels (default true); off, one kernel per op. */
  readonly fusion?: boolean;
  /** Fold inference batchnorm into the conv before it; default: with fusion. */
  readonly fold?: boolean;
  /** Share batched buffers between tensors never live together; default: with fusion. */
  readonly pool?: boolean;
  /** Storage binding alignment the layout must meet; default 256, which every device accepts. */
  readonly align?: number;
  /** Tensors the caller reads after a run besides the outputs (a probe): kept as they are. */
  readonly keep?: readonly number[];
  /** Replaces the group emitter (tests and benchmarks compare emitters). */
  readonly emitGroup?: GroupEmitter;
  /** Run the IR verifier after every graph pass; default: the CNNC_VERIFY environment variable. */
  readonly verify?: boolean;
}

/** Every stage's result, for dumps (`cnnc compile --emit STAGE`) and for the runtimes. */
export interface BackEndStages {
  /** The model lowered to the graph IR (with the loss attached when training). */
  readonly lowered: Graph;
  /** Training: forward, loss and backward (the gradient rules of ir/autodiff.ts). */
  readonly differentiated?: Graph;
  /** The device plan: its graph (batchnorm folded), fusion plan, kernels and buffer layout. */
  readonly plan: DevicePlan;
  /** Training: the update the plan ends with. */
  readonly optimizer?: OptimizerConfig;
  readonly loss: TrainingConfig['loss'];
}

/** Where a model's training section is silent: cross-entropy, SGD with lr 0.01. */
export function trainingDefaults(model: CheckedModel, overrides: { loss?: TrainingConfig['loss']; optimizer?: OptimizerConfig } = {}): { loss: TrainingConfig['loss']; optimizer: OptimizerConfig } {
  return {
    loss: overrides.loss ?? model.training?.loss ?? 'cross_entropy',
    optimizer: overrides.optimizer ?? model.training?.optimizer ?? DEFAULT_OPTIMIZER,
  };
}

/** Throws on a broken IR invariant (a compiler bug, never a user error), naming the stage. */
export function verified(g: Graph, stage: string, on: boolean): Graph {
  if (!on) return g;
  const problems = verifyGraph(g);
  if (problems.length) throw new Error(`internal: the IR after ${stage} is broken:\n  ${problems.slice(0, 20).join('\n  ')}`);
  return g;
}

/** Whether CNNC_VERIFY asks for the verifier (read safely where there is no `process`, in browsers). */
export function verifyByDefault(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.CNNC_VERIFY === '1';
}

export function compileBackEnd(model: CheckedModel, opts: BackEndOptions): BackEndStages {
  const verify = opts.verify ?? verifyByDefault();
  const { loss, optimizer } = trainingDefaults(model, opts);
  const train = opts.mode === 'train';
  const lowered = lowerStage(model, { ...opts, verify });
  const differentiated = train ? verified(differentiate(lowered), 'autodiff', verify) : undefined;
  const plan = planStages(differentiated ?? lowered, opts, train ? optimizer : undefined, verify);
  return { lowered, ...(differentiated ? { differentiated, optimizer } : {}), plan, loss };
}

/** The first stage alone: the model as graph IR (probes and the NaN finder start from it). */
export function lowerStage(model: CheckedModel, opts: Pick<BackEndOptions, 'mode' | 'seed' | 'loss' | 'verify'>): Graph {
  const { loss } = trainingDefaults(model, opts);
  const g = lowerModel(model, opts.mode === 'train' ? { mode: 'train', loss, seed: opts.seed ?? 0 } : { mode: 'infer' });
  return verified(g, 'lowering', opts.verify ?? verifyByDefault());
}

/** Fold, fuse, emit and lay out a graph that is already lowered (probes prune and re-seed theirs). */
export function planStages(graph: Graph, opts: Omit<BackEndOptions, 'mode'>, optimizer: OptimizerConfig | undefined, verify = opts.verify ?? verifyByDefault()): DevicePlan {
  const fusion = opts.fusion ?? true;
  const plan = planDevice(graph, opts.target, {
    fusion,
    fold: opts.fold,
    pool: opts.pool,
    keep: opts.keep,
    emitGroup: opts.emitGroup,
    align: opts.align ?? 256,
    optimizer,
  });
  verified(plan.graph, 'batchnorm folding', verify && plan.graph !== graph);
  return plan;
}

/** Initial weights by PyTorch name: PyTorch's default initialisation drawn from `seed` (mulberry32) in tensor order. */
export function initialWeights(graph: Graph, seed: number): Record<string, { shape: readonly number[]; data: Float32Array }> {
  const out: Record<string, { shape: readonly number[]; data: Float32Array }> = {};
  for (const [id, v] of initialValues(graph, mulberry32(seed))) out[graph.tensors[id].name] = { shape: graph.tensors[id].shape, data: Float32Array.from(v) };
  return out;
}
