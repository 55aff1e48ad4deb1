import type { TargetInfo } from './kernel.js';
import type { TargetExtras } from './variants.js';

/**
 * Named targets for emitting WGSL without a device (`cnnc compile --emit wgsl --target …`, golden
 * files): the limits and features of the two kinds of adapter cnnc chooses variants for.
 */
export const TARGETS: Record<'software' | 'gpu', TargetInfo & TargetExtras> = {
  /** Mesa lavapipe as measured here: 8-wide subgroups, 128 MiB bindings, read-only storage textures. */
  software: { software: true, maxStorageBufferBindingSize: 134217728, maxComputeWorkgroupsPerDimension: 65535, maxComputeInvocationsPerWorkgroup: 1024, subgroupMinSize: 8, readonlyStorageTextures: true },
  /** WebGPU's default limits, which every adapter meets. */
  gpu: { software: false, maxStorageBufferBindingSize: 134217728, maxComputeWorkgroupsPerDimension: 65535, maxComputeInvocationsPerWorkgroup: 256 },
};
