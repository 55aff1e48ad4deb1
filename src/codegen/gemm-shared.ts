import type { SharedTile } from './variants.js';
import { range, u32 } from './wgsl.js';

/**
 * A GEMM with workgroup-memory tiles, for real GPUs: per group g, C[m, n] = Σ_k A(g, m, k)·B(g, k, n).
 * The op supplies the operands as WGSL functions, so one skeleton serves implicit-GEMM convs and
 * dense layers alike:
 *   fn loadA(g: u32, m: u32, k: u32) -> f32   (m < M, k < K guaranteed)
 *   fn loadB(g: u32, k: u32, n: u32) -> f32   (k < K, n < N guaranteed; returns 0 for padding)
 *   fn storeC(g: u32, m: u32, n: u32, v: f32) (m < M, n < N guaranteed)
 * M, N, K are u32 expressions that may read `params.batch`.
 */
export interface SharedGemmSpec {
  /** Bindings, constants and the three functions above. */
  readonly header: string;
  readonly M: string;
  readonly N: string;
  readonly K: string;
  readonly groups: number;
  readonly tile: SharedTile;
}

export function sharedGemmSource(spec: SharedGemmSpec): string {
  const { bm, bn, bk, tm, tn } = spec.tile;
  // Invocations along n and m; each owns tm rows strided by ny and tn columns strided by nx.
  const nx = bn / tn;
  const ny = bm / tm;
  const threads = nx * ny;
  const accDecl = range(tm).flatMap((i) => range(tn).map((j) => `  var acc${i}_${j} = 0.0;`));
  const aRegs = range(tm).map((i) => `      let a${i} = tileA[kk * BM + ty + ${i}u * ${u32(ny)}];`);
  const bRegs = range(tn).map((j) => `      let b${j} = tileB[kk * BN + tx + ${j}u * ${u32(nx)}];`);
  const fmas = range(tm).flatMap((i) => range(tn).map((j) => `      acc${i}_${j} = fma(a${i}, b${j}, acc${i}_${j});`));
  const stores = range(tm).flatMap((i) =>
    range(tn).map((j) => `  if (m0 + ${i}u * ${u32(ny)} < M && n0 + ${j}u * ${u32(nx)} < N) { storeC(g, m0 + ${i}u * ${u32(ny)}, n0 + ${j}u * ${u32(nx)}, acc${i}_${j}); }`),
  );
  return `${spec.header}

const BM = ${u32(bm)};
const BN = ${u32(bn)};
const BK = ${u32(bk)};
const GEMM_GROUPS = ${u32(spec.groups)};
var<workgroup> tileA: array<f32, ${bm * bk}>;
var<workgroup> tileB: array<f32, ${bk * bn}>;

@compute @workgroup_size(${nx}, ${ny})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let M = ${spec.M};
  let N = ${spec.N};
  let K = ${spec.K};
  let tilesM = (M + BM - 1u) / BM;
  let tilesN = (N + BN - 1u) / BN;
  if (wg >= tilesM * tilesN * GEMM_GROUPS) { return; }
  let tn = wg % tilesN;
  let rest = wg / tilesN;
  let tm = rest % tilesM;
  let g = rest / tilesM;
  let tx = lxy.x;
  let ty = lxy.y;
  // Rows and columns of this invocation are strided by the workgroup's extent, so neighbouring
  // invocations read neighbouring words of the tiles.
  let m0 = tm * BM + ty;
  let n0 = tn * BN + tx;
${accDecl.join('\n')}
  for (var k0 = 0u; k0 < K; k0 += BK) {
    for (var e = lid; e < BM * BK; e += ${u32(threads)}) {
      let kk = e / BM;
      let m = tm * BM + e % BM;
      let k = k0 + kk;
      var v = 0.0;
      if (m < M && k < K) { v = loadA(g, m, k); }
      tileA[e] = v;
    }
    for (var e = lid; e < BK * BN; e += ${u32(threads)}) {
      let kk = e / BN;
      let n = tn * BN + e % BN;
      let k = k0 + kk;
      var v = 0.0;
      if (n < N && k < K) { v = loadB(g, k, n); }
      tileB[e] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
${aRegs.join('\n')}
${bRegs.join('\n')}
${fmas.join('\n')}
    }
    workgroupBarrier();
  }
${stores.join('\n')}
}
`;
}
