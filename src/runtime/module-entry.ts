/// <reference types="@webgpu/types" />
import { optimizerHyper as hyperOf } from '../codegen/optimizer-hyper.js';
import type { CnncModel, CreateModelOptions, ModuleManifest, OptimizerSpec } from '../module/manifest.js';
import { instantiateModule } from './module-runtime.js';

/**
 * The public face of `cnnc-runtime.js`, the runtime beside every compiled module. The build
 * bundles this file (scripts/build-runtime.mjs); its declarations, with src/module/manifest.ts's
 * types, become `cnnc-runtime.d.ts`.
 */

export type * from '../module/manifest.js';

/** Builds a model from a manifest and its WGSL sources (what `<model>.js` calls). */
export function instantiate<W extends string = string>(manifest: ModuleManifest, shaders: readonly string[], options?: CreateModelOptions<W>): Promise<CnncModel<W>> {
  return instantiateModule<W>(manifest, shaders, options);
}

/** The optimizer's per-step values: learning rate and bias corrections (see cnnc's codegen/optimizer.ts). */
export function optimizerHyper(optimizer: OptimizerSpec, lr: number, completedSteps: number): Float32Array {
  return hyperOf(optimizer, lr, completedSteps);
}
