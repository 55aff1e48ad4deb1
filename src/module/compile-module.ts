import type { ModuleManifest, OptimizerSpec, WeightSpec } from '../../module-runtime/cnnc-runtime.js';
import type { CheckedModel } from '../check/model.js';
import { TARGETS } from '../codegen/targets.js';
import { DEFAULT_OPTIMIZER, planDevice } from '../engine/plan.js';
import { differentiate } from '../ir/autodiff.js';
import type { Graph } from '../ir/graph.js';
import { lowerModel } from '../ir/lower.js';
import { BufferRegistry, ProgramBuilder, ShaderTable } from './program.js';

export interface ModuleOptions {
  /** Kernel variants: 'software' for CPU adapters (lavapipe), 'gpu' for real GPUs (WebGPU's default limits). */
  readonly target: 'software' | 'gpu';
  readonly fusion: boolean;
  /** Default seed of the initial weights, and the seed of dropout's random stream. */
  readonly seed: number;
}

/** A model compiled to data: the manifest the runtime reads and the WGSL sources it indexes. */
export interface CompiledModule {
  readonly manifest: ModuleManifest;
  readonly shaders: readonly string[];
}

/**
 * Every device accepts storage bindings at multiples of 256 bytes (the largest
 * minStorageBufferOffsetAlignment WebGPU allows), so a layout planned with it runs anywhere.
 */
const PORTABLE_ALIGN = 256;

/**
 * Plans a model's inference and training programs as ModelSession does (lower, differentiate,
 * fuse, emit; the training section's optimizer or SGD lr 0.01), and resolves both to one set of
 * buffers in which they share the parameters and running statistics.
 */
export function compileModule(model: CheckedModel, opts: ModuleOptions): CompiledModule {
  const target = TARGETS[opts.target];
  const optimizer = model.training?.optimizer ?? DEFAULT_OPTIMIZER;
  const loss = model.training?.loss ?? 'cross_entropy';
  const inferGraph = lowerModel(model, { mode: 'infer' });
  const forwardPlan = planDevice(inferGraph, target, { fusion: opts.fusion, align: PORTABLE_ALIGN });
  const trainGraph = differentiate(lowerModel(model, { mode: 'train', loss, seed: opts.seed }));
  const trainPlan = planDevice(trainGraph, target, { fusion: opts.fusion, align: PORTABLE_ALIGN, optimizer });

  const registry = new BufferRegistry();
  const shaders = new ShaderTable(`${model.name}-wgsl`);
  const forward = new ProgramBuilder('forward', forwardPlan, registry);
  const trainStep = new ProgramBuilder('trainStep', trainPlan, registry);
  const weights = weightSpecs(inferGraph, forward);
  const forwardSpec = forward.build(shaders);
  const trainSpec = trainStep.build(shaders);
  const input = inferGraph.tensors[inferGraph.inputs[0]];
  const output = inferGraph.tensors[inferGraph.outputs[0]];
  const manifest: ModuleManifest = {
    format: 'cnnc-module',
    version: 1,
    model: model.name,
    target: opts.target,
    features: shaders.sources.some((s) => /^enable subgroups;/m.test(s)) ? ['subgroups'] : [],
    seed: opts.seed,
    input: { name: input.name, shape: input.shape },
    output: { name: output.name, shape: output.shape },
    loss,
    optimizer: optimizer as OptimizerSpec,
    dispatches: { forward: forwardSpec.kernels.length, trainStep: trainSpec.kernels.length },
    weights,
    buffers: registry.buffers,
    forward: forwardSpec,
    trainStep: trainSpec,
    shaderFiles: shaders.files,
  };
  return { manifest, shaders: shaders.sources };
}

/**
 * Parameters, running statistics and constants in the graph's tensor order, which is the order
 * initial values are drawn in (ir/init.ts). Constants are a batchnorm's fixed gamma and beta when
 * it has no affine parameters: they need initial values but are no PyTorch weight.
 */
function weightSpecs(g: Graph, forward: ProgramBuilder): WeightSpec[] {
  const constants = new Set<number>();
  for (const op of g.ops) {
    if (op.kind !== 'batchnorm') continue;
    for (const id of op.inputs.slice(1, 3)) if (g.tensors[id].role === 'state') constants.add(id);
  }
  return g.tensors
    .filter((t) => t.role === 'param' || t.role === 'state')
    .map((t) => ({
      name: t.name,
      shape: t.shape,
      role: constants.has(t.id) ? 'constant' : t.role === 'param' ? 'param' : 'state',
      ...(t.init ? { init: t.init } : {}),
      at: forward.location(t.id),
    }));
}
