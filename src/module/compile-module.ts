import type { ModuleManifest, OptimizerSpec, VariantSpec, WeightSpec } from './manifest.js';
import type { CheckedModel } from '../check/model.js';
import { compileBackEnd } from '../backend.js';
import type { Kernel, TargetInfo } from '../codegen/kernel.js';
import { READONLY_TEXTURES } from '../codegen/texture.js';
import { TARGETS } from '../codegen/targets.js';
import type { TargetExtras } from '../codegen/variants.js';
import type { Graph } from '../ir/graph.js';
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

/** A set of kernels to compile, and the adapter facts it is emitted for. */
interface VariantTarget {
  readonly name: string;
  readonly target: TargetInfo & TargetExtras;
}

/**
 * The variants a module carries for a target, preferred first. Software kernels with subgroups
 * broadcast weights from lanes below the subgroup size they were emitted for, so on an adapter
 * with smaller subgroups (SwiftShader's 4, Mali's) they would read lanes that do not exist: the
 * module also carries the same kernels without subgroups, which run on every device.
 */
function variantTargets(target: ModuleOptions['target']): VariantTarget[] {
  if (target === 'gpu') return [{ name: 'portable', target: TARGETS.gpu }];
  const { subgroupMinSize: _lanes, ...portable } = TARGETS.software;
  return [
    { name: 'subgroups', target: TARGETS.software },
    { name: 'portable', target: portable },
  ];
}

/**
 * Plans a model's inference and training programs through the back end (src/backend.ts) once
 * per variant, and resolves them all to one set of buffers in which they share the parameters
 * and running statistics.
 */
export function compileModule(model: CheckedModel, opts: ModuleOptions): CompiledModule {
  const registry = new BufferRegistry();
  const shaders = new ShaderTable(`${model.name}-wgsl`);
  const common = { fusion: opts.fusion, align: PORTABLE_ALIGN, seed: opts.seed };
  const variants: VariantSpec[] = [];
  const usesSubgroups = (plan: { kernels: readonly { source: string }[] }) => plan.kernels.some((k) => /^enable subgroups;/m.test(k.source));
  const readsTextures = (plan: { kernels: readonly Kernel[] }) => plan.kernels.some((k) => k.bindings.some((b) => b.access === 'read_texture'));
  const planned = variantTargets(opts.target)
    .map((v) => ({ ...v, infer: compileBackEnd(model, { ...common, mode: 'infer', target: v.target }), train: compileBackEnd(model, { ...common, mode: 'train', target: v.target }) }))
    .map((v) => ({ ...v, subgroups: usesSubgroups(v.infer.plan) || usesSubgroups(v.train.plan) }))
    // A variant whose kernels use no subgroups is the portable one: it alone is needed.
    .filter((v) => v.name === 'portable' || v.subgroups);
  // Every variant lowers the same graph with the same weights, loss and optimizer: the first says them.
  const [first] = planned;
  const inferGraph = first.infer.lowered;
  let weights: WeightSpec[] = [];
  for (const v of planned) {
    const forward = new ProgramBuilder(`${v.name}.forward`, v.infer.plan, registry);
    const trainStep = new ProgramBuilder(`${v.name}.trainStep`, v.train.plan, registry);
    if (v === first) weights = weightSpecs(inferGraph, forward);
    const spec = { forward: forward.build(shaders), trainStep: trainStep.build(shaders) };
    variants.push({
      name: v.name,
      features: v.subgroups ? ['subgroups'] : [],
      ...(v.subgroups && v.target.subgroupMinSize ? { minSubgroupSize: v.target.subgroupMinSize } : {}),
      ...(readsTextures(v.infer.plan) || readsTextures(v.train.plan) ? { wgslFeatures: [READONLY_TEXTURES] } : {}),
      dispatches: { forward: spec.forward.kernels.length, trainStep: spec.trainStep.kernels.length },
      ...spec,
    });
  }
  const input = inferGraph.tensors[inferGraph.inputs[0]];
  const output = inferGraph.tensors[inferGraph.outputs[0]];
  const manifest: ModuleManifest = {
    format: 'cnnc-module',
    version: 3,
    model: model.name,
    target: opts.target,
    seed: opts.seed,
    input: { name: input.name, shape: input.shape },
    output: { name: output.name, shape: output.shape },
    loss: first.train.loss,
    optimizer: first.train.optimizer as OptimizerSpec,
    dispatches: variants[0].dispatches,
    weights,
    buffers: registry.buffers,
    variants,
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
