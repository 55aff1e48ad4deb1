/// <reference types="@webgpu/types" />
import { optimizerHyper } from '../codegen/optimizer-hyper.js';
import { workgroupTotal } from '../codegen/wgsl.js';
import { drawInit } from '../ir/init.js';
import { mulberry32 } from '../ir/random.js';
import type { CnncModel, CreateModelOptions, KernelSpec, Location, ModuleManifest, ProgramSpec, TrainStepOptions, VariantSpec, WeightInput, WeightSpec, WeightTensor } from '../module/manifest.js';
import { acquireDevice, type GpuContext } from './device.js';
import { READONLY_TEXTURES } from '../codegen/texture.js';
import { PipelineCache, type CompiledKernel } from './pipelines.js';
import { ProgramRunner, type BoundSlot } from './pass.js';
import { createTensorTexture } from './textures.js';
import { Readback } from './readback.js';
import { BufferUsage } from './usage.js';
import { chooseVariant } from './variant.js';
import { CnncError, type RunErrorDetails } from '../diagnostics/run-error.js';
import type { RunCode } from '../diagnostics/codes.js';
import { quietly } from './wait.js';

/**
 * Runs a model that `cnnc compile FILE -o DIR` wrote, from its manifest (buffers, kernel variants
 * with their bindings and workgroup counts, weights) and its WGSL sources. The build bundles this
 * file with what it imports into the dependency-free `cnnc-runtime.js` copied beside every module
 * (scripts/build-runtime.mjs), so a module runs with the same RNG, initialisation, optimizer
 * values, dispatch folding, pipeline cache and readback as a ModelSession.
 *
 * Every forward pass and every training step is one compute pass in one submit. Parameters live
 * in one arena buffer shared by the inference and the training kernels, so a training step needs
 * no copy before the next forward pass.
 */

/** A problem with how the module is used (a wrong shape, an unknown weight): a stable code and a message naming the value. */
export class ModuleUsageError extends CnncError {
  constructor(code: RunCode, message: string, details: RunErrorDetails = {}) {
    super(code, message, details);
    this.name = 'ModuleUsageError';
  }
}

const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const shapeText = (shape: readonly number[]) => (shape.length ? shape.join('×') : 'scalar');

interface ProgramState {
  batch: number;
  readonly runner: ProgramRunner;
}

export async function instantiateModule<W extends string>(manifest: ModuleManifest, shaders: readonly string[], options: CreateModelOptions<W> = {}): Promise<CnncModel<W>> {
  if (manifest.format !== 'cnnc-module' || manifest.version !== 3) {
    throw new ModuleUsageError('E_MODULE_FORMAT', `not a cnnc module manifest of version 3 (format ${String(manifest.format)}, version ${String(manifest.version)}): compile the model again with this cnnc`);
  }
  const gpu = await acquireDevice(options.device ? { device: options.device } : {});
  let model: CompiledModel<W> | undefined;
  try {
    const facts = {
      features: new Set<string>(gpu.device.features),
      subgroupMinSize: gpu.target.subgroupMinSize,
      wgslFeatures: new Set<string>(gpu.target.readonlyStorageTextures ? [READONLY_TEXTURES] : []),
    };
    const variant = chooseVariant(manifest.variants, facts, options.variant);
    model = new CompiledModel<W>(manifest, variant, gpu);
    await model.compile(shaders);
    model.initialise(options.seed ?? manifest.seed);
    if (options.weights) await model.setWeights(options.weights);
    return model;
  } catch (e) {
    if (model) await model.destroy();
    else await gpu.destroy();
    throw e;
  }
}

/** A model on a device: persistent buffers (weights, optimizer state), and per program its batched buffers. */
class CompiledModel<W extends string> implements CnncModel<W> {
  readonly name: string;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly dispatches: { readonly forward: number; readonly trainStep: number };
  readonly device: GPUDevice;
  readonly variant: string;
  private buffers: (GPUBuffer | undefined)[];
  /** The buffers the manifest keeps as textures (BufferSpec.texture), at the same indices. */
  private textures: (GPUTexture | undefined)[];
  private readonly pipelines: PipelineCache;
  private readonly compiled = new Map<number, CompiledKernel>();
  private readonly programs = new Map<ProgramSpec, ProgramState>();
  private readonly readback: Readback;
  /** The latest call: every call starts after it (buffers are reallocated between batches). */
  private tail: Promise<unknown> = Promise.resolve();
  private steps = 0;
  private destroyed = false;
  /** Programs whose prepare kernels must run before their next use. */
  private readonly weightsChanged = new Set<ProgramSpec>();

  constructor(
    readonly manifest: ModuleManifest,
    private readonly spec: VariantSpec,
    private readonly gpu: GpuContext,
  ) {
    this.device = gpu.device;
    this.name = manifest.model;
    this.variant = spec.name;
    this.inputShape = manifest.input.shape;
    this.outputShape = manifest.output.shape;
    this.dispatches = spec.dispatches;
    this.pipelines = new PipelineCache(gpu.device);
    this.readback = new Readback(gpu.device);
    // Only the chosen variant's buffers (and the weights'): the others' kernels never run here.
    const used = new Set<number>(manifest.weights.map((w) => w.at.buffer));
    for (const p of [spec.forward, spec.trainStep]) for (const k of p.kernels) for (const b of [...k.bindings, ...(k.copy ? [k.copy] : [])]) used.add(b.buffer);
    for (const p of [spec.forward, spec.trainStep]) for (const k of p.kernels) if (k.copy) used.add(k.copy.texture);
    this.buffers = manifest.buffers.map((b, i) => (b.batched || b.texture || !used.has(i) ? undefined : this.allocate(b.label, b.bytes)));
    this.textures = manifest.buffers.map((b, i) => (b.batched || !b.texture || !used.has(i) ? undefined : createTensorTexture(this.device, b.label, b.bytes / 16)));
  }

  get step(): number {
    return this.steps;
  }

  async compile(shaders: readonly string[]): Promise<void> {
    const pending = new Map<number, Promise<CompiledKernel>>();
    for (const k of [...this.spec.forward.kernels, ...this.spec.trainStep.kernels]) {
      if (pending.has(k.shader)) continue;
      const source = shaders[k.shader];
      if (source === undefined) throw new Error(`internal: no WGSL source ${k.shader} for kernel ${k.name}`);
      pending.set(k.shader, this.pipelines.get({ name: k.name, layer: k.layer, source, bindings: k.bindings }));
    }
    for (const [shader, p] of pending) this.compiled.set(shader, await p);
  }

  /** PyTorch's default initialisation, drawn from `seed` in manifest order (ir/init.ts). */
  initialise(seed: number): void {
    const uniform = mulberry32(seed);
    for (const w of this.manifest.weights) {
      if (!w.init) continue;
      const values = new Float32Array(numel(w.shape));
      drawInit(w.init, values, uniform);
      this.write(w.at, values);
    }
    this.changed();
  }

  forward(x: Float32Array, batch: number): Promise<Float32Array> {
    return this.serial(async () => {
      const program = this.spec.forward;
      await this.prepare(program, batch, 'forward');
      this.write(program.io.input, this.checkInput('forward', x, batch));
      await this.run(program, this.steps);
      return (await this.read([program.io.output], batch))[0];
    });
  }

  trainStep(x: Float32Array, target: Float32Array | ArrayLike<number>, batch: number, options: TrainStepOptions = {}): Promise<number | undefined> {
    return this.serial(async () => {
      const program = this.spec.trainStep;
      const io = program.io;
      if (!io.target || !io.loss || !io.hyper) throw new Error('internal: the training program has no target, loss or optimizer input');
      const lr = options.lr ?? this.manifest.optimizer.lr;
      if (!(lr >= 0) || !Number.isFinite(lr)) throw new ModuleUsageError('E_MODULE_ARGUMENT', `trainStep: lr must be a finite number ≥ 0, got ${lr}`);
      await this.prepare(program, batch, 'trainStep');
      this.write(io.input, this.checkInput('trainStep', x, batch));
      this.write(io.target, this.checkTarget(target, batch));
      this.write(io.hyper, optimizerHyper(this.manifest.optimizer, lr, this.steps));
      await this.run(program, this.steps);
      this.steps++;
      this.changed();
      if (options.readLoss === false) return undefined;
      return (await this.read([io.loss], 1))[0][0];
    });
  }

  readLoss(): Promise<number> {
    return this.serial(async () => {
      const loss = this.spec.trainStep.io.loss;
      if (!loss) throw new Error('internal: the training program has no loss');
      return this.steps === 0 ? NaN : (await this.read([loss], 1))[0][0];
    });
  }

  getWeights(): Promise<Record<W, WeightTensor>> {
    return this.serial(async () => {
      const wanted = this.manifest.weights.filter((w) => w.role !== 'constant');
      // Each buffer read once (all parameters share one), in one map.
      const buffers = [...new Set(wanted.map((w) => w.at.buffer))];
      const whole = await this.read(buffers.map((b) => ({ buffer: b, offset: 0, elements: this.manifest.buffers[b].bytes / 4 })), 1);
      const out: Record<string, WeightTensor> = {};
      for (const w of wanted) {
        const start = w.at.offset / 4;
        out[w.name] = { shape: [...w.shape], data: whole[buffers.indexOf(w.at.buffer)].slice(start, start + w.at.elements) };
      }
      return out as Record<W, WeightTensor>;
    });
  }

  setWeights(weights: Partial<Record<W, WeightInput>>): Promise<void> {
    return this.serial(async () => {
      const known = new Map(this.manifest.weights.filter((w) => w.role !== 'constant').map((w) => [w.name, w]));
      const writes: [WeightSpec, Float32Array][] = [];
      // Check everything before writing anything, so a bad entry leaves the model as it was.
      for (const [name, value] of Object.entries(weights) as [string, WeightInput | undefined][]) {
        if (value === undefined || name.endsWith('.num_batches_tracked')) continue;
        const w = known.get(name);
        if (!w) throw new ModuleUsageError('E_MODULE_WEIGHTS', `setWeights: ${this.name} has no weight '${name}' (its weights: ${[...known.keys()].join(', ')})`);
        const shape = [...(value.shape ?? [])];
        if (shape.length !== w.shape.length || shape.some((d, i) => d !== w.shape[i])) {
          throw new ModuleUsageError('E_MODULE_WEIGHTS', `setWeights: weight '${name}' has shape ${shapeText(w.shape)} in ${this.name}, got ${shapeText(shape)}`);
        }
        if (!value.data || value.data.length !== w.at.elements) {
          throw new ModuleUsageError('E_MODULE_WEIGHTS', `setWeights: weight '${name}' (${shapeText(w.shape)}) needs ${w.at.elements} values, got ${value.data?.length ?? 'none'}`);
        }
        const data = value.data instanceof Float32Array ? value.data : Float32Array.from(value.data);
        const bad = data.findIndex((v) => !Number.isFinite(v));
        if (bad >= 0) throw new ModuleUsageError('E_WEIGHTS_NONFINITE', `setWeights: weight '${name}' holds ${data[bad]} (element ${bad})`, { help: 'these weights come from a run that diverged or from a damaged file' });
        writes.push([w, data]);
      }
      for (const [w, data] of writes) this.write(w.at, data);
      this.changed();
    });
  }

  destroy(): Promise<void> {
    return this.serial(async () => {
      if (this.destroyed) return;
      this.destroyed = true;
      // Destroying a device with work in flight is one way to crash native drivers: wait first.
      await quietly(this.device.queue.onSubmittedWorkDone());
      for (const b of this.buffers) b?.destroy();
      for (const t of this.textures) t?.destroy();
      this.textures = [];
      for (const p of this.programs.values()) p.runner.destroy();
      this.readback.destroy();
      this.buffers = [];
      this.programs.clear();
      await this.gpu.destroy();
    }, true);
  }

  /** The weights changed: every program recomputes what it derives from them. */
  private changed(): void {
    this.weightsChanged.add(this.spec.forward).add(this.spec.trainStep);
  }

  private serial<T>(fn: () => Promise<T>, evenDestroyed = false): Promise<T> {
    const run = this.tail.then(() => {
      if (this.destroyed && !evenDestroyed) throw new ModuleUsageError('E_MODULE_DESTROYED', `model ${this.name} was destroyed`);
      return fn();
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  private checkInput(what: string, x: Float32Array, batch: number): Float32Array {
    const per = numel(this.inputShape);
    if (!(x instanceof Float32Array)) throw new ModuleUsageError('E_MODULE_INPUT', `${what}: x must be a Float32Array (NCHW float32), got ${Object.prototype.toString.call(x)}`);
    if (x.length !== batch * per) {
      throw new ModuleUsageError('E_MODULE_INPUT', `${what}: x has ${x.length} values, but a batch of ${batch} inputs of ${shapeText(this.inputShape)} (NCHW float32) needs ${batch * per}`);
    }
    return x;
  }

  private checkTarget(target: Float32Array | ArrayLike<number>, batch: number): Float32Array {
    const m = this.manifest;
    const values = target instanceof Float32Array ? target : Float32Array.from(target ?? []);
    if (m.loss === 'mse') {
      const n = batch * numel(m.output.shape);
      if (values.length !== n) throw new ModuleUsageError('E_MODULE_INPUT', `trainStep: target has ${values.length} values, but mean squared error on a batch of ${batch} outputs of ${shapeText(m.output.shape)} needs ${n}`);
      return values;
    }
    const classes = m.output.shape[0];
    if (values.length !== batch) throw new ModuleUsageError('E_MODULE_INPUT', `trainStep: target has ${values.length} values, but a batch of ${batch} needs one class index each`);
    values.forEach((v, i) => {
      if (!Number.isInteger(v) || v < 0 || v >= classes) throw new ModuleUsageError('E_MODULE_INPUT', `trainStep: target[${i}] = ${v} is not a class index in 0…${classes - 1}`);
    });
    return values;
  }

  /** Allocates a program's batched buffers for `batch` (after the queue is done with the old ones). */
  private async prepare(program: ProgramSpec, batch: number, what: string): Promise<void> {
    if (!Number.isInteger(batch) || batch < 1) throw new ModuleUsageError('E_MODULE_ARGUMENT', `${what}: batch must be a positive integer, got ${batch}`);
    let state = this.programs.get(program);
    if (!state) {
      const runnable = program.kernels.map((k) => ({ name: k.name, compiled: this.kernel(k), workgroups: k.workgroups, ...(k.copy ? { copy: k.copy } : {}) }));
      const storage = { slots: (i: number) => this.slots(program.kernels[i], created.batch), copy: (i: number) => this.copyTargets(program.kernels[i]) };
      const created: ProgramState = { batch: 0, runner: new ProgramRunner(this.device, runnable, storage, `${this.name} ${what}`) };
      state = created;
      this.programs.set(program, state);
    }
    if (state.batch === batch) return;
    const limits = this.device.limits;
    const limit = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
    const largest = program.batchedBuffers.map((i) => this.manifest.buffers[i]).filter((b) => !b.texture).reduce((a, b) => (b.bytes > a.bytes ? b : a), { label: '', bytes: 0, batched: true });
    if (largest.bytes * batch > limit) {
      throw new ModuleUsageError(
        'E_BATCH_TOO_LARGE',
        `${what}: batch ${batch} is too large for this device: ${largest.label} (${largest.bytes} bytes per sample) would need ${largest.bytes * batch} bytes, ` +
          `over its storage buffer limit of ${limit}; the largest batch that fits is ${Math.floor(limit / largest.bytes)}`,
      );
    }
    const perDim = limits.maxComputeWorkgroupsPerDimension;
    for (const k of program.kernels) {
      const total = workgroupTotal(k.workgroups, batch);
      if (Math.ceil(total / perDim) > perDim) throw new ModuleUsageError('E_BATCH_TOO_LARGE', `${what}: batch ${batch} is too large: kernel ${k.name} would need ${total} workgroups, over ${perDim}² in one dispatch`);
    }
    const stale: ({ destroy(): void } | undefined)[] = program.batchedBuffers.flatMap((i) => [this.buffers[i], this.textures[i]]);
    for (const i of program.batchedBuffers) {
      const b = this.manifest.buffers[i];
      if (b.texture) this.textures[i] = createTensorTexture(this.device, b.label, (b.bytes * batch) / 16, batch);
      else this.buffers[i] = this.allocate(b.label, b.bytes * batch);
    }
    state.batch = batch;
    state.runner.rebind();
    if (stale.some((b) => b)) {
      await quietly(this.device.queue.onSubmittedWorkDone());
      for (const b of stale) b?.destroy();
    }
  }

  /** Records every kernel of a program into one compute pass, submits once, and reports GPU errors. */
  private async run(program: ProgramSpec, step: number): Promise<void> {
    const state = this.programs.get(program);
    if (!state) throw new Error('internal: program run before prepare');
    // Derived weights (folded batchnorm) are recomputed only when the weights changed.
    const from = this.weightsChanged.has(program) ? 0 : program.prepare;
    this.weightsChanged.delete(program);
    const err = await state.runner.runChecked(state.batch, step, { from });
    if (err) throw new ModuleUsageError('E_GPU_RUN', `${this.name}: the GPU rejected the run: ${err.message}`);
  }

  /** Where a kernel's bindings point at this batch. */
  private slots(k: KernelSpec, batch: number): BoundSlot[] {
    return k.bindings.map((b): BoundSlot => {
      const texture = this.textures[b.buffer];
      if (texture) return { view: texture.createView() };
      const buffer = this.buffers[b.buffer];
      if (!buffer) throw new Error(`internal: buffer ${b.buffer} of kernel ${k.name} is not allocated`);
      // A batched buffer shared by several tensors (a pool) binds each with its own size at this batch.
      const size = b.size === undefined ? buffer.size - b.offset : this.manifest.buffers[b.buffer].batched ? Math.ceil((b.size * batch) / 16) * 16 : b.size;
      return { buffer, offset: b.offset, size };
    });
  }

  /** Where a kernel's texture copy reads and writes at this batch. */
  private copyTargets(k: KernelSpec): { buffer: GPUBuffer; offset: number; texture: GPUTexture } {
    const c = k.copy!;
    const buffer = this.buffers[c.buffer];
    const texture = this.textures[c.texture];
    if (!buffer || !texture) throw new Error(`internal: the texture copy of kernel ${k.name} is not allocated`);
    return { buffer, offset: c.offset, texture };
  }

  private kernel(k: KernelSpec): CompiledKernel {
    const c = this.compiled.get(k.shader);
    if (!c) throw new Error(`internal: kernel ${k.name} was not compiled`);
    return c;
  }

  private allocate(label: string, bytes: number, usage: number = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST): GPUBuffer {
    return this.device.createBuffer({ label, size: Math.max(16, Math.ceil(bytes / 16) * 16), usage });
  }

  private write(at: Location, data: Float32Array): void {
    const buffer = this.buffers[at.buffer];
    if (!buffer) throw new Error(`internal: buffer ${at.buffer} is not allocated`);
    this.device.queue.writeBuffer(buffer, at.offset, data.buffer, data.byteOffset, data.byteLength);
  }

  /** Reads tensors back after everything submitted so far; `batch` samples of a batched buffer. */
  private read(at: readonly Location[], batch: number): Promise<Float32Array[]> {
    return this.readback.read(
      at.map((l) => {
        const buffer = this.buffers[l.buffer];
        if (!buffer) throw new Error(`internal: buffer ${l.buffer} is not allocated`);
        return { buffer, offset: l.offset, bytes: l.elements * (this.manifest.buffers[l.buffer].batched ? batch : 1) * 4 };
      }),
    );
  }
}
