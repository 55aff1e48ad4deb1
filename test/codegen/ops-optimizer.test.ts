import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSlots, emitOptimizerUpdate, optimizerHyper, optimizerStateNames, optimizerTensors } from '../../src/codegen/optimizer.js';
import { relError } from '../../src/ir/reference/testing.js';
import { Executor } from '../../src/runtime/executor.js';
import { initialState, optimizerStep, type OptimizerConfig } from '../../src/train/optimizer.js';
import { freshSeed, openGpu, randomF32, seededRandom, targetWith, type TestGpu } from './harness.js';

let gpu: TestGpu;
beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(async () => {
  await gpu?.ctx.destroy();
});

const CONFIGS: readonly [string, OptimizerConfig][] = [
  ['sgd', { name: 'sgd', lr: 0.1, momentum: 0, nesterov: false, weight_decay: 0 }],
  ['sgd + momentum + weight decay', { name: 'sgd', lr: 0.1, momentum: 0.9, nesterov: false, weight_decay: 0.01 }],
  ['sgd + nesterov', { name: 'sgd', lr: 0.1, momentum: 0.8, nesterov: true, weight_decay: 0 }],
  ['adam + L2 decay', { name: 'adam', lr: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.02 }],
  ['adamw', { name: 'adamw', lr: 0.05, beta1: 0.8, beta2: 0.99, eps: 1e-8, weight_decay: 0.1 }],
];

/**
 * Three steps of the fused kernel against train/optimizer.ts in float64, with fresh gradients and
 * a changing learning rate each step. Parameters are compared by their change from the start
 * (the change is what the kernel computes; the parameters themselves would hide its error).
 */
async function threeSteps(cfg: OptimizerConfig, n: number, software: boolean): Promise<void> {
  const seed = freshSeed();
  const rand = seededRandom(seed);
  const kernel = emitOptimizerUpdate(cfg, n, targetWith(gpu, software));
  const slots = defaultSlots(cfg);
  const tensors = optimizerTensors(cfg, n);
  const ex = await Executor.create(gpu.ctx.device, tensors, [kernel], 1, { pipelines: gpu.pipelines });
  try {
    const p0 = randomF32(rand, n);
    const ref = Float64Array.from(p0);
    const state = initialState(cfg, n);
    ex.write(slots.param, p0);
    // the state starts at zero as in torch; NaN would show if the first SGD step read it
    slots.state.forEach((id) => ex.write(id, new Float32Array(n).fill(cfg.name === 'sgd' ? NaN : 0)));
    for (let step = 0; step < 3; step++) {
      const grad = randomF32(rand, n);
      const lr = (cfg.lr as number) * (1 - 0.2 * step);
      ex.write(slots.grad, grad);
      ex.write(slots.hyper, optimizerHyper(cfg, lr, state.step));
      await ex.runAndWait();
      optimizerStep(cfg, lr, ref, grad, state);
    }
    const got = await ex.read(slots.param);
    const delta = got.map((v, i) => v - p0[i]);
    const want = ref.map((v, i) => v - p0[i]);
    expect(relError(delta, want), `${kernel.name} n=${n}, seed ${seed}`).toBeLessThan(1e-4);
    const names = optimizerStateNames(cfg);
    for (let k = 0; k < names.length; k++) {
      expect(relError(await ex.read(slots.state[k]), state.slots[names[k]]), `${names[k]}, seed ${seed}`).toBeLessThan(1e-4);
    }
  } finally {
    await ex.destroy();
  }
}

describe('fused optimizer update vs train/optimizer.ts over 3 steps', { timeout: 30_000 }, () => {
  it.each(CONFIGS)('%s (n = 1001, scalar)', async (_name, cfg) => {
    await threeSteps(cfg, 1001, true);
  });
  it.each(CONFIGS.filter(([, c]) => c.name !== 'sgd' || (c.momentum as number) > 0))('%s (n = 2048, vec4)', async (_name, cfg) => {
    await threeSteps(cfg, 2048, false);
  });
  it('binds caller-chosen tensor ids in the documented order', () => {
    const cfg = CONFIGS[3][1];
    const k = emitOptimizerUpdate(cfg, 10, targetWith(gpu, true), { param: 40, grad: 41, state: [7, 9], hyper: 3 });
    expect(k.bindings).toEqual([
      { tensor: 40, access: 'read_write' },
      { tensor: 41, access: 'read' },
      { tensor: 7, access: 'read_write' },
      { tensor: 9, access: 'read_write' },
      { tensor: 3, access: 'read' },
    ]);
    expect(() => emitOptimizerUpdate(cfg, 10, targetWith(gpu, true), { param: 0, grad: 1, state: [2], hyper: 3 })).toThrow(/2 state buffers/);
  });
});
