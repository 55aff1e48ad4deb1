// @ts-check
/**
 * The cnnc module runtime: runs a model that `cnnc compile FILE -o DIR` wrote, from its manifest
 * (buffers, kernels with their bindings and workgroup counts, weights) and its WGSL sources.
 * Copied verbatim beside every module; depends on nothing but the standard WebGPU API, so the
 * same file runs in a browser (navigator.gpu) and in Node (Dawn's bindings, npm `webgpu`, loaded
 * only when there is no navigator.gpu). Types: cnnc-runtime.d.ts.
 *
 * Every forward pass and every training step is one compute pass in one submit. Parameters live
 * in one arena buffer shared by the inference and the training kernels, so a training step needs
 * no copy before the next forward pass.
 */

/** @typedef {import('./cnnc-runtime.js').ModuleManifest} ModuleManifest */
/** @typedef {import('./cnnc-runtime.js').ProgramSpec} ProgramSpec */
/** @typedef {import('./cnnc-runtime.js').Location} Location */
/** @typedef {import('./cnnc-runtime.js').KernelSpec} KernelSpec */
/** @typedef {import('./cnnc-runtime.js').WeightSpec} WeightSpec */
/** @typedef {import('./cnnc-runtime.js').WeightTensor} WeightTensor */
/** @typedef {import('./cnnc-runtime.js').WeightInput} WeightInput */
/** @typedef {import('./cnnc-runtime.js').OptimizerSpec} OptimizerSpec */
/** @typedef {import('./cnnc-runtime.js').CreateModelOptions} CreateModelOptions */
/** @typedef {import('./cnnc-runtime.js').TrainStepOptions} TrainStepOptions */
/** @typedef {import('./cnnc-runtime.js').CnncModel} CnncModel */

// WebGPU's flag values: Dawn's Node bindings define the GPUBufferUsage globals only on request.
const STORAGE = 0x80, COPY_SRC = 0x04, COPY_DST = 0x08, UNIFORM = 0x40, MAP_READ = 0x01;
const MAP_MODE_READ = 0x01, SHADER_STAGE_COMPUTE = 0x4;
const PARAMS_BYTES = 16;

/** A variable, so bundlers leave the Node-only import alone. */
const DAWN_PACKAGE = 'webgpu';
/** @type {Promise<GPU> | undefined} */
let dawnGpu;

/**
 * The browser's navigator.gpu, else Dawn's (one GPU object per process: creating several is costly).
 * @returns {Promise<GPU>}
 */
async function findGpu() {
  const nav = /** @type {{ navigator?: { gpu?: GPU } }} */ (globalThis).navigator;
  if (nav?.gpu) return nav.gpu;
  dawnGpu ??= import(/* @vite-ignore */ DAWN_PACKAGE).then((mod) => /** @type {{ create(flags: string[]): GPU }} */ (mod).create([]));
  try {
    return await dawnGpu;
  } catch (e) {
    dawnGpu = undefined;
    throw new Error(`no WebGPU here: there is no navigator.gpu and Dawn's Node bindings (npm \`webgpu\`) did not load (${/** @type {Error} */ (e).message}); install them with \`npm install webgpu\``);
  }
}

/**
 * A device with the features the kernels need and the adapter's largest storage buffers.
 * @param {readonly string[]} features
 * @returns {Promise<GPUDevice>}
 */
async function createDevice(features) {
  const gpu = await findGpu();
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    throw new Error('no WebGPU adapter found: install a GPU driver, or on a machine without a GPU a software one (Mesa >= 24 `mesa-vulkan-drivers` provides lavapipe), and set XDG_RUNTIME_DIR to a writable directory');
  }
  for (const f of features) {
    if (!adapter.features.has(f)) throw new Error(`this module's kernels need the WebGPU feature '${f}', which this adapter lacks; compile it with \`cnnc compile --target gpu\``);
  }
  return adapter.requestDevice({
    requiredFeatures: /** @type {GPUFeatureName[]} */ ([...features]),
    requiredLimits: { maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize, maxBufferSize: adapter.limits.maxBufferSize },
  });
}

/**
 * mulberry32, the generator cnnc draws initial weights from (the same numbers for the same seed).
 * @param {number} seed
 */
function uniformFrom(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The optimizer's per-step values: [lr, SGD: 1 on the first step | Adam: 1 − β1^t, Adam: 1 − β2^t, 0].
 * @param {OptimizerSpec} optimizer
 * @param {number} lr
 * @param {number} completedSteps
 */
export function optimizerHyper(optimizer, lr, completedSteps) {
  if (optimizer.name === 'sgd') return Float32Array.of(lr, completedSteps === 0 ? 1 : 0, 0, 0);
  const t = completedSteps + 1;
  return Float32Array.of(lr, 1 - Number(optimizer.beta1) ** t, 1 - Number(optimizer.beta2) ** t, 0);
}

/** @param {readonly number[]} shape */
const numel = (shape) => shape.reduce((a, b) => a * b, 1);
/** @param {readonly number[]} shape */
const shapeText = (shape) => (shape.length ? shape.join('×') : 'scalar');
/** @param {number} a @param {number} b */
const ceilDiv = (a, b) => Math.floor((a + b - 1) / b);

/**
 * Workgroups [x, y] per kernel for a batch: ceilDiv(units · batch?, perWorkgroup) · times, with x
 * kept within the device's per-dimension limit and the rest folded into y (shaders index
 * workgroups as wid.x + wid.y · nwg.x and skip the excess, so any fold works).
 * @param {ProgramSpec} program @param {number} batch @param {number} maxPerDim @param {string} what
 * @returns {[number, number][]}
 */
function dispatchSizes(program, batch, maxPerDim, what) {
  return program.kernels.map((k) => {
    const w = k.workgroups;
    const total = ceilDiv(w.units * (w.batched ? batch : 1), w.perWorkgroup) * w.times;
    if (total <= maxPerDim) return [total, 1];
    const y = ceilDiv(total, maxPerDim);
    if (y > maxPerDim) throw new Error(`${what}: batch ${batch} is too large: kernel ${k.name} would need ${total} workgroups, over ${maxPerDim}² in one dispatch`);
    return [maxPerDim, y];
  });
}

/** @typedef {{ batch: number, params: GPUBuffer, bindGroups: GPUBindGroup[], sizes: [number, number][] }} ProgramState */

/**
 * @param {ModuleManifest} manifest
 * @param {readonly string[]} shaders
 * @param {CreateModelOptions} [options]
 * @returns {Promise<CnncModel>}
 */
export async function instantiate(manifest, shaders, options = {}) {
  if (manifest.format !== 'cnnc-module' || manifest.version !== 1) throw new Error(`not a cnnc module manifest (format ${manifest.format}, version ${manifest.version})`);
  const device = options.device ?? (await createDevice(manifest.features));
  if (options.device) {
    for (const f of manifest.features) {
      if (!device.features.has(f)) throw new Error(`this module's kernels need the WebGPU feature '${f}': request it when creating the device, or compile with \`cnnc compile --target gpu\``);
    }
  }
  const model = new CompiledModel(manifest, device, !options.device);
  try {
    await model.compile(shaders);
    model.initialise(options.seed ?? manifest.seed);
    if (options.weights) await model.setWeights(options.weights);
  } catch (e) {
    await model.destroy();
    throw e;
  }
  return model;
}

/** A model on a device: persistent buffers (weights, optimizer state), and per program its batched buffers. */
export class CompiledModel {
  /** @type {(GPUBuffer | undefined)[]} */
  #buffers;
  /** @type {Map<number, { pipeline: GPUComputePipeline, layout: GPUBindGroupLayout }>} pipelines by shader */
  #pipelines = new Map();
  /** @type {Map<ProgramSpec, ProgramState>} */
  #programs = new Map();
  /** @type {Promise<unknown>} the latest call: every call starts after it (buffers are reallocated between batches) */
  #tail = Promise.resolve();
  #step = 0;
  #destroyed = false;
  /** @type {Set<ProgramSpec>} programs whose prepare kernels must run before their next use */
  #weightsChanged = new Set();

  /**
   * @param {ModuleManifest} manifest
   * @param {GPUDevice} device
   * @param {boolean} ownsDevice
   */
  constructor(manifest, device, ownsDevice) {
    this.manifest = manifest;
    this.device = device;
    this.ownsDevice = ownsDevice;
    this.name = manifest.model;
    this.inputShape = manifest.input.shape;
    this.outputShape = manifest.output.shape;
    this.dispatches = manifest.dispatches;
    this.#buffers = manifest.buffers.map((b) => (b.batched ? undefined : this.#allocate(b.label, b.bytes)));
  }

  get step() {
    return this.#step;
  }

  /** @param {readonly string[]} shaders */
  async compile(shaders) {
    const kernels = [...this.manifest.forward.kernels, ...this.manifest.trainStep.kernels];
    /** @type {Map<number, Promise<{ pipeline: GPUComputePipeline, layout: GPUBindGroupLayout }>>} */
    const pending = new Map();
    for (const k of kernels) if (!pending.has(k.shader)) pending.set(k.shader, this.#pipeline(k, shaders[k.shader]));
    for (const [shader, p] of pending) this.#pipelines.set(shader, await p);
  }

  /** @param {number} seed */
  initialise(seed) {
    const uniform = uniformFrom(seed);
    for (const w of this.manifest.weights) {
      if (!w.init) continue;
      const values = new Float32Array(numel(w.shape));
      if (w.init.kind === 'const') values.fill(w.init.value);
      else for (let i = 0; i < values.length; i++) values[i] = (2 * uniform() - 1) * w.init.bound;
      this.#write(w.at, values);
    }
    this.#changed();
  }

  /** The weights changed: every program recomputes what it derives from them. */
  #changed() {
    this.#weightsChanged.add(this.manifest.forward).add(this.manifest.trainStep);
  }

  /** @param {Float32Array} x @param {number} batch */
  forward(x, batch) {
    return this.#serial(async () => {
      const program = this.manifest.forward;
      await this.#prepare(program, batch, 'forward');
      this.#write(program.io.input, this.#checkInput('forward', x, batch));
      await this.#run(program, this.#step);
      return this.#read(program.io.output, batch);
    });
  }

  /**
   * @param {Float32Array} x
   * @param {Float32Array | ArrayLike<number>} target
   * @param {number} batch
   * @param {TrainStepOptions} [options]
   */
  trainStep(x, target, batch, options = {}) {
    return this.#serial(async () => {
      const program = this.manifest.trainStep;
      const io = program.io;
      if (!io.target || !io.loss || !io.hyper) throw new Error('internal: the training program has no target, loss or optimizer input');
      const lr = options.lr ?? this.manifest.optimizer.lr;
      if (!(lr >= 0) || !Number.isFinite(lr)) throw new Error(`trainStep: lr must be a finite number ≥ 0, got ${lr}`);
      await this.#prepare(program, batch, 'trainStep');
      this.#write(io.input, this.#checkInput('trainStep', x, batch));
      this.#write(io.target, this.#checkTarget(target, batch));
      this.#write(io.hyper, optimizerHyper(this.manifest.optimizer, lr, this.#step));
      await this.#run(program, this.#step);
      this.#step++;
      this.#changed();
      if (options.readLoss === false) return undefined;
      return (await this.#read(io.loss, 1))[0];
    });
  }

  readLoss() {
    return this.#serial(async () => {
      const loss = this.manifest.trainStep.io.loss;
      if (!loss) throw new Error('internal: the training program has no loss');
      return this.#step === 0 ? NaN : (await this.#read(loss, 1))[0];
    });
  }

  getWeights() {
    return this.#serial(async () => {
      /** @type {Record<string, WeightTensor>} */
      const out = {};
      /** @type {Map<number, Float32Array>} each buffer read once (all parameters share one) */
      const contents = new Map();
      for (const w of this.manifest.weights) {
        if (w.role === 'constant') continue;
        let all = contents.get(w.at.buffer);
        if (!all) {
          all = await this.#read({ buffer: w.at.buffer, offset: 0, elements: this.manifest.buffers[w.at.buffer].bytes / 4 }, 1);
          contents.set(w.at.buffer, all);
        }
        const start = w.at.offset / 4;
        out[w.name] = { shape: [...w.shape], data: all.slice(start, start + w.at.elements) };
      }
      return out;
    });
  }

  /** @param {Readonly<Record<string, WeightInput | undefined>>} weights */
  setWeights(weights) {
    return this.#serial(async () => {
      this.#live();
      const known = new Map(this.manifest.weights.filter((w) => w.role !== 'constant').map((w) => [w.name, w]));
      /** @type {[WeightSpec, Float32Array][]} */
      const writes = [];
      // Check everything before writing anything, so a bad entry leaves the model as it was.
      for (const [name, value] of Object.entries(weights)) {
        if (value === undefined || name.endsWith('.num_batches_tracked')) continue;
        const w = known.get(name);
        if (!w) throw new Error(`setWeights: ${this.name} has no weight '${name}' (its weights: ${[...known.keys()].join(', ')})`);
        const shape = [...(value.shape ?? [])];
        if (shape.length !== w.shape.length || shape.some((d, i) => d !== w.shape[i])) {
          throw new Error(`setWeights: weight '${name}' has shape ${shapeText(w.shape)} in ${this.name}, got ${shapeText(shape)}`);
        }
        if (!value.data || value.data.length !== w.at.elements) {
          throw new Error(`setWeights: weight '${name}' (${shapeText(w.shape)}) needs ${w.at.elements} values, got ${value.data?.length ?? 'none'}`);
        }
        writes.push([w, value.data instanceof Float32Array ? value.data : Float32Array.from(value.data)]);
      }
      for (const [w, data] of writes) this.#write(w.at, data);
      this.#changed();
    });
  }

  destroy() {
    return this.#serial(async () => {
      if (this.#destroyed) return;
      this.#destroyed = true;
      // Destroying a device with work in flight is one way to crash native drivers: wait first.
      await this.device.queue.onSubmittedWorkDone();
      for (const b of this.#buffers) b?.destroy();
      for (const p of this.#programs.values()) p.params.destroy();
      this.#buffers = [];
      this.#programs.clear();
      if (this.ownsDevice) this.device.destroy();
    });
  }

  /**
   * @template T
   * @param {() => Promise<T>} fn
   * @returns {Promise<T>}
   */
  #serial(fn) {
    const run = this.#tail.then(() => {
      if (this.#destroyed) throw new Error(`model ${this.name} was destroyed`);
      return fn();
    });
    this.#tail = run.catch(() => undefined);
    return run;
  }

  #live() {
    if (this.#destroyed) throw new Error(`model ${this.name} was destroyed`);
  }

  /** @param {string} what @param {Float32Array} x @param {number} batch */
  #checkInput(what, x, batch) {
    const per = numel(this.inputShape);
    if (!(x instanceof Float32Array)) throw new Error(`${what}: x must be a Float32Array (NCHW float32), got ${Object.prototype.toString.call(x)}`);
    if (x.length !== batch * per) {
      throw new Error(`${what}: x has ${x.length} values, but a batch of ${batch} inputs of ${shapeText(this.inputShape)} (NCHW float32) needs ${batch * per}`);
    }
    return x;
  }

  /** @param {Float32Array | ArrayLike<number>} target @param {number} batch */
  #checkTarget(target, batch) {
    const m = this.manifest;
    const values = target instanceof Float32Array ? target : Float32Array.from(target ?? []);
    if (m.loss === 'mse') {
      const n = batch * numel(m.output.shape);
      if (values.length !== n) throw new Error(`trainStep: target has ${values.length} values, but mean squared error on a batch of ${batch} outputs of ${shapeText(m.output.shape)} needs ${n}`);
      return values;
    }
    const classes = m.output.shape[0];
    if (values.length !== batch) throw new Error(`trainStep: target has ${values.length} values, but a batch of ${batch} needs one class index each`);
    values.forEach((v, i) => {
      if (!Number.isInteger(v) || v < 0 || v >= classes) throw new Error(`trainStep: target[${i}] = ${v} is not a class index in 0…${classes - 1}`);
    });
    return values;
  }

  /**
   * Allocates a program's batched buffers for `batch` (after the queue is done with the old ones).
   * @param {ProgramSpec} program @param {number} batch @param {string} what
   */
  async #prepare(program, batch, what) {
    this.#live();
    if (!Number.isInteger(batch) || batch < 1) throw new Error(`${what}: batch must be a positive integer, got ${batch}`);
    let state = this.#programs.get(program);
    if (!state) {
      state = { batch: 0, params: this.#allocate(`${what}.params`, PARAMS_BYTES, UNIFORM | COPY_DST), bindGroups: [], sizes: [] };
      this.#programs.set(program, state);
    }
    if (state.batch === batch) return;
    const limits = this.device.limits;
    const limit = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
    const largest = program.batchedBuffers.map((i) => this.manifest.buffers[i]).reduce((a, b) => (b.bytes > a.bytes ? b : a), { label: '', bytes: 0, batched: true });
    if (largest.bytes * batch > limit) {
      throw new Error(
        `${what}: batch ${batch} is too large for this device: ${largest.label} (${largest.bytes} bytes per sample) would need ${largest.bytes * batch} bytes, ` +
          `over its storage buffer limit of ${limit}; the largest batch that fits is ${Math.floor(limit / largest.bytes)}`,
      );
    }
    const sizes = dispatchSizes(program, batch, limits.maxComputeWorkgroupsPerDimension, what);
    const stale = program.batchedBuffers.map((i) => this.#buffers[i]);
    for (const i of program.batchedBuffers) this.#buffers[i] = this.#allocate(this.manifest.buffers[i].label, this.manifest.buffers[i].bytes * batch);
    state.batch = batch;
    state.bindGroups = [];
    state.sizes = sizes;
    if (stale.some((b) => b)) {
      await this.device.queue.onSubmittedWorkDone();
      for (const b of stale) b?.destroy();
    }
  }

  /**
   * Records every kernel of a program into one compute pass, submits once, and reports GPU errors.
   * @param {ProgramSpec} program @param {number} step
   */
  async #run(program, step) {
    const state = this.#programs.get(program);
    if (!state) throw new Error('internal: program run before #prepare');
    const device = this.device;
    device.queue.writeBuffer(state.params, 0, Uint32Array.of(state.batch, step >>> 0, 0, 0));
    if (!state.bindGroups.length) state.bindGroups = program.kernels.map((k) => this.#bindGroup(k, state));
    // Derived weights (folded batchnorm) are recomputed only when the weights changed.
    const first = this.#weightsChanged.has(program) ? 0 : program.prepare;
    this.#weightsChanged.delete(program);
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    const encoder = device.createCommandEncoder({ label: `${this.name} run` });
    const pass = encoder.beginComputePass();
    program.kernels.forEach((k, i) => {
      const [x, y] = state.sizes[i];
      if (x === 0 || i < first) return;
      pass.setPipeline(this.#compiled(k).pipeline);
      pass.setBindGroup(0, state.bindGroups[i]);
      pass.dispatchWorkgroups(x, y, 1);
    });
    pass.end();
    device.queue.submit([encoder.finish()]);
    const validation = await device.popErrorScope();
    const oom = await device.popErrorScope();
    const err = validation ?? oom;
    if (err) throw new Error(`${this.name}: the GPU rejected the run: ${err.message}`);
  }

  /** @param {KernelSpec} k @param {ProgramState} state */
  #bindGroup(k, state) {
    /** @type {GPUBindGroupEntry[]} */
    const entries = k.bindings.map((b, i) => {
      const buffer = /** @type {GPUBuffer} */ (this.#buffers[b.buffer]);
      // A batched buffer shared by several tensors (a pool) binds each with its own size at this batch.
      const size = b.size === undefined ? buffer.size - b.offset : this.manifest.buffers[b.buffer].batched ? Math.ceil((b.size * state.batch) / 16) * 16 : b.size;
      return { binding: i, resource: { buffer, offset: b.offset, size } };
    });
    entries.push({ binding: k.bindings.length, resource: { buffer: state.params } });
    return this.device.createBindGroup({ layout: this.#compiled(k).layout, entries, label: k.name });
  }

  /** @param {KernelSpec} k */
  #compiled(k) {
    const c = this.#pipelines.get(k.shader);
    if (!c) throw new Error(`internal: kernel ${k.name} was not compiled`);
    return c;
  }

  /**
   * Compiles a kernel's WGSL; errors name the kernel and its layer, with the offending lines.
   * The layout is explicit (storage buffers in order, then the uniform), so a binding may go unused.
   * @param {KernelSpec} k @param {string | undefined} source
   */
  async #pipeline(k, source) {
    if (source === undefined) throw new Error(`internal: no WGSL source ${k.shader} for kernel ${k.name}`);
    const device = this.device;
    const module = device.createShaderModule({ code: source, label: k.name });
    const info = await module.getCompilationInfo();
    const errors = info.messages.filter((m) => m.type === 'error');
    if (errors.length) {
      const lines = source.split('\n');
      const text = errors.map((m) => `${m.lineNum}:${m.linePos}: ${m.message}\n    | ${(lines[m.lineNum - 1] ?? '').trim()}`);
      throw new Error(`WGSL of kernel ${k.name} (layer ${k.layer}) did not compile on this device:\n${text.join('\n')}`);
    }
    /** @type {GPUBindGroupLayoutEntry[]} */
    const entries = k.bindings.map((b, i) => ({
      binding: i,
      visibility: SHADER_STAGE_COMPUTE,
      buffer: { type: b.access === 'read' ? 'read-only-storage' : 'storage' },
    }));
    entries.push({ binding: k.bindings.length, visibility: SHADER_STAGE_COMPUTE, buffer: { type: 'uniform' } });
    const layout = device.createBindGroupLayout({ entries, label: k.name });
    const pipeline = await device.createComputePipelineAsync({ label: k.name, layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }), compute: { module, entryPoint: 'main' } });
    return { pipeline, layout };
  }

  /** @param {string} label @param {number} bytes @param {number} [usage] */
  #allocate(label, bytes, usage = STORAGE | COPY_SRC | COPY_DST) {
    return this.device.createBuffer({ label, size: Math.max(16, Math.ceil(bytes / 16) * 16), usage });
  }

  /** @param {Location} at @param {Float32Array} data */
  #write(at, data) {
    const buffer = this.#buffers[at.buffer];
    if (!buffer) throw new Error(`internal: buffer ${at.buffer} is not allocated`);
    this.device.queue.writeBuffer(buffer, at.offset, data.buffer, data.byteOffset, data.byteLength);
  }

  /**
   * Reads a tensor back after everything submitted so far.
   * @param {Location} at @param {number} batch samples when the buffer is batched
   */
  async #read(at, batch) {
    const buffer = this.#buffers[at.buffer];
    if (!buffer) throw new Error(`internal: buffer ${at.buffer} is not allocated`);
    const bytes = at.elements * (this.manifest.buffers[at.buffer].batched ? batch : 1) * 4;
    const staging = this.device.createBuffer({ size: Math.max(4, bytes), usage: MAP_READ | COPY_DST, label: 'read' });
    try {
      const encoder = this.device.createCommandEncoder();
      encoder.copyBufferToBuffer(buffer, at.offset, staging, 0, bytes);
      this.device.queue.submit([encoder.finish()]);
      await staging.mapAsync(MAP_MODE_READ);
      const out = new Float32Array(bytes / 4);
      out.set(new Float32Array(staging.getMappedRange(0, bytes)));
      staging.unmap();
      return out;
    } finally {
      staging.destroy();
    }
  }
}
