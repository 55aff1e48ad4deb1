import type { Graph, Op } from '../ir/graph.js';
import { numel } from '../ir/graph.js';
import type { Kernel, TargetInfo } from './kernel.js';
import { expectKind, lightTile, perElementKernel } from './per-element.js';
import { tensorOf } from './shapes.js';
import { f32, u32, type BufferDecl } from './wgsl.js';

/**
 * batchnorm_fold: [w, b?, gamma, beta, running_mean, running_var] → [w', b'] (ir/fold.ts), one item
 * per weight. It runs on the device because the weights live there and change there (setWeights,
 * the copy from the training executor); it touches every weight once, so it costs about a copy of
 * the conv's weights. Items are vec4 when each output channel's weights come in multiples of 4,
 * so the per-channel scale is computed once per four weights.
 */
export function emitBatchnormFold(op: Op, graph: Graph, target: TargetInfo): Kernel {
  expectKind(op, 'batchnorm_fold', 'emitBatchnormFold');
  const w = tensorOf(graph, op.inputs[0]);
  const k = op.bias ? 2 : 1;
  const [gamma, beta, runMean, runVar] = op.inputs.slice(k);
  const [wf, bf] = op.outputs;
  const O = w.shape[0];
  const perOut = numel(w.shape) / O;
  for (const id of [...op.inputs.slice(1), bf]) {
    const t = tensorOf(graph, id);
    if (numel(t.shape) !== O || t.batched) throw new Error(`internal: batchnorm_fold per-channel tensor ${t.name} (${t.shape.join('×')}) for ${O} channels`);
  }
  if (w.batched || !Number.isInteger(perOut)) throw new Error(`internal: batchnorm_fold of weights ${w.name} (${w.shape.join('×')})`);
  const vec = perOut % 4 === 0;
  const type: 'vec4<f32>' | 'f32' = vec ? 'vec4<f32>' : 'f32';
  const units = vec ? perOut / 4 : perOut;
  const buffers: BufferDecl[] = [
    { name: 'w', tensor: w.id, access: 'read', type },
    ...(op.bias ? [{ name: 'b', tensor: op.inputs[1], access: 'read' } as const] : []),
    { name: 'gamma', tensor: gamma, access: 'read' },
    { name: 'beta', tensor: beta, access: 'read' },
    { name: 'runMean', tensor: runMean, access: 'read' },
    { name: 'runVar', tensor: runVar, access: 'read' },
    { name: 'wf', tensor: wf, access: 'read_write', type },
    { name: 'bf', tensor: bf, access: 'read_write' },
  ];
  return perElementKernel(
    {
      name: 'batchnorm_fold', layer: op.layer, buffers, units: O * units, batched: false, tile: lightTile(target),
      comment: `batchnorm_fold: ${O} output channels × ${perOut} weights, ${vec ? 'vec4' : 'scalar'}`,
      prelude: `const UNITS = ${u32(units)};\nconst EPS = ${f32(op.eps)};`,
      body: `  let o = i / UNITS;
  let scale = gamma[o] / sqrt(runVar[o] + EPS);
  wf[i] = w[i] * scale;
  if (i % UNITS == 0u) { bf[o] = (${op.bias ? 'b[o]' : '0.0'} - runMean[o]) * scale + beta[o]; }`,
    },
    target,
  );
}
