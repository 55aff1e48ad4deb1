import type { Graph, Op } from '../ir/graph.js';
import { numel } from '../ir/graph.js';
import type { Kernel, TargetInfo } from './kernel.js';
import { batchOf, channelsAndPositions, expectKind, heavyTile, lightTile, perElementKernel, RUNTIME_NAN } from './per-element.js';
import { tensorOf } from './shapes.js';
import { reductionWorkgroup } from './variants.js';
import { bindingsOf, bound, declareBindings, entryPoint, fixedWorkgroups, u32, type BufferDecl } from './wgsl.js';

/**
 * Losses and their gradients. A loss is a mean over every term (N·P rows for cross-entropy, N·F
 * elements for mse), reduced by ONE workgroup: each invocation sums a strided slice, one barrier,
 * then invocation 0 adds the partials. The loss is one number per step, so a second pass or
 * atomics would cost more than the single workgroup's loop.
 */

/**
 * Log-sum-exp of row r's logits (channel c of sample r / P at position r % P) and its target class,
 * or a NaN class check: a target that is not an integer in [0, C) makes the row NaN, so bad data
 * cannot pass silently (the reference does the same).
 */
function rowHelpers(C: number, P: number): string {
  return `const C = ${u32(C)};
const P = ${u32(P)};

fn rowBase(r: u32) -> u32 { return (r / P) * C * P + r % P; }

fn logSumExp(base: u32) -> f32 {
  var mx = logits[base];
  for (var c = 1u; c < ${bound('C')}; c++) { mx = max(mx, logits[base + c * P]); }
  var s = 0.0;
  for (var c = 0u; c < ${bound('C')}; c++) { s += exp(logits[base + c * P] - mx); }
  return mx + log(s);
}

fn validClass(t: f32) -> bool { return t >= 0.0 && t < f32(C) && t == floor(t); }`;
}

function crossEntropyDims(op: Op, graph: Graph): [number, number] {
  const logits = tensorOf(graph, op.inputs[0]);
  const target = tensorOf(graph, op.inputs[1]);
  const [C, P] = channelsAndPositions(logits);
  if (numel(target.shape) !== P || target.batched !== logits.batched) {
    throw new Error(`internal: ${op.kind} targets ${target.shape.join('×')} for logits ${logits.shape.join('×')}`);
  }
  return [C, P];
}

/**
 * A one-workgroup mean of `term(r)` over `count` terms, into loss[0]. `count` is also `rows()` in
 * the source, for terms that write a gradient beside their value (emitLossWithGrad).
 */
function meanKernel(op: Op, name: string, buffers: readonly BufferDecl[], helpers: string, term: string, count: string, target: TargetInfo): Kernel {
  const wg = reductionWorkgroup(target);
  const source = `// ${name}: the mean of ${count} terms in one workgroup
${declareBindings(buffers)}
${helpers}

fn rows() -> u32 { return ${count}; }

fn term(r: u32) -> f32 {
${term}
}

var<workgroup> part: array<f32, ${wg}>;

${entryPoint(wg)}
  if (wg != 0u) { return; }
  let count = rows();
  var s = 0.0;
  for (var r = lid; r < count; r += ${u32(wg)}) { s += term(r); }
  part[lid] = s;
  workgroupBarrier();
  if (lid == 0u) {
    var total = 0.0;
    for (var k = 0u; k < ${bound(u32(wg))}; k++) { total += part[k]; }
    loss[0] = total / f32(count);
  }
}
`;
  return { name: `${name}:${op.layer}`, layer: op.layer, source, bindings: bindingsOf(buffers), workgroups: fixedWorkgroups(1) };
}

/** softmax_cross_entropy: [logits, target] → [loss], the mean of −log softmax(logits)[target]. */
export function emitSoftmaxCrossEntropy(op: Op, graph: Graph, target: TargetInfo): Kernel {
  expectKind(op, 'softmax_cross_entropy', 'emitSoftmaxCrossEntropy');
  const [C, P] = crossEntropyDims(op, graph);
  const buffers: BufferDecl[] = [
    { name: 'logits', tensor: op.inputs[0], access: 'read' },
    { name: 'labels', tensor: op.inputs[1], access: 'read' },
    { name: 'loss', tensor: op.outputs[0], access: 'read_write' },
  ];
  const term = `  let base = rowBase(r);
  let t = labels[r];
  if (!validClass(t)) { return ${RUNTIME_NAN}; }
  return logSumExp(base) - logits[base + u32(t) * P];`;
  return meanKernel(op, 'softmax_cross_entropy', buffers, rowHelpers(C, P), term, `${batchOf(tensorOf(graph, op.inputs[0]))} * P`, target);
}

/** softmax_cross_entropy_grad: [logits, target] → [dlogits] = (softmax − onehot)/(N·P), one row per item. */
export function emitSoftmaxCrossEntropyGrad(op: Op, graph: Graph, target: TargetInfo): Kernel {
  expectKind(op, 'softmax_cross_entropy_grad', 'emitSoftmaxCrossEntropyGrad');
  const [C, P] = crossEntropyDims(op, graph);
  const logits = tensorOf(graph, op.inputs[0]);
  const buffers: BufferDecl[] = [
    { name: 'logits', tensor: op.inputs[0], access: 'read' },
    { name: 'labels', tensor: op.inputs[1], access: 'read' },
    { name: 'dx', tensor: op.outputs[0], access: 'read_write' },
  ];
  const body = `  let base = rowBase(i);
  let t = labels[i];
  let valid = validClass(t);
  let cls = select(C, u32(max(t, 0.0)), valid);
  let lse = logSumExp(base);
  let scale = 1.0 / f32(${batchOf(logits)} * P);
  for (var c = 0u; c < ${bound('C')}; c++) {
    let g = (exp(logits[base + c * P] - lse) - select(0.0, 1.0, c == cls)) * scale;
    dx[base + c * P] = select(${RUNTIME_NAN}, g, valid);
  }`;
  return perElementKernel(
    {
      name: 'softmax_cross_entropy_grad', layer: op.layer, comment: `softmax_cross_entropy_grad: ${C} classes × ${P} positions`, buffers,
      units: P, batched: logits.batched, prelude: rowHelpers(C, P), body, tile: heavyTile(target),
    },
    target,
  );
}

function mseBuffers(op: Op, graph: Graph, out: string): { buffers: BufferDecl[]; n: number; batched: boolean } {
  const pred = tensorOf(graph, op.inputs[0]);
  const tgt = tensorOf(graph, op.inputs[1]);
  const n = numel(pred.shape);
  if (numel(tgt.shape) !== n || tgt.batched !== pred.batched) throw new Error(`internal: ${op.kind} of ${pred.shape.join('×')} against ${tgt.shape.join('×')}`);
  const buffers: BufferDecl[] = [
    { name: 'pred', tensor: pred.id, access: 'read' },
    { name: 'targets', tensor: tgt.id, access: 'read' },
    { name: out, tensor: op.outputs[0], access: 'read_write' },
  ];
  return { buffers, n, batched: pred.batched };
}

/** mse: [pred, target] → [loss], the mean over all N·F elements of (pred − target)². */
export function emitMse(op: Op, graph: Graph, target: TargetInfo): Kernel {
  expectKind(op, 'mse', 'emitMse');
  const { buffers, n, batched } = mseBuffers(op, graph, 'loss');
  const term = '  let d = pred[r] - targets[r];\n  return d * d;';
  return meanKernel(op, 'mse', buffers, '', term, batched ? `params.batch * ${u32(n)}` : u32(n), target);
}

/** mse_grad: [pred, target] → [dpred] = 2(pred − target)/(N·F), elementwise. */
export function emitMseGrad(op: Op, graph: Graph, target: TargetInfo): Kernel {
  expectKind(op, 'mse_grad', 'emitMseGrad');
  const { buffers, n, batched } = mseBuffers(op, graph, 'dx');
  const count = batched ? `params.batch * ${u32(n)}` : u32(n);
  return perElementKernel(
    {
      name: 'mse_grad', layer: op.layer, comment: `mse_grad over ${n} per sample`, buffers, units: n, batched, tile: lightTile(target),
      body: `  dx[i] = 2.0 * (pred[i] - targets[i]) / f32(${count});`,
    },
    target,
  );
}

/**
 * A loss and its gradient from one kernel (a fusion group's loss sibling): the one-workgroup loop
 * of the loss also writes each row's gradient, so the logits are read and log-sum-exp computed once
 * instead of twice, and one dispatch replaces two. The gradient loop is no longer spread over many
 * workgroups, but the loss already ran over every row in one workgroup, so this adds only the
 * stores. `loss` is softmax_cross_entropy or mse, `grad` its gradient of the same inputs.
 */
export function emitLossWithGrad(loss: Op, grad: Op, graph: Graph, target: TargetInfo): Kernel {
  if (grad.kind !== `${loss.kind}_grad` || grad.inputs.join() !== loss.inputs.join()) {
    throw new Error(`internal: ${grad.kind} (op ${grad.id}) is not the gradient of ${loss.kind} (op ${loss.id})`);
  }
  if (loss.kind === 'mse') {
    const { buffers, n, batched } = mseBuffers(loss, graph, 'loss');
    const all = [...buffers, { name: 'dx', tensor: grad.outputs[0], access: 'read_write' } as const];
    const term = '  let d = pred[r] - targets[r];\n  dx[r] = 2.0 * d / f32(rows());\n  return d * d;';
    const k = meanKernel(loss, 'mse', all, '', term, batched ? `params.batch * ${u32(n)}` : u32(n), target);
    return { ...k, name: `mse&grad:${loss.layer}` };
  }
  expectKind(loss, 'softmax_cross_entropy', 'emitLossWithGrad');
  const [C, P] = crossEntropyDims(loss, graph);
  const buffers: BufferDecl[] = [
    { name: 'logits', tensor: loss.inputs[0], access: 'read' },
    { name: 'labels', tensor: loss.inputs[1], access: 'read' },
    { name: 'loss', tensor: loss.outputs[0], access: 'read_write' },
    { name: 'dx', tensor: grad.outputs[0], access: 'read_write' },
  ];
  // As the two kernels apart: a row whose target is not a class index is NaN in both outputs.
  const term = `  let base = rowBase(r);
  let t = labels[r];
  let valid = validClass(t);
  let cls = select(C, u32(max(t, 0.0)), valid);
  let lse = logSumExp(base);
  let scale = 1.0 / f32(rows());
  for (var c = 0u; c < ${bound('C')}; c++) {
    let g = (exp(logits[base + c * P] - lse) - select(0.0, 1.0, c == cls)) * scale;
    dx[base + c * P] = select(${RUNTIME_NAN}, g, valid);
  }
  if (!valid) { return ${RUNTIME_NAN}; }
  return lse - logits[base + cls * P];`;
  const k = meanKernel(loss, 'softmax_cross_entropy', buffers, rowHelpers(C, P), term, `${batchOf(tensorOf(graph, loss.inputs[0]))} * P`, target);
  return { ...k, name: `softmax_cross_entropy&grad:${loss.layer}` };
}
