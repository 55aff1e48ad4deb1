import { describe, expect, it } from 'vitest';
import { initialState, optimizerStep, type OptimizerConfig } from '../../src/train/optimizer.js';
import { learningRate } from '../../src/train/schedule.js';

/**
 * Expected values worked out by hand from torch.optim's documented update rules, for two steps on
 * one scalar parameter, so each rule (momentum start, Nesterov, bias correction, decoupled decay)
 * is pinned by a number.
 */
function run(cfg: OptimizerConfig, grads: number[], p0 = 1, lr = 0.1): number[] {
  const p = new Float64Array([p0]);
  const st = initialState(cfg, 1);
  return grads.map((g) => {
    optimizerStep(cfg, lr, p, [g], st);
    return p[0];
  });
}

describe('optimizers follow torch.optim', () => {
  it('plain SGD with weight decay', () => {
    // g = 0.5 + 0.1·1 = 0.6 → p = 1 − 0.06 = 0.94; then g = 0.5 + 0.094 = 0.594 → 0.8806
    const [a, b] = run({ name: 'sgd', lr: 0.1, momentum: 0, nesterov: false, weight_decay: 0.1 }, [0.5, 0.5]);
    expect(a).toBeCloseTo(0.94, 12);
    expect(b).toBeCloseTo(0.8806, 12);
  });

  it('SGD momentum: the buffer starts as the first gradient', () => {
    // buf = 1 → p = 0.9; buf = 0.9·1 + 1 = 1.9 → p = 0.71
    expect(run({ name: 'sgd', lr: 0.1, momentum: 0.9, nesterov: false, weight_decay: 0 }, [1, 1])).toEqual([0.9, expect.closeTo(0.71, 12)]);
  });

  it('SGD Nesterov', () => {
    // buf = 1, g = 1 + 0.9 = 1.9 → p = 0.81; buf = 1.9, g = 1 + 1.71 = 2.71 → p = 0.539
    const [a, b] = run({ name: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0 }, [1, 1]);
    expect(a).toBeCloseTo(0.81, 12);
    expect(b).toBeCloseTo(0.539, 12);
  });

  it('Adam: the first step moves by lr whatever the gradient scale', () => {
    const cfg: OptimizerConfig = { name: 'adam', lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0 };
    // eps shifts it by lr·eps/|g| = 1e-6 here
    expect(run(cfg, [1e-3])[0]).toBeCloseTo(0.900001, 9);
    expect(run(cfg, [250])[0]).toBeCloseTo(0.9, 9);
  });

  it('AdamW decays the weight before the Adam step; Adam adds decay to the gradient', () => {
    const w: OptimizerConfig = { name: 'adamw', lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.5 };
    // p = 1·(1 − 0.05) = 0.95, then − 0.1 (first Adam step) = 0.85
    expect(run(w, [2])[0]).toBeCloseTo(0.85, 7);
    const l2: OptimizerConfig = { ...w, name: 'adam' };
    // g = 2 + 0.5 = 2.5, first step still exactly lr: 0.9
    expect(run(l2, [2])[0]).toBeCloseTo(0.9, 7);
  });
});

describe('learning-rate schedules', () => {
  const base = { optimizer: { name: 'sgd' as const, lr: 0.1 }, epochs: 10, warmup: 0 };
  it('step decay, cosine, warm-up', () => {
    const step = { ...base, schedule: { name: 'step' as const, every: 3, gamma: 0.5 } };
    expect([0, 29, 30, 60, 99].map((s) => learningRate(step, s, 10))).toEqual([0.1, 0.1, 0.05, 0.025, 0.0125]);
    const cos = { ...base, schedule: { name: 'cosine' as const, min_lr: 0 } };
    expect(learningRate(cos, 0, 10)).toBeCloseTo(0.1, 12);
    expect(learningRate(cos, 50, 10)).toBeCloseTo(0.05, 12);
    expect(learningRate(cos, 100, 10)).toBeCloseTo(0, 12);
    const warm = { ...base, warmup: 1, schedule: { name: 'constant' as const } };
    expect([0, 4, 9, 10, 50].map((s) => learningRate(warm, s, 10))).toEqual([0.01, 0.05, 0.1, 0.1, 0.1]);
  });
});
