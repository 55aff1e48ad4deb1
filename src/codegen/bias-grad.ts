import type { Graph, Op } from '../ir/graph.js';
import { numel } from '../ir/graph.js';
import type { Kernel, TargetInfo } from './kernel.js';
import { tensorOf } from './shapes.js';
import { reductionWorkgroup } from './variants.js';
import { gradientRead, type Prologue } from './elementwise.js';
import { bindingsOf, declareBindings, fixedWorkgroups, u32, type BufferDecl } from './wgsl.js';

/**
 * bias_grad ([dy] → [db]): db[c] = Σ over the batch and positions of dy[n, c, …].
 * Flat dy (dense layers, one position): one invocation per feature sums down the batch, reading
 * neighbouring words across invocations. Spatial dy: one workgroup per channel, each invocation
 * sums a strided slice, then one barrier and a tree in workgroup memory. A fused prologue applies
 * at every load of dy.
 */
export function emitBiasGrad(op: Op, graph: Graph, target: TargetInfo, prologue?: Prologue): Kernel {
  if (op.kind !== 'bias_grad') throw new Error(`internal: emitBiasGrad got ${op.kind}`);
  const dy = tensorOf(graph, op.inputs[0]);
  const db = tensorOf(graph, op.outputs[0]);
  const C = dy.shape.length ? dy.shape[0] : 1;
  const P = numel(dy.shape) / C;
  if (numel(db.shape) !== C) throw new Error(`internal: bias_grad of ${dy.shape.join('×')} into ${db.shape.join('×')}`);
  const read = gradientRead('dy', dy.id, prologue);
  const buffers: BufferDecl[] = [...read.buffers, { name: 'db', tensor: db.id, access: 'read_write' }];
  const wg = reductionWorkgroup(target);
  const head = `// bias_grad: dy ${dy.shape.join('×')}${dy.batched ? ' (batched)' : ''}\n${declareBindings(buffers)}${read.fns}\nconst C = ${u32(C)};\nconst P = ${u32(P)};\nconst WG = ${u32(wg)};\n`;
  const batchExpr = dy.batched ? 'params.batch' : '1u';
  const base = { name: `bias_grad:${op.layer}`, layer: op.layer, bindings: bindingsOf(buffers) };
  if (P === 1) {
    return {
      ...base,
      workgroups: { units: C, batched: false, perWorkgroup: wg, times: 1 },
      source: `${head}
@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = (wid.x + wid.y * nwg.x) * WG + lid;
  if (c >= C) { return; }
  let n = ${batchExpr};
  var s = 0.0;
  for (var b = 0u; b < n; b++) { s += ${read.read('b * C + c')}; }
  db[c] = s;
}
`,
    };
  }
  const tree: string[] = [];
  for (let s = wg / 2; s >= 1; s /= 2) {
    tree.push(`  if (lid < ${u32(s)}) { red[lid] += red[lid + ${u32(s)}]; }`);
    tree.push('  workgroupBarrier();');
  }
  return {
    ...base,
    workgroups: fixedWorkgroups(C),
    source: `${head}
var<workgroup> red: array<f32, ${wg}>;

@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = wid.x + wid.y * nwg.x;
  if (c >= C) { return; }
  let total = ${batchExpr} * P;
  var s = 0.0;
  for (var i = lid; i < total; i += WG) {
    s += ${read.read('((i / P) * C + c) * P + i % P')};
  }
  red[lid] = s;
  workgroupBarrier();
${tree.join('\n')}
  if (lid == 0u) { db[c] = red[0]; }
}
`,
  };
}
