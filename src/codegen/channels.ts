import type { Graph, Op, Tensor } from '../ir/graph.js';
import { numel } from '../ir/graph.js';
import type { Kernel, TargetInfo } from './kernel.js';
import { channelsAndPositions, expectKind, lightTile, perElementKernel } from './per-element.js';
import { tensorOf } from './shapes.js';
import { u32, type BufferDecl } from './wgsl.js';

/**
 * Copies along the channel axis: concat, slice_channels (concat's gradient) and reshape. Channels
 * are the outermost per-sample axis in NCHW, so each is a per-sample copy of contiguous runs:
 * one output word per item, in vec4 units when every run length and offset is a multiple of 4.
 */

/** WebGPU's default maxStorageBuffersPerShaderStage: the inputs plus the output must fit. */
const MAX_STORAGE_BUFFERS = 8;

const vecType = (vec: boolean): 'vec4<f32>' | 'f32' => (vec ? 'vec4<f32>' : 'f32');

/** concat: [a, b, …] → [y] along channels. Item = output word; its input found by offset. */
export function emitConcat(op: Op, graph: Graph, target: TargetInfo): Kernel {
  expectKind(op, 'concat', 'emitConcat');
  if (op.inputs.length + 1 > MAX_STORAGE_BUFFERS) {
    throw new Error(`internal: concat:${op.layer} has ${op.inputs.length} inputs; kernels bind at most ${MAX_STORAGE_BUFFERS - 1} (split the concat)`);
  }
  const ins = op.inputs.map((id) => tensorOf(graph, id));
  const y = tensorOf(graph, op.outputs[0]);
  const sizes = ins.map((t) => numel(t.shape));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== numel(y.shape) || ins.some((t) => t.batched !== y.batched)) {
    throw new Error(`internal: concat of ${sizes.join(' + ')} into ${y.name} (${y.shape.join('×')})`);
  }
  const vec = sizes.every((s) => s % 4 === 0);
  const unit = vec ? 4 : 1;
  const type = vecType(vec);
  const buffers: BufferDecl[] = [
    ...ins.map((t, i) => ({ name: `in${i}`, tensor: t.id, access: 'read' as const, type })),
    { name: 'out', tensor: y.id, access: 'read_write', type },
  ];
  const lines = ['  let n = i / FT;', '  let f = i % FT;'];
  let offset = 0;
  sizes.forEach((s, k) => {
    const read = `in${k}[n * ${u32(s / unit)} + f - ${u32(offset / unit)}]`;
    offset += s;
    lines.push(k === sizes.length - 1 ? `  out[i] = ${read};` : `  if (f < ${u32(offset / unit)}) { out[i] = ${read}; return; }`);
  });
  return perElementKernel(
    {
      name: 'concat', layer: op.layer, comment: `concat ${sizes.join(' + ')} per sample, ${vec ? 'vec4' : 'scalar'}`, buffers,
      units: total / unit, batched: y.batched, prelude: `const FT = ${u32(total / unit)};`, body: lines.join('\n'), tile: lightTile(target),
    },
    target,
  );
}

/** slice_channels: [x] → [y] = channels [start, start + count) of each sample. */
export function emitSliceChannels(op: Op, graph: Graph, target: TargetInfo): Kernel {
  expectKind(op, 'slice_channels', 'emitSliceChannels');
  const x = tensorOf(graph, op.inputs[0]);
  const y = tensorOf(graph, op.outputs[0]);
  const [C, P] = channelsAndPositions(x);
  if (op.start + op.count > C || numel(y.shape) !== op.count * P) {
    throw new Error(`internal: slice_channels ${op.start}+${op.count} of ${x.shape.join('×')} into ${y.shape.join('×')}`);
  }
  const [fx, fy, off] = [C * P, op.count * P, op.start * P];
  const vec = fx % 4 === 0 && fy % 4 === 0 && off % 4 === 0;
  const unit = vec ? 4 : 1;
  const type = vecType(vec);
  const buffers: BufferDecl[] = [
    { name: 'x', tensor: x.id, access: 'read', type },
    { name: 'out', tensor: y.id, access: 'read_write', type },
  ];
  return perElementKernel(
    {
      name: 'slice_channels', layer: op.layer, comment: `slice_channels [${op.start}, ${op.start + op.count}) of ${C} × ${P}, ${vec ? 'vec4' : 'scalar'}`, buffers,
      units: fy / unit, batched: y.batched, tile: lightTile(target),
      body: `  out[i] = x[(i / ${u32(fy / unit)}) * ${u32(fx / unit)} + ${u32(off / unit)} + i % ${u32(fy / unit)}];`,
    },
    target,
  );
}

/** reshape: [x] → [y], the same words. The plan usually aliases the two; this is the copy when not. */
export function emitReshape(op: Op, graph: Graph, target: TargetInfo): Kernel {
  expectKind(op, 'reshape', 'emitReshape');
  const x = tensorOf(graph, op.inputs[0]);
  const y = tensorOf(graph, op.outputs[0]);
  return copyKernel(op.layer, x, y, target);
}

function copyKernel(layer: string, x: Tensor, y: Tensor, target: TargetInfo): Kernel {
  const n = numel(x.shape);
  if (n !== numel(y.shape) || x.batched !== y.batched) throw new Error(`internal: reshape ${x.shape.join('×')} into ${y.shape.join('×')}`);
  const vec = n % 4 === 0;
  const type = vecType(vec);
  const buffers: BufferDecl[] = [
    { name: 'x', tensor: x.id, access: 'read', type },
    { name: 'out', tensor: y.id, access: 'read_write', type },
  ];
  return perElementKernel(
    { name: 'reshape', layer, comment: `reshape ${x.shape.join('×')} → ${y.shape.join('×')} (copy), ${vec ? 'vec4' : 'scalar'}`, buffers, units: vec ? n / 4 : n, batched: y.batched, body: '  out[i] = x[i];', tile: lightTile(target) },
    target,
  );
}
