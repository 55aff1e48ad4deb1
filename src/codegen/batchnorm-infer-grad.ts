import type { Graph, Op } from '../ir/graph.js';
import { numel } from '../ir/graph.js';
import type { Kernel, TargetInfo } from './kernel.js';
import { channelsAndPositions, expectKind, lightTile, perElementKernel } from './per-element.js';
import { tensorOf } from './shapes.js';
import { f32, u32, type BufferDecl } from './wgsl.js';

/**
 * batchnorm_infer_grad: [dy, gamma, running_var] → [dx] = dy·gamma/√(running_var + eps), the input
 * gradient of inference batchnorm (used when probing a trained model: saliency, activation
 * maximisation). Elementwise on the per-element skeleton, vec4 along positions when they allow,
 * like the inference batchnorm itself.
 */
export function emitBatchnormInferGrad(op: Op, graph: Graph, target: TargetInfo): Kernel {
  expectKind(op, 'batchnorm_infer_grad', 'emitBatchnormInferGrad');
  const [dy, gamma, rv] = op.inputs;
  const x = tensorOf(graph, dy);
  const [C, P] = channelsAndPositions(x);
  for (const id of [gamma, rv]) {
    const t = tensorOf(graph, id);
    if (numel(t.shape) !== C || t.batched) throw new Error(`internal: batchnorm_infer_grad per-channel tensor ${t.name} (${t.shape.join('×')}) for ${C} channels`);
  }
  const vec = P % 4 === 0;
  const type: 'vec4<f32>' | 'f32' = vec ? 'vec4<f32>' : 'f32';
  const buffers: BufferDecl[] = [
    { name: 'dy', tensor: dy, access: 'read', type },
    { name: 'gamma', tensor: gamma, access: 'read' },
    { name: 'runVar', tensor: rv, access: 'read' },
    { name: 'dx', tensor: op.outputs[0], access: 'read_write', type },
  ];
  const units = vec ? P / 4 : P;
  return perElementKernel(
    {
      name: 'batchnorm_infer_grad', layer: op.layer, comment: `batchnorm_infer_grad: ${C} channels × ${P} positions, ${vec ? 'vec4' : 'scalar'}`, buffers,
      units: C * units, batched: x.batched, tile: lightTile(target),
      prelude: `const C = ${u32(C)};\nconst UNITS = ${u32(units)};\nconst EPS = ${f32(op.eps)};`,
      body: `  let c = (i / UNITS) % C;
  dx[i] = dy[i] * (gamma[c] / sqrt(runVar[c] + EPS));`,
    },
    target,
  );
}
