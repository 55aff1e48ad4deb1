import type { Graph, Op } from '../ir/graph.js';
import { numel } from '../ir/graph.js';
import type { Kernel, TargetInfo, Workgroups } from './kernel.js';
import { sharedGemmSource } from './gemm-shared.js';
import { stridedGemmBlock, stridedGemmSource, type StridedGemmSpec } from './gemm-register.js';
import { tensorOf } from './shapes.js';
import { denseVariant, type DenseVariant } from './variants.js';
import { broadcastGemmBlock, broadcastGemmSource } from './gemm-broadcast.js';
import { gradientRead, outputWrite, type Epilogue, type WeightGradFusion } from './elementwise.js';
import { bindingsOf, ceilDiv, declareBindings, u32, type BufferDecl } from './wgsl.js';

/**
 * dense, dense_grad_input and dense_grad_weight: three strided GEMMs over x [N, in], w [out, in],
 * y/dy [N, out] (N the batch), each described by its operand strides and how it reads and writes.
 */
interface DenseGemm {
  readonly kind: string;
  readonly buffers: BufferDecl[];
  /** WGSL functions the reads and writes call (fused prologue, epilogue). */
  readonly fns: string;
  readonly readA: (index: string) => string;
  readonly readB: (index: string) => string;
  readonly writeC: (index: string, value: string) => string;
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
  /** Buffer receiving Σ_k A[m, k] per row: dense_grad_weight's bias gradient, from its dy. */
  readonly rowSums?: string;
  readonly comment: string;
}

/**
 * What a dense kernel fuses: an epilogue (dense; and dense_grad_input, where it is the derivative
 * of the activation before the layer), a prologue on dy and a bias gradient beside dw (backward).
 */
export interface DenseFusion extends WeightGradFusion {
  readonly epilogue?: Epilogue;
}

const load = (buffer: string) => (i: string) => `${buffer}[${i}]`;

function describeOp(op: Op, graph: Graph, f: DenseFusion): DenseGemm {
  const t = (i: number) => tensorOf(graph, i);
  if (f.epilogue && op.kind === 'dense_grad_weight') throw new Error(`internal: ${op.kind} takes no epilogue`);
  if (f.prologue && op.kind === 'dense') throw new Error('internal: dense takes no prologue');
  if (f.biasGrad !== undefined && op.kind !== 'dense_grad_weight') throw new Error(`internal: ${op.kind} computes no bias gradient`);
  switch (op.kind) {
    case 'dense': {
      // y[b, o] = Σ_i w[o, i]·x[b, i] + bias[o]: M = out, N = batch, K = in
      const [x, w, y] = [t(op.inputs[0]), t(op.inputs[1]), t(op.outputs[0])];
      const [out, inF] = [w.shape[0], w.shape[1]];
      const write = outputWrite('y', y.id, f.epilogue);
      const buffers: BufferDecl[] = [
        { name: 'x', tensor: x.id, access: 'read' },
        { name: 'w', tensor: w.id, access: 'read' },
        ...(op.bias ? [{ name: 'bias', tensor: op.inputs[2], access: 'read' } as const] : []),
        ...write.buffers,
      ];
      checkFeatures(x.shape, inF, y.shape, out);
      return {
        kind: 'dense', buffers, fns: write.fns, readA: load('w'), readB: load('x'), writeC: write.write, M: out, N: 'batch', K: inF,
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
      const read = gradientRead('dy', dy.id, f.prologue);
      const write = outputWrite('dx', dx.id, f.epilogue);
      return {
        kind: 'dense_grad_input',
        buffers: [...read.buffers, { name: 'w', tensor: w.id, access: 'read' }, ...write.buffers],
        fns: read.fns + write.fns, readA: load('w'), readB: read.read, writeC: write.write,
        M: inF, N: 'batch', K: out,
        sAm: 1, sAk: inF, sBk: 1, sBn: out, sCm: 1, sCn: inF,
        comment: `// dense_grad_input: ${inF} → ${out}`,
      };
    }
    case 'dense_grad_weight': {
      // dw[o, i] = Σ_b dy[b, o]·x[b, i]: M = out, N = in, K = batch; db[o] = Σ_b dy[b, o] is A's row sum
      const [dy, x, dw] = [t(op.inputs[0]), t(op.inputs[1]), t(op.outputs[0])];
      const [out, inF] = [dw.shape[0], dw.shape[1]];
      checkFeatures(x.shape, inF, dy.shape, out);
      const read = gradientRead('dy', dy.id, f.prologue);
      const db = f.biasGrad;
      return {
        kind: 'dense_grad_weight',
        buffers: [
          ...read.buffers,
          { name: 'x', tensor: x.id, access: 'read' },
          { name: 'dw', tensor: dw.id, access: 'read_write' },
          ...(db !== undefined ? [{ name: 'db', tensor: db, access: 'read_write' } as const] : []),
        ],
        fns: read.fns, readA: read.read, readB: load('x'), writeC: (i, v) => `dw[${i}] = ${v};`,
        M: out, N: inF, K: 'batch',
        sAm: 1, sAk: out, sBk: inF, sBn: 1, sCm: inF, sCn: 1,
        ...(db !== undefined ? { rowSums: 'db' } : {}),
        comment: `// dense_grad_weight: ${inF} → ${out}${db !== undefined ? ', with the bias gradient' : ''}`,
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

/** bm×bn output tiles over M×(N + ones); at most one of M and N is the batch. */
function gemmTiles(M: number | 'batch', bm: number, N: number | 'batch', ones: number, bn: number): Workgroups {
  if (M === 'batch' && N === 'batch') throw new Error('internal: a dense GEMM batched along both M and N');
  if (N === 'batch') {
    if (ones) throw new Error('internal: a column of ones beside a batched N');
    return { units: 1, batched: true, perWorkgroup: bn, times: ceilDiv(M as number, bm) };
  }
  if (M === 'batch') return { units: 1, batched: true, perWorkgroup: bm, times: ceilDiv(N + ones, bn) };
  return { units: ceilDiv(M, bm) * ceilDiv(N + ones, bn), batched: false, perWorkgroup: 1, times: 1 };
}

export function emitDense(op: Op, graph: Graph, target: TargetInfo, variant?: DenseVariant, fusion: DenseFusion = {}): Kernel {
  const g = describeOp(op, graph, fusion);
  const rows = size(g.M, 1);
  const v = variant ?? denseVariant(target, g.M === 'batch' ? 64 : rows);
  const header = `${g.comment}\n${declareBindings(g.buffers)}${g.fns}`;
  const base = { name: `${g.kind}:${op.layer}`, layer: op.layer, bindings: bindingsOf(g.buffers) };
  // Workgroup-memory tiles take the bias gradient as one more column of B, all ones.
  const ones = g.rowSums !== undefined && v.kind === 'shared' ? 1 : 0;
  const tiles = (bm: number, bn: number): Workgroups => gemmTiles(g.M, bm, g.N, ones, bn);
  if (v.kind === 'register' || v.kind === 'broadcast') {
    const spec: Omit<StridedGemmSpec, 'tile'> = {
      header, readA: g.readA, readB: g.readB, writeC: g.writeC, M: expr(g.M), N: expr(g.N), K: expr(g.K),
      sAm: u32(g.sAm), sAk: u32(g.sAk), sBk: u32(g.sBk), sBn: u32(g.sBn), sCm: u32(g.sCm), sCn: u32(g.sCn),
      ...(g.bias ? { bias: g.bias } : {}),
      ...(g.rowSums ? { rowSums: (m: string, s: string) => `${g.rowSums}[${m}] = ${s};` } : {}),
    };
    if (v.kind === 'broadcast') {
      const { bm, bn } = broadcastGemmBlock(v);
      return { ...base, source: broadcastGemmSource(spec, v), workgroups: tiles(bm, bn) };
    }
    const { bm, bn } = stridedGemmBlock(v);
    return { ...base, source: stridedGemmSource({ ...spec, tile: v }), workgroups: tiles(bm, bn) };
  }
  const biasTerm = g.bias ? ` + ${g.bias.buffer}[${g.bias.along}]` : '';
  const onesB = g.rowSums ? `  if (n == ${expr(g.N)}) { return 1.0; }\n` : '';
  const onesC = g.rowSums ? `  if (n == ${expr(g.N)}) { ${g.rowSums}[m] = v; return; }\n` : '';
  const fns = `
fn loadA(g: u32, m: u32, k: u32) -> f32 { return ${g.readA(`m * ${u32(g.sAm)} + k * ${u32(g.sAk)}`)}; }
fn loadB(g: u32, k: u32, n: u32) -> f32 {
${onesB}  return ${g.readB(`k * ${u32(g.sBk)} + n * ${u32(g.sBn)}`)};
}
fn storeC(g: u32, m: u32, n: u32, v: f32) {
${onesC}  ${g.writeC(`m * ${u32(g.sCm)} + n * ${u32(g.sCn)}`, `v${biasTerm}`)}
}`;
  const N = ones ? `(${expr(g.N)} + 1u)` : expr(g.N);
  return {
    ...base,
    source: sharedGemmSource({ header: header + fns, M: expr(g.M), N, K: expr(g.K), groups: 1, tile: v }),
    workgroups: tiles(v.bm, v.bn),
  };
}
