/**
 * One compute kernel as plain data: what the emitter produces and the runtime executes.
 * The runtime caches pipelines by `source`, so no hand-kept cache key can go stale.
 */
export interface Binding {
  /** The graph tensor bound at this slot (binding index = position in `Kernel.bindings`). */
  readonly tensor: number;
  /**
   * Storage buffers are read or read-written; a tensor the plan keeps as a texture (Tensor.texture:
   * rgba32float texels, codegen/texture.ts) is bound as a read-only or write-only storage texture.
   */
  readonly access: 'read' | 'read_write' | 'read_texture' | 'write_texture';
}

export interface Kernel {
  /** For error messages and dumps: `conv2d_fwd:layer1.0.conv1`. */
  readonly name: string;
  /** The model layer it implements; WGSL compile errors point at its span. */
  readonly layer: string;
  /** Complete WGSL module with one `@compute` entry point named `main`. */
  readonly source: string;
  /** Storage buffers (and textures) in binding order, group 0. A uniform buffer with the batch size follows at the last binding. */
  readonly bindings: readonly Binding[];
  /** How many workgroups to dispatch for a batch, as data (see `dispatchSize` in wgsl.ts). */
  readonly workgroups: Workgroups;
  /** A texture this kernel fills through a buffer, copied after its dispatch (TextureCopy). */
  readonly copy?: TextureCopy;
}

/**
 * A texture filled by copying a buffer into it after the kernel's dispatch: the kernel writes the
 * texels in order (texel i at vec4 i, codegen/texture.ts) to `buffer`, one of its bindings, and
 * the runtime records copyBufferToTexture into `texture` (a tensor no kernel binds for writing).
 * On lavapipe a `textureStore` costs ~5 ns a texel, more than the loads and arithmetic of a copy
 * kernel, and the copy command runs at memcpy speed (8 MiB: 0.27 ms against 3.7 ms of stores).
 */
export interface TextureCopy {
  readonly buffer: number;
  readonly texture: number;
  /** Texels copied: per sample when batched. */
  readonly texels: number;
  readonly batched: boolean;
}

/**
 * Where the kernels of one group get storage that only they use (the partial sums of a reduction
 * split over workgroups, summed by a second kernel): the device plan appends each as a tensor of
 * role 'scratch' and returns its id. Emitters called without one emit a single kernel.
 */
export interface ScratchSpace {
  tensor(name: string, length: number): number;
  /** A texture of `texels` rgba32float texels (per sample when batched), laid out as codegen/texture.ts says. */
  texture(name: string, texels: number, batched: boolean): number;
  /** The buffer texture copies write before the runtime copies it into their texture (TextureCopy): one for all, sized for the largest. */
  staging(texels: number, batched: boolean): number;
}

/**
 * A kernel's workgroup count as plain data, so a plan can be written to a file and run by another
 * runtime: ceilDiv(units · (batched ? batch : 1), perWorkgroup) · times workgroups, which the
 * runtime folds into y above the device's per-dimension limit (shaders index by
 * `wid.x + wid.y * nwg.x` and skip the excess).
 */
export interface Workgroups {
  /** Work items per sample when `batched`, in all otherwise. */
  readonly units: number;
  readonly batched: boolean;
  /** Work items one workgroup covers. */
  readonly perWorkgroup: number;
  /** Independent copies of that range (output-channel tiles × groups). */
  readonly times: number;
}

/** The adapter facts that select kernel variants; chosen in one place (codegen/variants.ts). */
export interface TargetInfo {
  /** Software rasterisers (lavapipe, SwiftShader) run workgroup barriers as coroutines: avoid shared-memory tiling there. */
  readonly software: boolean;
  readonly maxStorageBufferBindingSize: number;
  readonly maxComputeWorkgroupsPerDimension: number;
  readonly maxComputeInvocationsPerWorkgroup: number;
}
