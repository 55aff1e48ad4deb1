/// <reference types="@webgpu/types" />
/**
 * The compiled-module format and the API of its runtime: the one source of these types. The
 * build (scripts/build-runtime.mjs) turns this file's declarations and src/runtime/module-entry.ts
 * into `cnnc-runtime.d.ts`, copied beside every module that `cnnc compile FILE -o DIR` writes.
 * Self-contained on purpose (no imports), so the generated declarations are too.
 *
 * Layouts at this API are PyTorch's: inputs NCHW float32, conv weights OIHW, dense weights
 * [out, in], batchnorm weight/bias/running_mean/running_var [C], named as PyTorch names them
 * (`conv1.weight`, `layer1.0.bn1.running_var`).
 */

/** One weight tensor: its shape (PyTorch's layout) and its values, row-major. */
export interface WeightTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** What setWeights accepts: a shape and values (a Float32Array, or any array of numbers). */
export interface WeightInput {
  readonly shape: readonly number[];
  readonly data: Float32Array | ArrayLike<number>;
}

export interface CreateModelOptions<W extends string = string> {
  /**
   * Run on this device. Its features and its adapter's subgroup sizes (`device.adapterInfo`) choose
   * the kernel variant, as for a device the runtime creates itself.
   */
  readonly device?: GPUDevice;
  /**
   * Run this kernel variant (`manifest.variants[i].name`) instead of the best one the device runs
   * correctly; a variant the device cannot run is an error, never a silent fallback.
   */
  readonly variant?: string;
  /** Seed of the initial weights (PyTorch's default initialisation); default: the compile-time seed. */
  readonly seed?: number;
  /** Start from these weights instead (missing ones keep their initial values). */
  readonly weights?: Partial<Record<W, WeightInput>>;
}

export interface TrainStepOptions {
  /** Learning rate for this step (a schedule's value); default: the optimizer's `lr`. */
  readonly lr?: number;
  /** Wait for the GPU and return the loss (default true); false returns undefined at once. */
  readonly readLoss?: boolean;
}

/** A compiled model on a WebGPU device. Calls are queued: each starts after the previous one. */
export interface CnncModel<W extends string = string> {
  /** The model's name in its .cnn file. */
  readonly name: string;
  /** Per-sample input shape, C×H×W (or F for a flat input). */
  readonly inputShape: readonly number[];
  /** Per-sample output shape (the logits). */
  readonly outputShape: readonly number[];
  /** Kernels dispatched by one forward pass and by one training step (each in one submit). */
  readonly dispatches: { readonly forward: number; readonly trainStep: number };
  /** Completed training steps (Adam's bias correction and dropout's random stream use it). */
  readonly step: number;
  /** The WebGPU device the model runs on. */
  readonly device: GPUDevice;
  /** The kernel variant chosen for this device (see `ModuleManifest.variants`). */
  readonly variant: string;
  /** Outputs for a batch of `batch` inputs, NCHW float32: batch × outputShape values. */
  forward(x: Float32Array, batch: number): Promise<Float32Array>;
  /**
   * One training step in one submit: forward, loss, backward and the optimizer's update of every
   * parameter. `target` holds class indices (cross-entropy) or target values (mean squared error).
   */
  trainStep(x: Float32Array, target: Float32Array | ArrayLike<number>, batch: number, options?: TrainStepOptions): Promise<number | undefined>;
  /** The loss of the latest training step (NaN before the first). */
  readLoss(): Promise<number>;
  /** Every parameter and running statistic, by PyTorch name. */
  getWeights(): Promise<Record<W, WeightTensor>>;
  /**
   * Replaces the named weights (others keep their values). Throws, naming the tensor, on an
   * unknown name or a shape that differs; `*.num_batches_tracked` from PyTorch is ignored.
   */
  setWeights(weights: Partial<Record<W, WeightInput>>): Promise<void>;
  /** Waits for the GPU, then releases the buffers (and the device, when the model created it). */
  destroy(): Promise<void>;
}

/** Where a tensor lives: a byte offset into one of the manifest's buffers. */
export interface Location {
  readonly buffer: number;
  readonly offset: number;
  /** Elements per sample when the buffer is batched, in all otherwise. */
  readonly elements: number;
}

/** A GPU buffer; a batched one holds `bytes` per sample and belongs to one program. */
export interface BufferSpec {
  readonly label: string;
  readonly bytes: number;
  readonly batched: boolean;
  /** A storage texture of bytes / 16 rgba32float texels (per sample when batched), in rows of 2,048 texels. */
  readonly texture?: boolean;
}

/** One binding: a buffer, or a slice of one (an arena member), or a texture (read-only or write-only). */
export interface BindingSpec {
  readonly buffer: number;
  readonly offset: number;
  /** Bytes bound, per sample when the buffer is batched (rounded up to 16 after scaling); absent: the whole buffer. */
  readonly size?: number;
  readonly access: 'read' | 'read_write' | 'read_texture' | 'write_texture';
}

/** ceilDiv(units · (batched ? batch : 1), perWorkgroup) · times workgroups, folded into y above the device's limit. */
export interface WorkgroupsSpec {
  readonly units: number;
  readonly batched: boolean;
  readonly perWorkgroup: number;
  readonly times: number;
}

export interface KernelSpec {
  readonly name: string;
  readonly layer: string;
  /** Index into the module's WGSL sources (kernels with the same source share it). */
  readonly shader: number;
  /** Storage bindings 0…n−1 of group 0; the uniform {batch, step, 0, 0} follows at binding n. */
  readonly bindings: readonly BindingSpec[];
  readonly workgroups: WorkgroupsSpec;
  /** After the dispatch, `texels` texels (per sample when batched) of buffer `buffer` from `offset` copied into texture buffer `texture`. */
  readonly copy?: { readonly buffer: number; readonly offset: number; readonly texture: number; readonly texels: number; readonly batched: boolean };
}

export interface TensorSpec {
  readonly id: number;
  readonly name: string;
  readonly shape: readonly number[];
  readonly batched: boolean;
  readonly role: string;
  /** Where it is stored, when the program stores it. */
  readonly at?: Location;
}

/** A list of kernels recorded into one compute pass and submitted once. */
export interface ProgramSpec {
  /** The program's graph tensors, for tools and debugging (the runtime uses `io` and the kernels). */
  readonly tensors: readonly TensorSpec[];
  readonly kernels: readonly KernelSpec[];
  /**
   * The first `prepare` kernels compute derived tensors (batchnorm folded into conv weights) from
   * the weights alone: they run only after the weights changed.
   */
  readonly prepare: number;
  /** Batched buffers this program owns (reallocated when its batch changes). */
  readonly batchedBuffers: readonly number[];
  readonly io: {
    readonly input: Location;
    readonly output: Location;
    readonly target?: Location;
    readonly loss?: Location;
    /** The optimizer's per-step values (see `optimizerHyper` in the runtime). */
    readonly hyper?: Location;
  };
}

export type InitSpec = { readonly kind: 'uniform'; readonly bound: number } | { readonly kind: 'const'; readonly value: number };

export interface WeightSpec {
  /** PyTorch's name. */
  readonly name: string;
  readonly shape: readonly number[];
  /** param: trained; state: running statistics; constant: fixed (batchnorm without affine), not exported. */
  readonly role: 'param' | 'state' | 'constant';
  /** PyTorch's default initialisation, drawn in the order of `weights`. */
  readonly init?: InitSpec;
  readonly at: Location;
}

export interface OptimizerSpec {
  readonly name: 'sgd' | 'adam' | 'adamw';
  readonly lr: number;
  readonly [key: string]: number | boolean | string;
}

/**
 * One complete set of kernels for both programs, with what a device needs to run them correctly.
 * Every variant binds the same buffers for the weights, so the choice changes no number a user
 * sees beyond float32 rounding.
 */
export interface VariantSpec {
  /** 'subgroups' (lanes share loads with subgroupBroadcast) or 'portable' (core WebGPU only). */
  readonly name: string;
  /** Device features the kernels need (e.g. 'subgroups'). */
  readonly features: readonly string[];
  /**
   * The kernels broadcast from subgroup lanes below this count, so every subgroup must have at
   * least this many (the adapter's `subgroupMinSize`); absent: no subgroup operations.
   */
  readonly minSubgroupSize?: number;
  /** WGSL language features the kernels need (read-only storage textures for the texture convs); absent: none. */
  readonly wgslFeatures?: readonly string[];
  readonly dispatches: { readonly forward: number; readonly trainStep: number };
  readonly forward: ProgramSpec;
  readonly trainStep: ProgramSpec;
}

/** Everything a runtime needs to run a compiled model, as plain JSON (`<model>.manifest.json`). */
export interface ModuleManifest {
  readonly format: 'cnnc-module';
  /** 3: buffers may be textures (BufferSpec.texture), bound with the texture accesses. */
  readonly version: 3;
  readonly model: string;
  /** What the variants were tuned for: 'software' (CPU adapters such as lavapipe) or 'gpu'. */
  readonly target: 'software' | 'gpu';
  /** Default seed of the initial weights; dropout's random stream was fixed with it at compile time. */
  readonly seed: number;
  readonly input: { readonly name: string; readonly shape: readonly number[] };
  readonly output: { readonly name: string; readonly shape: readonly number[] };
  readonly loss: 'cross_entropy' | 'mse';
  readonly optimizer: OptimizerSpec;
  /** The preferred variant's dispatches. */
  readonly dispatches: { readonly forward: number; readonly trainStep: number };
  readonly weights: readonly WeightSpec[];
  readonly buffers: readonly BufferSpec[];
  /**
   * Kernel variants, preferred first; the last needs no optional feature, so some variant runs on
   * every WebGPU device. The runtime takes the first whose requirements the device meets.
   */
  readonly variants: readonly VariantSpec[];
  /** File names of the WGSL sources beside the module, in shader order. */
  readonly shaderFiles: readonly string[];
}
