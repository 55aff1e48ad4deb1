/**
 * One compute kernel as plain data: what the emitter produces and the runtime executes.
 * The runtime caches pipelines by `source`, so no hand-kept cache key can go stale.
 */
export interface Binding {
  /** The graph tensor bound at this slot (binding index = position in `Kernel.bindings`). */
  readonly tensor: number;
  readonly access: 'read' | 'read_write';
}

export interface Kernel {
  /** For error messages and dumps: `conv2d_fwd:layer1.0.conv1`. */
  readonly name: string;
  /** The model layer it implements; WGSL compile errors point at its span. */
  readonly layer: string;
  /** Complete WGSL module with one `@compute` entry point named `main`. */
  readonly source: string;
  /** Storage buffers in binding order, group 0. A uniform buffer with the batch size follows at the last binding. */
  readonly bindings: readonly Binding[];
  /**
   * Workgroups to dispatch for a batch of N, [x, y, z]. Each dimension stays ≤ 65,535; kernels
   * whose natural size is larger fold it into y (and compute their flat index from both).
   */
  dispatch(batch: number): readonly [number, number, number];
}

/** The adapter facts that select kernel variants; chosen in one place (codegen/variants.ts). */
export interface TargetInfo {
  /** Software rasterisers (lavapipe, SwiftShader) run workgroup barriers as coroutines: avoid shared-memory tiling there. */
  readonly software: boolean;
  readonly maxStorageBufferBindingSize: number;
  readonly maxComputeWorkgroupsPerDimension: number;
  readonly maxComputeInvocationsPerWorkgroup: number;
}
