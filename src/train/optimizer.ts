import type { TrainingConfig } from '../check/training.js';

/**
 * Optimizer updates with PyTorch's exact semantics, in float64 over flat arrays: the reference the
 * fused GPU update kernel is tested against, and the spec of what "sgd"/"adam"/"adamw" mean here.
 */
export type OptimizerConfig = TrainingConfig['optimizer'];

/** Per-parameter state: SGD keeps `momentum`; Adam keeps `m` and `v`. */
export interface OptimizerState {
  /** Completed steps (Adam's bias correction uses step + 1 for the update in progress). */
  step: number;
  readonly slots: Record<string, Float64Array | Float32Array>;
}

export function initialState(cfg: OptimizerConfig, size: number): OptimizerState {
  const slots: OptimizerState['slots'] = {};
  if (cfg.name === 'sgd' && (cfg.momentum as number) > 0) slots.momentum = new Float64Array(size);
  if (cfg.name === 'adam' || cfg.name === 'adamw') {
    slots.m = new Float64Array(size);
    slots.v = new Float64Array(size);
  }
  return { step: 0, slots };
}

/**
 * One update of `param` in place from `grad` at learning rate `lr` (the schedule's value for this
 * step). Mirrors torch.optim.SGD (dampening 0; the momentum buffer starts as the first gradient),
 * Adam (L2 weight decay added to the gradient) and AdamW (decoupled decay: p ← p·(1 − lr·wd)).
 */
export function optimizerStep(cfg: OptimizerConfig, lr: number, param: Float64Array | Float32Array, grad: ArrayLike<number>, state: OptimizerState): void {
  const wd = (cfg.weight_decay as number) ?? 0;
  const n = param.length;
  if (cfg.name === 'sgd') {
    const mu = cfg.momentum as number;
    const buf = state.slots.momentum;
    for (let i = 0; i < n; i++) {
      let g = grad[i] + wd * param[i];
      if (buf) {
        buf[i] = state.step === 0 ? g : mu * buf[i] + g;
        g = cfg.nesterov ? g + mu * buf[i] : buf[i];
      }
      param[i] -= lr * g;
    }
  } else {
    const b1 = cfg.beta1 as number;
    const b2 = cfg.beta2 as number;
    const eps = cfg.eps as number;
    const t = state.step + 1;
    const c1 = 1 - b1 ** t;
    const c2 = 1 - b2 ** t;
    const m = state.slots.m;
    const v = state.slots.v;
    const decoupled = cfg.name === 'adamw';
    for (let i = 0; i < n; i++) {
      if (decoupled) param[i] *= 1 - lr * wd;
      const g = decoupled ? grad[i] : grad[i] + wd * param[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      param[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
    }
  }
  state.step++;
}
