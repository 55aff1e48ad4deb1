import type { ConvDims } from './shapes.js';
import { i32, u32 } from './wgsl.js';

/** The conv dims as WGSL constants (u32, with signed copies where index arithmetic can go negative). */
export function convConstants(d: ConvDims): string {
  const u: Record<string, number> = {
    C: d.C, H: d.H, W: d.W, HW: d.H * d.W, CHW: d.C * d.H * d.W,
    O: d.O, OH: d.OH, OW: d.OW, OHW: d.OH * d.OW, OHWO: d.O * d.OH * d.OW,
    KH: d.KH, KW: d.KW, KHKW: d.KH * d.KW, CG: d.Cg, OG: d.Og, GROUPS: d.groups,
    SH: d.SH, SW: d.SW, DH: d.DH, DW: d.DW,
  };
  const s: Record<string, number> = { H_I: d.H, W_I: d.W, OH_I: d.OH, OW_I: d.OW, PT: d.PT, PL: d.PL, SH_I: d.SH, SW_I: d.SW, DH_I: d.DH, DW_I: d.DW };
  return [
    ...Object.entries(u).map(([k, v]) => `const ${k} = ${u32(v)};`),
    ...Object.entries(s).map(([k, v]) => `const ${k} = ${i32(v)};`),
  ].join('\n');
}

/** Human-readable shape summary for kernel comments and dumps. */
export function convComment(kind: string, d: ConvDims): string {
  return `// ${kind}: x ${d.C}×${d.H}×${d.W}, w ${d.O}×${d.Cg}×${d.KH}×${d.KW}, y ${d.O}×${d.OH}×${d.OW}, stride ${d.SH},${d.SW}, pad ${d.PT},${d.PL}, dilation ${d.DH},${d.DW}, groups ${d.groups}${d.replicate ? ', replicate' : ''}`;
}
