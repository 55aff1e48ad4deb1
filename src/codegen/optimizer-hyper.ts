/**
 * The optimizer's per-step values (the `hyper` buffer of the fused update, codegen/optimizer.ts):
 * one definition for sessions and compiled modules, whose runtime is built from this file too.
 */

/** What these functions read of an optimizer's config (train/optimizer.ts's OptimizerConfig, a manifest's OptimizerSpec). */
export interface HyperConfig {
  readonly name: string;
  readonly [key: string]: unknown;
}

/** A numeric hyperparameter of the config, 0 when absent. */
export function hyperNumber(cfg: HyperConfig, key: string): number {
  const v = cfg[key];
  return typeof v === 'number' ? v : 0;
}

/**
 * The hyper buffer for the update that follows `completedSteps` earlier ones (OptimizerState.step
 * in train/optimizer.ts), at learning rate `lr`: [lr, SGD: 1 on the first step | Adam: 1 − β1^t,
 * Adam: 1 − β2^t, 0] with t = completedSteps + 1 (bias corrections in float64).
 */
export function optimizerHyper(cfg: HyperConfig, lr: number, completedSteps: number): Float32Array {
  if (cfg.name === 'sgd') return Float32Array.of(lr, completedSteps === 0 ? 1 : 0, 0, 0);
  const t = completedSteps + 1;
  return Float32Array.of(lr, 1 - hyperNumber(cfg, 'beta1') ** t, 1 - hyperNumber(cfg, 'beta2') ** t, 0);
}
