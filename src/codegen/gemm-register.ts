import type { RegisterTile } from './variants.js';
import { bound, range, u32 } from './wgsl.js';

/**
 * A strided GEMM with register tiles and no workgroup memory (software adapters):
 * C[m·sCm + n·sCn] = Σ_k A[m·sAm + k·sAk]·B[k·sBk + n·sBn] (+ bias[m] or bias[n]).
 * The workgroup is 8 invocations along n × wg/8 along m; each invocation owns tm rows strided by
 * wg/8 and tn columns strided by 8 (vec4 along n). Out-of-range rows and columns load a clamped,
 * valid row or column and are never stored, so the inner loop has no bounds checks.
 */
export interface StridedGemmSpec {
  /** Bindings, constants and any functions the hooks below call. */
  readonly header: string;
  /** Elements of A and B at a flat index (a buffer load, or a fused prologue's function). */
  readonly readA: (index: string) => string;
  readonly readB: (index: string) => string;
  /** A statement storing C at a flat index (and applying any fused epilogue). */
  readonly writeC: (index: string, value: string) => string;
  /**
   * A statement storing row m's sum of A over k (a bias gradient beside a weight gradient). One
   * lane per row of the first column tile sums its rows in a loop of its own after the product:
   * adding them up inside the main loop, in every invocation, made it ~20% slower on lavapipe.
   */
  readonly rowSums?: (m: string, value: string) => string;
  /** u32 WGSL expressions; may read `params.batch`. */
  readonly M: string;
  readonly N: string;
  readonly K: string;
  readonly sAm: string;
  readonly sAk: string;
  readonly sBk: string;
  readonly sBn: string;
  readonly sCm: string;
  readonly sCn: string;
  readonly bias?: { readonly buffer: string; readonly along: 'm' | 'n' };
  readonly tile: RegisterTile;
}

/** Lanes of the workgroup along n; the rest go along m. */
export const GEMM_LANES_N = 8;

export function stridedGemmBlock(tile: RegisterTile): { bm: number; bn: number } {
  return { bm: (tile.wg / GEMM_LANES_N) * tile.tm, bn: GEMM_LANES_N * tile.tn };
}

export function stridedGemmSource(s: StridedGemmSpec): string {
  const { tm, tn, wg } = s.tile;
  if (tn % 4 !== 0 || wg % GEMM_LANES_N !== 0) throw new Error(`internal: bad register tile ${tm}×${tn}/${wg}`);
  const ly = wg / GEMM_LANES_N;
  const { bm, bn } = stridedGemmBlock(s.tile);
  const I = range(tm);
  const J = range(tn);
  const V = range(tn / 4);
  const lines: string[] = [];
  const p = (x: string) => lines.push(x);
  p(s.header);
  p(`const BM = ${u32(bm)};`);
  p(`const BN = ${u32(bn)};`);
  p('');
  p(`@compute @workgroup_size(${wg})`);
  p('fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {');
  lines.push(...tileStart(s));
  p(`  let mb = (wg / tilesN) * BM + lid / ${u32(GEMM_LANES_N)};`);
  p(`  let nb = (wg % tilesN) * BN + lid % ${u32(GEMM_LANES_N)};`);
  for (const i of I) {
    p(`  let m${i} = mb + ${u32(i * ly)};`);
    p(`  let ar${i} = min(m${i}, M - 1u) * ${s.sAm};`);
    for (const v of V) p(`  var acc${i}_${v} = vec4<f32>(0.0);`);
  }
  for (const j of J) {
    p(`  let n${j} = nb + ${u32(j * GEMM_LANES_N)};`);
    p(`  let br${j} = min(n${j}, N - 1u) * ${s.sBn};`);
  }
  p('  var ka = 0u;');
  p('  var kb = 0u;');
  p(`  for (var k = 0u; k < ${bound('K')}; k++) {`);
  for (const v of V) p(`    let bv${v} = vec4<f32>(${range(4).map((l) => s.readB(`br${v * 4 + l} + kb`)).join(', ')});`);
  for (const i of I) {
    p(`    let as${i} = ${s.readA(`ar${i} + ka`)};`);
    p(`    let av${i} = vec4<f32>(as${i});`);
    for (const v of V) p(`    acc${i}_${v} = fma(av${i}, bv${v}, acc${i}_${v});`);
  }
  p(`    ka += ${s.sAk};`);
  p(`    kb += ${s.sBk};`);
  p('  }');
  for (const i of I) {
    p(`  if (m${i} < M) {`);
    // A bias along M: one load per row, not per stored value.
    if (s.bias?.along === 'm') p(`    let bias${i} = ${s.bias.buffer}[m${i}];`);
    for (const j of J) {
      const bias = s.bias ? ` + ${s.bias.along === 'm' ? `bias${i}` : `${s.bias.buffer}[n${j}]`}` : '';
      p(`    if (n${j} < N) { ${s.writeC(`m${i} * ${s.sCm} + n${j} * ${s.sCn}`, `acc${i}_${Math.floor(j / 4)}[${j % 4}]${bias}`)} }`);
    }
    p('  }');
  }
  if (s.rowSums) lines.push(...rowSumsBlock(s, tm, `wg % tilesN == 0u && lid % ${u32(GEMM_LANES_N)} == 0u`));
  p('}');
  return lines.join('\n') + '\n';
}

/**
 * The start of a tiled GEMM's main: the flat workgroup index, M, N, K, the column tile count, and
 * the early return of the workgroups past the last tile (BM and BN are constants of the kernel).
 */
export function tileStart(s: Pick<StridedGemmSpec, 'M' | 'N' | 'K'>): string[] {
  return [
    '  let wg = wid.x + wid.y * nwg.x;',
    `  let M = ${s.M};`,
    `  let N = ${s.N};`,
    `  let K = ${s.K};`,
    '  let tilesN = (N + BN - 1u) / BN;',
    '  if (wg >= tilesN * ((M + BM - 1u) / BM)) { return; }',
  ];
}

/**
 * Row m's sum of A over k for the rows m0 … m{tm−1} (row offsets ar0 …), in a loop of its own after
 * the product, run by the invocations `who` selects.
 */
export function rowSumsBlock(s: Pick<StridedGemmSpec, 'readA' | 'rowSums' | 'sAk'>, tm: number, who: string): string[] {
  const I = range(tm);
  return [
    `  if (${who}) {`,
    ...I.map((i) => `    var rs${i} = 0.0;`),
    '    var ks = 0u;',
    `    for (var k = 0u; k < ${bound('K')}; k++) {`,
    ...I.map((i) => `      rs${i} += ${s.readA(`ar${i} + ks`)};`),
    `      ks += ${s.sAk};`,
    '    }',
    ...I.map((i) => `    if (m${i} < M) { ${s.rowSums!(`m${i}`, `rs${i}`)} }`),
    '  }',
  ];
}
