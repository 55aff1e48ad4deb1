import type { CheckedModel } from '../check/model.js';
import type { TrainingConfig } from '../check/training.js';
import { compileBackEnd, initialWeights, trainingDefaults, type BackEndMode } from '../backend.js';
import type { Graph } from '../ir/graph.js';
import { numel } from '../ir/graph.js';
import { acquireDevice, type GpuContext } from '../runtime/device.js';
import type { Borrowed, Slot } from '../runtime/buffers.js';
import { Executor } from '../runtime/executor.js';
import { PipelineCache } from '../runtime/pipelines.js';
import { BufferUsage } from '../runtime/usage.js';
import { checkFinite, requiredWeights, WeightsError } from './weights.js';
import type { DevicePlan, GroupEmitter } from './plan.js';
import { optimizerHyper } from '../codegen/optimizer.js';
import type { OptimizerConfig } from '../train/optimizer.js';
import { CnncError } from '../diagnostics/run-error.js';

export interface SessionOptions {
  /** Build the training graph too (forward, loss, backward, update). */
  readonly train?: boolean;
  readonly batch: number;
  readonly fusion?: boolean;
  /** Share activation buffers between tensors that are never live together (default: with fusion). */
  readonly pool?: boolean;
  readonly device?: GPUDevice;
  readonly seed?: number;
  readonly loss?: TrainingConfig['loss'];
  /** The update after each training step (default: the model's training section, else SGD lr 0.01). */
  readonly optimizer?: OptimizerConfig;
  readonly emitGroup?: GroupEmitter;
}


export interface WeightTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}


/**
 * A compiled model on a device: an inference executor and, when training, a training executor
 * whose kernels run forward, loss, backward and the update in one submit. One set of weights: the
 * inference executor binds the training executor's parameter arena and running statistics (as a
 * compiled module's two programs share them), so nothing is copied between the two.
 */
export class ModelSession {
  /** Whether the inference side's derived tensors (folded weights) match the weights. */
  private derivedFresh = false;

  private constructor(
    readonly gpu: GpuContext,
    readonly infer: { plan: DevicePlan; exec: Executor },
    readonly train: { plan: DevicePlan; exec: Executor } | undefined,
    private readonly ownsGpu: boolean,
    readonly optimizer: OptimizerConfig,
  ) {}

  /** Completed training steps (Adam's bias correction and dropout's stream use it). */
  step = 0;

  /**
   * One training step in one submit: forward, loss, backward and the update of every parameter.
   * `target` holds class indices (cross-entropy) or target values (mean squared error). Returns
   * the loss when `readLoss` (the default), which waits for the GPU; otherwise undefined.
   */
  async trainStep(x: Float32Array, target: Float32Array, batch: number, opts: { lr?: number; readLoss?: boolean } = {}): Promise<number | undefined> {
    const { plan, exec } = this.requireTrain();
    const g = plan.graph;
    await exec.setBatch(batch);
    const [image, labels] = [g.inputs.find((i) => g.tensors[i].role === 'input')!, g.inputs.find((i) => g.tensors[i].role === 'target')!];
    exec.write(image, x);
    exec.write(labels, target);
    exec.write(plan.hyper!, optimizerHyper(this.optimizer, opts.lr ?? (this.optimizer.lr as number), this.step));
    exec.run(this.step, { prelude: (enc) => this.recordSnapshot(enc) });
    this.step++;
    this.derivedFresh = false;
    if (opts.readLoss === false) return undefined;
    const loss = await exec.read(g.outputs[1]);
    return loss[0];
  }

  static async create(model: CheckedModel, opts: SessionOptions): Promise<ModelSession> {
    const gpu = await acquireDevice(opts.device ? { device: opts.device } : {});
    try {
      return await ModelSession.build(model, opts, gpu);
    } catch (e) {
      if (!opts.device) await gpu.destroy();
      throw e;
    }
  }

  private static async build(model: CheckedModel, opts: SessionOptions, gpu: GpuContext): Promise<ModelSession> {
    const cache = new PipelineCache(gpu.device);
    const common = {
      target: gpu.target,
      seed: opts.seed,
      loss: opts.loss,
      optimizer: opts.optimizer,
      fusion: opts.fusion,
      pool: opts.pool,
      emitGroup: opts.emitGroup,
      align: gpu.device.limits.minStorageBufferOffsetAlignment,
    };
    const build = async (mode: BackEndMode, lender?: { plan: DevicePlan; exec: Executor }) => {
      const { plan } = compileBackEnd(model, { ...common, mode });
      checkBatchFits(plan.graph, opts.batch, gpu.device.limits.maxStorageBufferBindingSize);
      const g = plan.graph;
      const borrowed = lender && sharedWeights(plan, lender);
      const exec = await Executor.create(gpu.device, plan.tensors, plan.kernels, opts.batch, { pipelines: cache, layout: plan.layout, extraTensors: [...g.inputs, ...g.outputs], borrowed });
      return { plan, exec };
    };
    const train = opts.train ? await build('train') : undefined;
    const infer = await build('infer', train);
    const s = new ModelSession(gpu, infer, train, !opts.device, trainingDefaults(model, opts).optimizer);
    await s.initialise(opts.seed ?? 0);
    return s;
  }

  /** Dispatches per inference and per training step (the compile report). */
  get dispatches(): { forward: number; trainStep?: number } {
    return { forward: this.infer.plan.kernels.length, trainStep: this.train?.plan.kernels.length };
  }

  private async initialise(seed: number): Promise<void> {
    await this.setWeights(initialWeights(this.infer.plan.graph, seed));
  }

  /** Logits for a batch of NCHW float32 images. */
  async forward(x: Float32Array, batch: number): Promise<Float32Array> {
    const { plan, exec } = this.infer;
    await exec.setBatch(batch);
    exec.write(plan.graph.inputs[0], x);
    // Folded batchnorm weights (the prepare kernels) only change when the weights do.
    exec.run(undefined, { from: this.derivedFresh ? plan.prepare : 0 });
    this.derivedFresh = true;
    return exec.read(plan.graph.outputs[0]);
  }

  /** Weights by PyTorch name, with PyTorch layouts (a state_dict: no constant γ/β of non-affine batchnorm). */
  async getWeights(): Promise<Record<string, WeightTensor>> {
    const { plan, exec } = this.infer;
    const out: Record<string, WeightTensor> = {};
    for (const t of requiredWeights(plan.graph)) out[t.name] = { shape: t.shape, data: await exec.read(t.id) };
    return out;
  }

  /** Writes the weights given by name (the storage both executors bind); others keep their values. */
  async setWeights(weights: Readonly<Record<string, WeightTensor>>): Promise<void> {
    checkFinite(weights);
    const { plan, exec } = this.infer;
    for (const t of plan.graph.tensors) {
      if (t.role !== 'param' && t.role !== 'state') continue;
      const w = weights[t.name];
      if (!w) continue;
      if (w.data.length !== numel(t.shape)) throw new WeightsError([`${t.name}: expected ${t.shape.join('×')} (${numel(t.shape)} values), got ${w.data.length}`]);
      exec.write(t.id, w.data);
    }
    this.derivedFresh = false;
  }

  /**
   * The optimizer's state per slot and parameter name ({ m: { 'conv1.weight': … }, v: … }), cut
   * out of the flat arena-length state tensors the fused update works on.
   */
  async getOptimizerState(): Promise<Record<string, Record<string, WeightTensor>>> {
    const { plan, exec } = this.requireTrain();
    const out: Record<string, Record<string, WeightTensor>> = {};
    for (const [slot, id] of Object.entries(plan.optimizerState ?? {})) {
      const flat = await exec.read(id);
      out[slot] = {};
      for (const m of plan.layout.arenas![0].members) {
        const t = plan.graph.tensors[m.id];
        out[slot][t.name] = { shape: t.shape, data: flat.slice(m.offset / 4, m.offset / 4 + numel(t.shape)) };
      }
    }
    return out;
  }

  /** Restores what getOptimizerState returned; every slot and parameter must be present. */
  async setOptimizerState(state: Readonly<Record<string, Readonly<Record<string, WeightTensor>>>>): Promise<void> {
    const { plan, exec } = this.requireTrain();
    for (const [slot, id] of Object.entries(plan.optimizerState ?? {})) {
      const flat = new Float32Array(numel(plan.tensors[id].shape));
      for (const m of plan.layout.arenas![0].members) {
        const t = plan.graph.tensors[m.id];
        const v = state[slot]?.[t.name];
        if (!v) throw new CnncError('E_CHECKPOINT', `optimizer state ${slot} of ${t.name} is missing`);
        if (v.data.length !== numel(t.shape)) throw new CnncError('E_CHECKPOINT', `optimizer state ${slot} of ${t.name}: expected ${numel(t.shape)} values, got ${v.data.length}`);
        flat.set(v.data, m.offset / 4);
      }
      exec.write(id, flat);
    }
  }

  /** The loss and logits (rows × outputs) of the last training step, read back together. */
  async trainOutputs(): Promise<{ loss: number; logits: Float32Array }> {
    const { plan, exec } = this.requireTrain();
    const [loss, logits] = await exec.readMany([plan.graph.outputs[1], plan.graph.outputs[0]]);
    return { loss: loss[0], logits };
  }

  private snapshots: { step: number; copies: { from: GPUBuffer; offset: number; to: GPUBuffer; size: number }[] }[] = [];

  private pendingSnapshot: number | undefined;

  /**
   * Copies everything a training step changes (parameters, running statistics, optimizer state)
   * into backup buffer set `slot`, recorded at the start of the next trainStep's own submission,
   * so a step that makes the loss non-finite can be undone without a readback per step.
   */
  snapshot(slot: number): void {
    const { plan, exec } = this.requireTrain();
    if (!this.snapshots[slot]) {
      const sources: { buffer: GPUBuffer; offset: number; size: number }[] = [];
      const arena = exec.arena(0);
      sources.push({ buffer: arena.buffer, offset: 0, size: arena.length * 4 });
      for (const t of plan.tensors) if (t.role === 'state') sources.push(exec.slot(t.id));
      const copies = sources.map((s) => ({
        from: s.buffer,
        offset: s.offset,
        size: s.size,
        to: this.gpu.device.createBuffer({ size: s.size, usage: BufferUsage.COPY_SRC | BufferUsage.COPY_DST, label: 'snapshot' }),
      }));
      this.snapshots[slot] = { step: 0, copies };
    }
    this.snapshots[slot].step = this.step;
    this.pendingSnapshot = slot;
  }

  private recordSnapshot(enc: GPUCommandEncoder): void {
    if (this.pendingSnapshot === undefined) return;
    for (const c of this.snapshots[this.pendingSnapshot].copies) enc.copyBufferToBuffer(c.from, c.offset, c.to, 0, c.size);
    this.pendingSnapshot = undefined;
  }

  /** Puts back what snapshot(slot) saved, step counter included; returns that step. */
  restoreSnapshot(slot: number): number {
    const snap = this.snapshots[slot];
    if (!snap) throw new Error(`internal: no snapshot ${slot}`);
    const enc = this.gpu.device.createCommandEncoder({ label: 'restore snapshot' });
    for (const c of snap.copies) enc.copyBufferToBuffer(c.to, 0, c.from, c.offset, c.size);
    this.gpu.device.queue.submit([enc.finish()]);
    this.step = snap.step;
    this.derivedFresh = false;
    return snap.step;
  }

  /** The optimizer's state slots (momentum; m and v), empty for plain SGD. */
  get optimizerSlots(): string[] {
    return Object.keys(this.train?.plan.optimizerState ?? {});
  }

  private requireTrain(): { plan: DevicePlan; exec: Executor } {
    if (!this.train) throw new Error('internal: this session was created without `train: true`');
    return this.train;
  }

  async destroy(): Promise<void> {
    for (const snap of this.snapshots) for (const c of snap?.copies ?? []) c.to.destroy();
    // The inference executor borrows the training one's weights: it goes first.
    await this.infer.exec.destroy();
    await this.train?.exec.destroy();
    if (this.ownsGpu) await this.gpu.destroy();
  }

}

/**
 * What the inference program borrows from the training program: the parameter arena (the same
 * layout in both plans: parameters in graph order) and every running statistic, by name.
 */
function sharedWeights(plan: DevicePlan, lender: { plan: DevicePlan; exec: Executor }): Borrowed {
  const layout = (p: DevicePlan) => p.layout.arenas![0].members.map((m) => `${p.tensors[m.id].name}@${m.offset}+${m.bytes}`).join();
  if (layout(plan) !== layout(lender.plan)) throw new Error('internal: the inference and training plans lay out the parameters differently');
  const byName = new Map(lender.plan.graph.tensors.filter((t) => t.role === 'state').map((t) => [t.name, t.id]));
  const tensors = new Map<number, Slot>();
  for (const t of plan.graph.tensors) {
    const from = t.role === 'state' ? byName.get(t.name) : undefined;
    if (from !== undefined) tensors.set(t.id, lender.exec.slot(from));
  }
  return { arenas: new Map([[0, lender.exec.arena(0).buffer]]), tensors };
}

/** The batch is larger than a buffer the device can bind. */
export class BatchTooLargeError extends CnncError {
  constructor(
    readonly tensor: string,
    readonly layer: string | undefined,
    readonly bytes: number,
    readonly limit: number,
    readonly maxBatch: number,
  ) {
    super(
      'E_BATCH_TOO_LARGE',
      `batch too large: ${tensor}${layer ? ` (layer ${layer})` : ''} would need ${bytes.toLocaleString('en-US')} bytes, ` +
        `over the device's storage buffer limit of ${limit.toLocaleString('en-US')} bytes`,
      { help: `the largest batch that fits is ${maxBatch}` },
    );
    this.name = 'BatchTooLargeError';
  }
}

/** Fails before any allocation when one batched tensor would exceed the binding limit. */
function checkBatchFits(graph: Graph, batch: number, limit: number): void {
  let worst: { name: string; layer?: string; perItem: number } | undefined;
  for (const t of graph.tensors) {
    if (!t.batched) continue;
    const perItem = numel(t.shape) * 4;
    if (!worst || perItem > worst.perItem) worst = { name: t.name, layer: graph.ops.find((o) => o.outputs.includes(t.id))?.layer, perItem };
  }
  if (worst && worst.perItem * batch > limit) {
    throw new BatchTooLargeError(worst.name, worst.layer, worst.perItem * batch, limit, Math.floor(limit / worst.perItem));
  }
}
