import type { Tensor } from '../ir/graph.js';
import type { OptimizerConfig } from '../train/optimizer.js';
import type { Kernel, TargetInfo } from './kernel.js';
import { lightTile, perElementKernel } from './per-element.js';
import { f32, type BufferDecl } from './wgsl.js';
import { hyperNumber as num } from './optimizer-hyper.js';

export { optimizerHyper } from './optimizer-hyper.js';

/**
 * The fused optimizer update: every parameter in ONE flat buffer, its gradient in another, the
 * optimizer state (SGD's momentum, Adam's m and v) in flat buffers of the same length n, updated
 * in one kernel (2.5–3.9× faster than a kernel per step of the formula, GUIDE §4). Semantics are
 * train/optimizer.ts's (torch.optim): SGD with dampening 0 whose momentum buffer starts as the
 * first gradient, optional Nesterov and L2 weight decay; Adam with L2 decay in the gradient;
 * AdamW with decoupled decay p ← p·(1 − lr·wd).
 *
 * Binding (a Kernel like any other; the uniform Params block follows at the last binding, unused):
 *   0 param (read_write), 1 grad (read), then the state buffers (read_write) in the order of
 *   `optimizerStateNames`, then `hyper` (read), HYPER_LENGTH f32s the caller writes before each
 *   step with `optimizerHyper`:
 *     hyper[0] = lr, the schedule's learning rate for this step;
 *     hyper[1] = SGD: 1 on the first step (the momentum buffer takes the gradient), else 0;
 *                Adam/AdamW: 1 − β1^t, t = completed steps + 1 (bias corrections in float64 here);
 *     hyper[2] = Adam/AdamW: 1 − β2^t; SGD: 0;
 *     hyper[3] = 0, reserved.
 * Constant hyperparameters (momentum, betas, eps, weight decay) are baked into the source.
 * Binding tensors are the caller's ids (`OptimizerSlots`); `optimizerTensors` describes synthetic
 * ones 0 … k for an executor of its own.
 */

export const HYPER_LENGTH = 4;

/** Tensor ids bound at each slot; they may be synthetic, as long as the executor knows them. */
export interface OptimizerSlots {
  readonly param: number;
  readonly grad: number;
  /** One per entry of optimizerStateNames(cfg), in that order. */
  readonly state: readonly number[];
  readonly hyper: number;
}

/** The state buffers an optimizer keeps, in binding order (as train/optimizer.ts's slots). */
export function optimizerStateNames(cfg: OptimizerConfig): readonly string[] {
  if (cfg.name === 'sgd') return num(cfg, 'momentum') > 0 ? ['momentum'] : [];
  return ['m', 'v'];
}

/** Slots 0 … k in binding order: param, grad, state…, hyper. */
export function defaultSlots(cfg: OptimizerConfig): OptimizerSlots {
  const k = optimizerStateNames(cfg).length;
  return { param: 0, grad: 1, state: Array.from({ length: k }, (_, i) => 2 + i), hyper: 2 + k };
}

/** Synthetic tensors for defaultSlots: flat, unbatched, n elements (hyper: HYPER_LENGTH). */
export function optimizerTensors(cfg: OptimizerConfig, n: number): Tensor[] {
  const names = ['param', 'grad', ...optimizerStateNames(cfg), 'hyper'];
  return names.map((name, id) => ({
    id, name: `optimizer.${name}`, shape: [name === 'hyper' ? HYPER_LENGTH : n], batched: false,
    role: name === 'param' ? 'param' : name === 'grad' ? 'grad' : 'state',
  }));
}

/** The update of element e, over T (f32 or vec4<f32>). */
function updateBody(cfg: OptimizerConfig): string {
  const wd = num(cfg, 'weight_decay');
  const lines = ['  let lr = hyper[0];', '  var p = param[e];'];
  if (cfg.name === 'sgd') {
    const mu = num(cfg, 'momentum');
    lines.push(`  var g = grad[e]${wd ? ` + T(${f32(wd)}) * p` : ''};`);
    if (mu > 0) {
      lines.push(`  let b = select(T(${f32(mu)}) * momentum[e] + g, g, hyper[1] != 0.0);`, '  momentum[e] = b;');
      lines.push(cfg.nesterov === true ? `  g = g + T(${f32(mu)}) * b;` : '  g = b;');
    }
    lines.push('  param[e] = p - lr * g;');
    return lines.join('\n');
  }
  const [b1, b2] = [num(cfg, 'beta1'), num(cfg, 'beta2')];
  if (cfg.name === 'adamw') lines.push(`  p = p * (1.0 - lr * ${f32(wd)});`, '  let g = grad[e];');
  else lines.push(`  let g = grad[e]${wd ? ` + T(${f32(wd)}) * p` : ''};`);
  lines.push(
    `  let mm = T(${f32(b1)}) * m[e] + T(${f32(1 - b1)}) * g;`,
    `  let vv = T(${f32(b2)}) * v[e] + T(${f32(1 - b2)}) * g * g;`,
    '  m[e] = mm;',
    '  v[e] = vv;',
    `  param[e] = p - lr * (mm / hyper[1]) / (sqrt(vv / hyper[2]) + T(${f32(num(cfg, 'eps'))}));`,
  );
  return lines.join('\n');
}

/**
 * The update kernel for n parameters. vec4 units when n is a multiple of 4 (pad the flat buffer to
 * get them), scalars otherwise. `dispatch` ignores the batch.
 */
export function emitOptimizerUpdate(cfg: OptimizerConfig, n: number, target: TargetInfo, slots: OptimizerSlots = defaultSlots(cfg)): Kernel {
  const names = optimizerStateNames(cfg);
  if (slots.state.length !== names.length) throw new Error(`internal: ${cfg.name} keeps ${names.length} state buffers, got ${slots.state.length} slots`);
  if (!Number.isInteger(n) || n < 1) throw new Error(`internal: optimizer update over ${n} parameters`);
  const vec = n % 4 === 0;
  const type: 'vec4<f32>' | 'f32' = vec ? 'vec4<f32>' : 'f32';
  const buffers: BufferDecl[] = [
    { name: 'param', tensor: slots.param, access: 'read_write', type },
    { name: 'grad', tensor: slots.grad, access: 'read', type },
    ...names.map((name, i) => ({ name, tensor: slots.state[i], access: 'read_write' as const, type })),
    { name: 'hyper', tensor: slots.hyper, access: 'read', type: 'f32' },
  ];
  return perElementKernel(
    {
      name: `optimizer_${cfg.name}`, layer: 'optimizer', comment: `fused ${cfg.name} update over ${n} parameters, ${vec ? 'vec4' : 'scalar'}`, buffers,
      units: vec ? n / 4 : n, batched: false, tile: lightTile(target),
      prelude: `alias T = ${type};`,
      body: `  let e = i;\n${updateBody(cfg)}`,
    },
    target,
  );
}
