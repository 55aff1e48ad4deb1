import { rowSumsBlock, tileStart, type StridedGemmSpec } from './gemm-register.js';
import type { BroadcastTile } from './variants.js';
import { bound, range, u32 } from './wgsl.js';

/**
 * The strided GEMM of gemm-register.ts for software adapters with subgroups: a workgroup is one
 * subgroup of `lanes` invocations that owns a (lanes·tm) × lanes tile of C. Lane l owns rows
 * l, l + lanes, … (tm of them) and loads their A values itself; it also loads B for column l, and
 * the lanes share those with subgroupBroadcast, so each lane does tm + 1 loads and tm·lanes FMAs
 * per k. On lavapipe a load costs ~14 FMAs and a broadcast ~2: the register kernel's tm + tn
 * loads per tm·tn FMAs (8 × 4: 12 per 32) become 9 per 64 at 8 × 8.
 *
 * Correct only where every subgroup has at least `lanes` invocations (variants.ts asks the
 * adapter); a larger subgroup holds the workgroup in its first lanes.
 */
export function broadcastGemmBlock(tile: BroadcastTile): { bm: number; bn: number } {
  return { bm: tile.lanes * tile.tm, bn: tile.lanes };
}

export function broadcastGemmSource(s: Omit<StridedGemmSpec, 'tile'>, tile: BroadcastTile): string {
  const { tm, lanes } = tile;
  if (lanes % 4 !== 0) throw new Error(`internal: broadcast GEMM with ${lanes} lanes (a multiple of 4 is needed)`);
  const { bm, bn } = broadcastGemmBlock(tile);
  const I = range(tm);
  const J = range(lanes);
  const V = range(lanes / 4);
  const lines: string[] = [];
  const p = (x: string) => lines.push(x);
  p('enable subgroups;');
  p(s.header);
  p(`const BM = ${u32(bm)};`);
  p(`const BN = ${u32(bn)};`);
  p('');
  p(`@compute @workgroup_size(${lanes})`);
  p('fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(subgroup_invocation_id) sl: u32) {');
  lines.push(...tileStart(s));
  p('  let mb = (wg / tilesN) * BM + sl;');
  p('  let nb = (wg % tilesN) * BN;');
  // Rows and the loaded column are clamped to valid ones (never stored), so the loop has no checks.
  for (const i of I) {
    p(`  let m${i} = mb + ${u32(i * lanes)};`);
    p(`  let ar${i} = min(m${i}, M - 1u) * ${s.sAm};`);
    for (const v of V) p(`  var acc${i}_${v} = vec4<f32>(0.0);`);
  }
  p(`  let bl = min(nb + sl, N - 1u) * ${s.sBn};`);
  p('  var ka = 0u;');
  p('  var kb = 0u;');
  p(`  for (var k = 0u; k < ${bound('K')}; k++) {`);
  p(`    let own = ${s.readB('bl + kb')};`);
  for (const v of V) p(`    let bv${v} = vec4<f32>(${range(4).map((l) => `subgroupBroadcast(own, ${u32(v * 4 + l)})`).join(', ')});`);
  for (const i of I) {
    p(`    let av${i} = vec4<f32>(${s.readA(`ar${i} + ka`)});`);
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
      const bias = s.bias ? ` + ${s.bias.along === 'm' ? `bias${i}` : `${s.bias.buffer}[nb + ${u32(j)}]`}` : '';
      p(`    if (nb + ${u32(j)} < N) { ${s.writeC(`m${i} * ${s.sCm} + (nb + ${u32(j)}) * ${s.sCn}`, `acc${i}_${Math.floor(j / 4)}[${j % 4}]${bias}`)} }`);
    }
    p('  }');
  }
  // The first column tile's lanes sum their own rows of A (a bias gradient beside dw).
  if (s.rowSums) lines.push(...rowSumsBlock(s, tm, 'wg % tilesN == 0u'));
  p('}');
  return lines.join('\n') + '\n';
}
