import type { Graph, Op } from '../ir/graph.js';
import { numel } from '../ir/graph.js';
import type { Kernel, TargetInfo } from './kernel.js';
import { sharedGemmSource } from './gemm-shared.js';
import { stridedGemmBlock, stridedGemmSource, type StridedGemmSpec } from './gemm-register.js';
import { tensorOf } from './shapes.js';
import { gemmVariant, type GemmVariant } from './variants.js';
import { bindingsOf, ceilDiv, declareBindings, foldDispatch, u32, type BufferDecl } from './wgsl.js';

/**
 * dense, dense_grad_input and dense_grad_weight: three strided GEMMs over x [N, in], w [out, in],
 * y/dy [N, out] (N the batch), each described by its operand strides.
 */
interface DenseGemm {
  readonly kind: string;
  readonly buffers: BufferDecl[];
  readonly a: string;
  readonly b: string;
  readonly c: string;
  /** M, N, K as numbers, or 'batch'. */
  readonly M: number | 'batch';
  readonly N: number | 'batch';
  readonly K: number | 'batch';
  readonly sAm: number;
  readonly sAk: number;
  readonly sBk: number;
  readonly sBn: number;
  readonly sCm: number;
  readonly sCn: number;
  readonly bias?: { readonly buffer: string; readonly along: 'm' | 'n' };
  readonly comment: string;
}

function describeOp(op: Op, graph: Graph): DenseGemm {
  const t = (i: number) => tensorOf(graph, i);
  switch (op.kind) {
    case 'dense': {
      // y[b, o] = Σ_i w[o, i]·x[b, i] + bias[o]: M = out, N = batch, K = in
      const [x, w, y] = [t(op.inputs[0]), t(op.inputs[1]), t(op.outputs[0])];
      const [out, inF] = [w.shape[0], w.shape[1]];
      const buffers: BufferDecl[] = [
        { name: 'x', tensor: x.id, access: 'read' },
        { name: 'w', tensor: w.id, access: 'read' },
        ...(op.bias ? [{ name: 'bias', tensor: op.inputs[2], access: 'read' } as const] : []),
        { name: 'y', tensor: y.id, access: 'read_write' },
      ];
      checkFeatures(x.shape, inF, y.shape, out);
      return {
        kind: 'dense', buffers, a: 'w', b: 'x', c: 'y', M: out, N: 'batch', K: inF,
        sAm: inF, sAk: 1, sBk: 1, sBn: inF, sCm: 1, sCn: out,
        ...(op.bias ? { bias: { buffer: 'bias', along: 'm' as const } } : {}),
        comment: `// dense: ${inF} → ${out}${op.bias ? ' + bias' : ''}`,
      };
    }
    case 'dense_grad_input': {
      // dx[b, i] = Σ_o w[o, i]·dy[b, o]: M = in, N = batch, K = out
      const [dy, w, dx] = [t(op.inputs[0]), t(op.inputs[1]), t(op.outputs[0])];
      const [out, inF] = [w.shape[0], w.shape[1]];
      checkFeatures(dx.shape, inF, dy.shape, out);
      return {
        kind: 'dense_grad_input',
        buffers: [
          { name: 'dy', tensor: dy.id, access: 'read' },
          { name: 'w', tensor: w.id, access: 'read' },
          { name: 'dx', tensor: dx.id, access: 'read_write' },
        ],
        a: 'w', b: 'dy', c: 'dx', M: inF, N: 'batch', K: out,
        sAm: 1, sAk: inF, sBk: 1, sBn: out, sCm: 1, sCn: inF,
        comment: `// dense_grad_input: ${inF} → ${out}`,
      };
    }
    case 'dense_grad_weight': {
      // dw[o, i] = Σ_b dy[b, o]·x[b, i]: M = out, N = in, K = batch
      const [dy, x, dw] = [t(op.inputs[0]), t(op.inputs[1]), t(op.outputs[0])];
      const [out, inF] = [dw.shape[0], dw.shape[1]];
      checkFeatures(x.shape, inF, dy.shape, out);
      return {
        kind: 'dense_grad_weight',
        buffers: [
          { name: 'dy', tensor: dy.id, access: 'read' },
          { name: 'x', tensor: x.id, access: 'read' },
          { name: 'dw', tensor: dw.id, access: 'read_write' },
        ],
        a: 'dy', b: 'x', c: 'dw', M: out, N: inF, K: 'batch',
        sAm: 1, sAk: out, sBk: inF, sBn: 1, sCm: inF, sCn: 1,
        comment: `// dense_grad_weight: ${inF} → ${out}`,
      };
    }
    default:
      throw new Error(`internal: ${op.kind} is not a dense op`);
  }
}

function checkFeatures(xShape: readonly number[], inF: number, yShape: readonly number[], out: number): void {
  if (numel(xShape) !== inF || numel(yShape) !== out) {
    throw new Error(`internal: dense shapes disagree: x ${xShape.join('×')} (expected ${inF}), y ${yShape.join('×')} (expected ${out})`);
  }
}

const expr = (v: number | 'batch') => (v === 'batch' ? 'params.batch' : u32(v));
const size = (v: number | 'batch', batch: number) => (v === 'batch' ? batch : v);

export function emitDense(op: Op, graph: Graph, target: TargetInfo, variant?: GemmVariant): Kernel {
  const g = describeOp(op, graph);
  const rows = size(g.M, 1);
  const v = variant ?? gemmVariant(target, g.M === 'batch' ? 64 : rows);
  const header = `${g.comment}\n${declareBindings(g.buffers)}`;
  const max = target.maxComputeWorkgroupsPerDimension;
  const base = { name: `${g.kind}:${op.layer}`, layer: op.layer, bindings: bindingsOf(g.buffers) };
  const tiles = (bm: number, bn: number) => (batch: number) =>
    foldDispatch(ceilDiv(size(g.M, batch), bm) * ceilDiv(size(g.N, batch), bn), max);
  if (v.kind === 'register') {
    const spec: StridedGemmSpec = {
      header, a: g.a, b: g.b, c: g.c, M: expr(g.M), N: expr(g.N), K: expr(g.K),
      sAm: u32(g.sAm), sAk: u32(g.sAk), sBk: u32(g.sBk), sBn: u32(g.sBn), sCm: u32(g.sCm), sCn: u32(g.sCn),
      ...(g.bias ? { bias: g.bias } : {}),
      tile: v,
    };
    const { bm, bn } = stridedGemmBlock(v);
    return { ...base, source: stridedGemmSource(spec), dispatch: tiles(bm, bn) };
  }
  const biasTerm = g.bias ? ` + ${g.bias.buffer}[${g.bias.along}]` : '';
  const fns = `
fn loadA(g: u32, m: u32, k: u32) -> f32 { return ${g.a}[m * ${u32(g.sAm)} + k * ${u32(g.sAk)}]; }
fn loadB(g: u32, k: u32, n: u32) -> f32 { return ${g.b}[k * ${u32(g.sBk)} + n * ${u32(g.sBn)}]; }
fn storeC(g: u32, m: u32, n: u32, v: f32) { ${g.c}[m * ${u32(g.sCm)} + n * ${u32(g.sCn)}] = v${biasTerm}; }`;
  return {
    ...base,
    source: sharedGemmSource({ header: header + fns, M: expr(g.M), N: expr(g.N), K: expr(g.K), groups: 1, tile: v }),
    dispatch: tiles(v.bm, v.bn),
  };
}
