import type { CheckedModel } from '../check/model.js';
import { initialWeights, lowerStage, planStages, verified, verifyByDefault } from '../backend.js';
import { differentiate } from '../ir/autodiff.js';
import type { Graph, Op } from '../ir/graph.js';
import { onlyWhatComputes } from '../ir/prune.js';
import { numel } from '../ir/graph.js';
import { acquireDevice, type GpuContext } from '../runtime/device.js';
import { Executor } from '../runtime/executor.js';
import { PipelineCache } from '../runtime/pipelines.js';
import type { WeightTensor } from './session.js';
import { checkWeights } from './weights.js';

/**
 * A model compiled for looking inside it (the `viz` commands; finding the layer where a NaN first
 * appears): the INFERENCE graph with fusion off, so every op is its own kernel and every op's
 * output stays in a buffer of its own that can be read after a run. Gradients of an objective
 * with respect to the input come from the generated backward kernels: autodiff is started from
 * the objective's tensor with a seed the host writes (ir/autodiff.ts, `seed`).
 */

/** One op's output: what a layer computed. */
export interface LayerOutput {
  /** The layer's PyTorch-style name, as `cnnc summary` shows it. */
  readonly layer: string;
  /** The layer's op in the .cnn file (`conv`, `relu`, `dropout` …). */
  readonly op: string;
  /** The IR op it was lowered to (`conv2d`, `unary`; dropout at inference is a `reshape`). */
  readonly kind: Op['kind'];
  readonly tensor: number;
  /** Per-sample shape: [C, H, W] or [F]. */
  readonly shape: readonly number[];
}

export interface Activation extends LayerOutput {
  /** batch × numel(shape) values, sample-major. */
  readonly data: Float32Array;
}

/** What the input gradient is taken of, per sample. */
export type Objective =
  /** The model output's `index`-th value (a class score: the logit, before any softmax the model lacks). */
  | { readonly kind: 'output'; readonly index: number }
  /** The mean over positions of channel (or feature) `channel` of a layer's output. */
  | { readonly kind: 'channel'; readonly tensor: number; readonly channel: number }
  /**
   * Σ seed·tensor per sample, for a seed the caller gives (batch × numel of the tensor): one
   * activation to project back (deconvolution), or 2(φ(x) − φ₀) to pull a representation towards
   * another (inversion).
   */
  | { readonly kind: 'seed'; readonly tensor: number; readonly seed: Float32Array };

/** How the backward pass treats relu (ir/autodiff.ts): the gradient, the deconvnet or guided backpropagation. */
export type BackwardRule = 'gradient' | 'deconvnet' | 'guided';

export interface ProbeOptions {
  /** The batch to allocate for first (others reallocate on demand). */
  readonly batch?: number;
  readonly device?: GPUDevice;
  /** Seed of the initial (untrained) weights, used until setWeights. */
  readonly seed?: number;
}

interface Compiled {
  readonly graph: Graph;
  readonly exec: Executor;
}

interface GradientProgram extends Compiled {
  readonly seed: number;
  readonly grad: number;
  /** The gradient of the tensor asked for with `at`, when one was. */
  readonly at?: number;
}

export class ModelProbe {
  private readonly gradients = new Map<string, GradientProgram>();
  private weights: Record<string, WeightTensor> = {};

  private constructor(
    readonly model: CheckedModel,
    private readonly gpu: GpuContext,
    private readonly ownsGpu: boolean,
    private readonly cache: PipelineCache,
    private readonly forward: Compiled,
  ) {}

  static async create(model: CheckedModel, opts: ProbeOptions = {}): Promise<ModelProbe> {
    const gpu = await acquireDevice(opts.device ? { device: opts.device } : {});
    try {
      const cache = new PipelineCache(gpu.device);
      const graph = lowerStage(model, { mode: 'infer' });
      const every = graph.ops.flatMap((o) => o.outputs);
      const forward = { graph, exec: await compile(gpu, cache, graph, opts.batch ?? 1, every) };
      const probe = new ModelProbe(model, gpu, !opts.device, cache, forward);
      // The same initial weights as a ModelSession or a compiled module with this seed.
      probe.load(initialWeights(graph, opts.seed ?? 0));
      return probe;
    } catch (e) {
      if (!opts.device) await gpu.destroy();
      throw e;
    }
  }

  /** The inference graph the probe runs. */
  get graph(): Graph {
    return this.forward.graph;
  }

  /** [C, H, W] of one input image. */
  get inputShape(): readonly number[] {
    return this.graph.tensors[this.graph.inputs[0]].shape;
  }

  /** The model output's per-sample shape ([classes] for a classifier). */
  get outputShape(): readonly number[] {
    return this.graph.tensors[this.graph.outputs[0]].shape;
  }

  /** Every layer's output, in graph (execution) order. */
  layers(): LayerOutput[] {
    const ops = new Map(this.model.nodes.map((n) => [n.name, n.op]));
    return this.graph.ops.map((o) => {
      const t = this.graph.tensors[o.outputs[0]];
      return { layer: o.layer, op: ops.get(o.layer) ?? o.kind, kind: o.kind, tensor: t.id, shape: t.shape };
    });
  }

  /** The weights the probe runs with, by PyTorch name (a copy). */
  getWeights(): Record<string, WeightTensor> {
    return Object.fromEntries(Object.entries(this.weights).map(([k, w]) => [k, { shape: [...w.shape], data: w.data.slice() }]));
  }

  /**
   * Replaces the weights (PyTorch names and layouts). Every parameter and running statistic of
   * the model must be there with its shape (WeightsError names the ones that are not); names the
   * model does not have are ignored.
   */
  setWeights(weights: Readonly<Record<string, WeightTensor>>): void {
    checkWeights(this.graph, weights);
    this.load(weights);
  }

  /** Every layer's output for a batch of NCHW images in [0, 1] (or whatever the model was trained on). */
  async activations(x: Float32Array, batch: number): Promise<Activation[]> {
    const layers = this.layers();
    const data = await this.outputs(x, batch, layers.map((l) => l.tensor));
    return layers.map((l, i) => ({ ...l, data: data[i] }));
  }

  /** Runs the model once and reads the given tensors (e.g. one layer's features). */
  async outputs(x: Float32Array, batch: number, tensors: readonly number[]): Promise<Float32Array[]> {
    const { graph, exec } = this.forward;
    await exec.setBatch(batch);
    exec.write(graph.inputs[0], x);
    await exec.runAndWait();
    const out: Float32Array[] = [];
    for (const t of tensors) out.push(await exec.read(t));
    return out;
  }

  /**
   * The objective per sample and its gradient with respect to the input (N×C×H×W), from the
   * generated backward kernels. Only the layers the objective depends on run.
   */
  async gradient(x: Float32Array, batch: number, objective: Objective, opts: { at?: number; relu?: BackwardRule } = {}): Promise<{ value: Float32Array; grad: Float32Array; at?: Float32Array }> {
    const target = objective.kind === 'output' ? this.graph.outputs[0] : objective.tensor;
    const shape = this.graph.tensors[target].shape;
    const per = numel(shape);
    const seed = seedFor(objective, shape, batch);
    const program = await this.gradientProgram(target, opts.at, opts.relu ?? 'gradient');
    const { graph, exec } = program;
    await exec.setBatch(batch);
    exec.write(graph.inputs[0], x);
    exec.write(program.seed, seed);
    await exec.runAndWait();
    const values = await exec.read(target);
    const value = new Float32Array(batch);
    for (let i = 0; i < batch * per; i++) if (seed[i] !== 0) value[Math.floor(i / per)] += seed[i] * values[i];
    const grad = await exec.read(program.grad);
    // A tensor the objective does not depend on gets zeros: its gradient is zero.
    const at = opts.at === undefined ? undefined : program.at === undefined ? new Float32Array(batch * numel(this.graph.tensors[opts.at].shape)) : await exec.read(program.at);
    return { value, grad, ...(at ? { at } : {}) };
  }

  async destroy(): Promise<void> {
    await this.forward.exec.destroy();
    for (const g of this.gradients.values()) await g.exec.destroy();
    this.gradients.clear();
    if (this.ownsGpu) await this.gpu.destroy();
  }

  private async gradientProgram(target: number, wrt: number | undefined, relu: BackwardRule): Promise<GradientProgram> {
    const key = `${target}:${wrt ?? ''}:${relu}`;
    const known = this.gradients.get(key);
    if (known) return known;
    const pruned = onlyWhatComputes(this.graph, target);
    const graph = verified(differentiate(pruned, { seed: target, alsoWrt: wrt === undefined ? [] : [wrt], relu }), 'autodiff', verifyByDefault());
    const grad = graph.grads?.get(graph.inputs[0]);
    if (grad === undefined) throw new Error(`${this.graph.tensors[target].name} does not depend on the input`);
    const at = wrt === undefined ? undefined : graph.grads?.get(wrt);
    const seed = graph.inputs[graph.inputs.length - 1];
    const read = [seed, target, grad, ...(at === undefined ? [] : [at])];
    const exec = await compile(this.gpu, this.cache, { ...graph, outputs: [target, grad] }, this.forward.exec.batch, read);
    const program = { graph, exec, seed, grad, ...(at === undefined ? {} : { at }) };
    writeWeights(graph, exec, this.weights);
    this.gradients.set(key, program);
    return program;
  }

  private load(weights: Readonly<Record<string, WeightTensor>>): void {
    this.weights = { ...this.weights, ...weights };
    writeWeights(this.graph, this.forward.exec, this.weights);
    for (const g of this.gradients.values()) writeWeights(g.graph, g.exec, this.weights);
  }
}

/** The seed of an objective for a batch: one-hot on an output, 1/(H·W) across one channel's positions, or the caller's. */
function seedFor(objective: Objective, shape: readonly number[], batch: number): Float32Array {
  const per = numel(shape);
  if (objective.kind === 'seed') {
    if (objective.seed.length !== batch * per) throw new RangeError(`a seed of ${objective.seed.length} values for ${batch} × ${shape.join('×')}`);
    return objective.seed;
  }
  const index = objective.kind === 'output' ? objective.index : objective.channel;
  const positions = objective.kind === 'output' ? 1 : numel(shape.slice(1));
  if (!Number.isInteger(index) || index < 0 || index >= (objective.kind === 'output' ? per : shape[0])) {
    throw new RangeError(`objective index ${index} is outside ${shape.join('×')}`);
  }
  const seed = new Float32Array(batch * per);
  for (let b = 0; b < batch; b++) for (let p = 0; p < positions; p++) seed[b * per + index * positions + p] = 1 / positions;
  return seed;
}

/**
 * Fusion, batchnorm folding and buffer pooling off (each would make some op outputs vanish or be
 * overwritten), so every op output has a buffer of its own to read back after a run.
 */
async function compile(gpu: GpuContext, cache: PipelineCache, graph: Graph, batch: number, read: readonly number[]): Promise<Executor> {
  const plan = planStages(graph, { target: gpu.target, fusion: false, fold: false, pool: false, keep: read, align: gpu.device.limits.minStorageBufferOffsetAlignment }, undefined);
  return Executor.create(gpu.device, plan.tensors, plan.kernels, batch, {
    pipelines: cache,
    layout: plan.layout,
    extraTensors: [...graph.inputs, ...graph.outputs, ...read],
  });
}

/** Writes the weights a graph's ops read (a pruned graph has buffers for those only). */
function writeWeights(graph: Graph, exec: Executor, weights: Readonly<Record<string, WeightTensor>>): void {
  const read = new Set(graph.ops.flatMap((o) => o.inputs));
  for (const t of graph.tensors) {
    if ((t.role !== 'param' && t.role !== 'state') || !read.has(t.id)) continue;
    const w = weights[t.name];
    if (w) exec.write(t.id, w.data);
  }
}
