import type { TrainingConfig } from '../check/training.js';

/**
 * The learning rate at a step, from the training section: a linear warm-up over `warmup` epochs
 * (from lr/warmupSteps up to lr), then constant, step decay (×gamma every `every` epochs) or
 * cosine annealing to `min_lr` over the remaining steps.
 */
export function learningRate(cfg: Pick<TrainingConfig, 'optimizer' | 'schedule' | 'warmup' | 'epochs'>, step: number, stepsPerEpoch: number): number {
  const base = cfg.optimizer.lr as number;
  const warmupSteps = cfg.warmup * stepsPerEpoch;
  if (step < warmupSteps) return (base * (step + 1)) / warmupSteps;
  const s = cfg.schedule;
  if (s.name === 'step') return base * (s.gamma as number) ** Math.floor(step / stepsPerEpoch / (s.every as number));
  if (s.name === 'cosine') {
    const total = Math.max(1, cfg.epochs * stepsPerEpoch - warmupSteps);
    const t = Math.min(1, (step - warmupSteps) / total);
    const min = s.min_lr as number;
    return min + ((base - min) * (1 + Math.cos(Math.PI * t))) / 2;
  }
  return base;
}
