import type { Graph, Op } from '../ir/graph.js';
import type { Kernel, ScratchSpace, TargetInfo } from './kernel.js';
import { convComment } from './conv-common.js';
import { partialLayout } from './conv-grad-weight-lanes.js';
import { GRADIENT_TEXTURE, nhwcTextureCopy, textureOf } from './conv-texture.js';
import { gradientRead, type WeightGradFusion } from './elementwise.js';
import { convDimsOf, type ConvDims } from './shapes.js';
import { emitSumPartials } from './sum-partials.js';
import { texelAt } from './texture.js';
import { textureWeightGradSplits, textureWeightGradTile, type TextureWeightGradTile } from './variants.js';
import { bindingsOf, bound, ceilDiv, declareBindings, fixedWorkgroups, i32, range, u32, type BufferDecl } from './wgsl.js';

/**
 * conv2d_grad_weight as a GEMM from storage textures, for software adapters with subgroups (the
 * forward's conv-texture.ts, turned around): dw[m, c, kh, kw] = Σ over (n, oh, ow) of
 * dy[n, m, oh, ow] · x[n, c, oh·SH − PT + kh·DH, ow·SW − PL + kw·DW]. Three or four kernels:
 *
 * 1. x copied to a texture as NHWC vec4 texels (four input channels of one pixel each);
 * 2. dy copied to another the same way (four output channels each), applying any fused prologue;
 * 3. the GEMM: each lane owns one column texel, (kh, kw, c4), so four columns of dw, and a
 *    subgroup owns tm output channels; at each position of the reduction a lane loads its one x
 *    texel, the tm / 4 dy texels are loaded one per lane and shared by subgroupBroadcast, and each
 *    lane does tm vec4 FMAs. A trip of the loop takes a few positions of a row (the tile's
 *    `positions`), so each accumulator is loaded and stored once for that many FMAs. With the
 *    bias gradient, the lanes that load dy texels also sum them.
 * 4. where the tiles are too few to keep the threads busy, the reduction's rows (n, oh) are cut
 *    into slices written as partial sums (partialLayout, as the lanes kernel's), then summed.
 *
 * Against the lanes kernel (conv-grad-weight-lanes.ts: four scalar x loads from a storage buffer
 * per step for tm·4 FMAs), one texel load per tm·4 FMAs. In a plan the copies are mostly free: x's
 * texture is its own (textureOf), which the forward conv filled, and dy's is the one grad input
 * filled just before; engine/copies.ts drops the copies that repeat those. Made alone they cost
 * as much as the GEMM saves (ResNet-20, batch 128: 75 ms of x copies a step against 76 saved).
 */
export function emitConv2dGradWeightTextured(op: Op, graph: Graph, target: TargetInfo, scratch: ScratchSpace, fusion: WeightGradFusion = {}, choice: { splits?: number } = {}): Kernel[] | undefined {
  if (op.kind !== 'conv2d_grad_weight') throw new Error(`internal: emitConv2dGradWeightTextured got ${op.kind}`);
  const d = convDimsOf(op, graph);
  const tile = textureWeightGradTile(target, d.C, d.O, d.groups);
  if (!tile) return undefined;
  const bias = fusion.biasGrad !== undefined;
  const splits = choice.splits ?? textureWeightGradSplits(target, tiles(d, tile));
  const comment = convComment('conv2d grad weight', d).replace(/^\/\/ /, '');
  // x's texture is the one its forward conv copied it to (the plan drops this copy, which repeats that one).
  const xt = scratch.texture(textureOf(op.inputs[1]), d.H * d.W * ceilDiv(d.C, 4), true);
  const gt = scratch.texture(GRADIENT_TEXTURE, d.OH * d.OW * ceilDiv(d.O, 4), true);
  const dy = gradientRead('dy', op.inputs[0], fusion.prologue);
  const staging = scratch.staging(Math.max(d.H * d.W * ceilDiv(d.C, 4), d.OH * d.OW * ceilDiv(d.O, 4)), true);
  const copies = [
    nhwcTextureCopy(`conv2d_grad_weight.input_texture:${op.layer}`, op.layer, { C: d.C, H: d.H, W: d.W, input: { buffers: [{ name: 'x', tensor: op.inputs[1], access: 'read' }], fns: '', read: (i) => `x[${i}]` }, comment: `${comment}: x as NHWC vec4 texels` }, xt, staging),
    nhwcTextureCopy(`conv2d_grad_weight.gradient_texture:${op.layer}`, op.layer, { C: d.O, H: d.OH, W: d.OW, input: dy, comment: `${comment}: dy as NHWC vec4 texels` }, gt, staging),
  ];
  const layout = partialLayout(d, bias);
  if (splits <= 1) {
    const out = { dw: op.outputs[0], ...(bias ? { db: fusion.biasGrad! } : {}) };
    return [...copies, gemm(`conv2d_grad_weight:${op.layer}`, op.layer, d, tile, 1, xt, gt, out, comment)];
  }
  const part = scratch.tensor(`${op.layer}.weight_grad_partials`, splits * layout.stride);
  const targets = [{ tensor: op.outputs[0], offset: 0, length: layout.dw }, ...(bias ? [{ tensor: fusion.biasGrad!, offset: layout.dw, length: layout.stride - layout.dw }] : [])];
  return [
    ...copies,
    gemm(`conv2d_grad_weight_partial:${op.layer}`, op.layer, d, tile, splits, xt, gt, { part, bias }, comment),
    emitSumPartials(`conv2d_grad_weight_sum:${op.layer}`, op.layer, part, splits, layout.stride, targets, target),
  ];
}

/** Column texels (kh, kw, c4) of dw. */
function columns(d: ConvDims): number {
  return d.KH * d.KW * ceilDiv(d.C, 4);
}

/** Workgroups of the GEMM before any split: one subgroup per lanes columns × tm output channels. */
function tiles(d: ConvDims, t: TextureWeightGradTile): number {
  return ceilDiv(columns(d), t.lanes) * ceilDiv(d.O, t.tm);
}

type Outputs = { readonly dw: number; readonly db?: number } | { readonly part: number; readonly bias: boolean };

function gemm(name: string, layer: string, d: ConvDims, t: TextureWeightGradTile, splits: number, xt: number, gt: number, out: Outputs, comment: string): Kernel {
  const { tm, lanes } = t;
  const C4 = ceilDiv(d.C, 4);
  const M4 = ceilDiv(d.O, 4);
  const NCOL = columns(d);
  const KHKW = d.KH * d.KW;
  const tilesN = ceilDiv(NCOL, lanes);
  const tilesM = ceilDiv(d.O, tm);
  const split = 'part' in out;
  const bias = split ? out.bias : out.db !== undefined;
  const buffers: BufferDecl[] = [
    { name: 'xt', tensor: xt, access: 'read_texture' },
    { name: 'gt', tensor: gt, access: 'read_texture' },
    ...(split ? [{ name: 'part', tensor: out.part, access: 'read_write' } as const] : [{ name: 'dw', tensor: out.dw, access: 'read_write' } as const, ...(out.db !== undefined ? [{ name: 'db', tensor: out.db, access: 'read_write' } as const] : [])]),
  ];
  // tm / 4 dy texels per step, loaded by lanes 0, 1, … in rounds of `lanes`.
  const G = range(tm / 4);
  const R = range(Math.ceil(tm / 4 / lanes));
  const I = range(tm);
  const zeros = !d.replicate;
  const l: string[] = [];
  const p = (x: string) => l.push(x);
  p('enable subgroups;');
  p(`// ${comment}: GEMM from textures, ${tm} output channels × ${lanes} column texels per subgroup${split ? `, ${splits} slices of the rows` : ''}`);
  p(declareBindings(buffers));
  if (split) {
    // Slice s's partial dw at s·PART, its db after them at s·PART + DW_LEN.
    const layout = partialLayout(d, bias);
    p(`const PART = ${u32(layout.stride)};`);
    p(`const DW_LEN = ${u32(layout.dw)};`);
  }
  p(`@compute @workgroup_size(${lanes})`);
  p('fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(subgroup_invocation_id) sl: u32) {');
  p('  let wg = wid.x + wid.y * nwg.x;');
  p(`  if (wg >= ${u32(tilesN * tilesM * splits)}) { return; }`);
  p(`  let col = (wg % ${u32(tilesN)}) * ${u32(lanes)} + sl;`);
  p(`  let rest = wg / ${u32(tilesN)};`);
  p(`  let m0 = (rest % ${u32(tilesM)}) * ${u32(tm)};`);
  if (split) p(`  let slice = rest / ${u32(tilesM)};`);
  // Lanes past the last column compute a clamped one and store nothing.
  p(`  let cc = min(col, ${u32(NCOL - 1)});`);
  p(`  let c4 = cc % ${u32(C4)};`);
  p(`  let tap = cc / ${u32(C4)};`);
  p(`  let dh = i32((tap / ${u32(d.KW)}) * ${u32(d.DH)}) - ${i32(d.PT)};`);
  p(`  let dw0 = i32((tap % ${u32(d.KW)}) * ${u32(d.DW)}) - ${i32(d.PL)};`);
  for (const r of R) p(`  let gm${r} = min(m0 / 4u + min(sl + ${u32(r * lanes)}, ${u32(tm / 4 - 1)}), ${u32(M4 - 1)});`);
  for (const i of I) p(`  var a${i} = vec4<f32>(0.0);`);
  if (bias) for (const r of R) p(`  var bs${r} = vec4<f32>(0.0);`);
  p(`  let rows = params.batch * ${u32(d.OH)};`);
  if (split) {
    p(`  let per = (rows + ${u32(splits - 1)}) / ${u32(splits)};`);
    p('  let r0 = min(rows, slice * per);');
    p('  let r1 = min(rows, r0 + per);');
  } else {
    p('  let r0 = 0u;');
    p('  let r1 = rows;');
  }
  p('  for (var r = r0; r < r1; r++) {');
  p(`    let n = r / ${u32(d.OH)};`);
  p(`    let oh = r % ${u32(d.OH)};`);
  p(`    let ih = i32(oh * ${u32(d.SH)}) + dh;`);
  if (zeros) p(`    let rok = ih >= 0i && ih < ${i32(d.H)};`);
  p(`    let xrow = (n * ${u32(d.H)} + u32(clamp(ih, 0i, ${i32(d.H - 1)}))) * ${u32(d.W)};`);
  p(`    let grow = r * ${u32(d.OW)};`);
  // The row's positions U at a time (each accumulator chaining U FMAs), then any left one at a time.
  const U = Math.min(t.positions, d.OW);
  const main = d.OW - (d.OW % U);
  const trip = (count: number) => {
    const Us = range(count);
    for (const u of Us) {
      p(`      let iw${u} = i32((ow + ${u32(u)}) * ${u32(d.SW)}) + dw0;`);
      const load = `textureLoad(xt, ${texelAt(`(xrow + u32(clamp(iw${u}, 0i, ${i32(d.W - 1)}))) * ${u32(C4)} + c4`)})`;
      p(zeros ? `      let xv${u} = select(vec4<f32>(0.0), ${load}, rok && iw${u} >= 0i && iw${u} < ${i32(d.W)});` : `      let xv${u} = ${load};`);
      for (const r of R) p(`      let gv${r}_${u} = textureLoad(gt, ${texelAt(`(grow + ow + ${u32(u)}) * ${u32(M4)} + gm${r}`)});`);
      if (bias) for (const r of R) p(`      bs${r} += gv${r}_${u};`);
    }
    for (const g of G) {
      for (const u of Us) p(`      let g${g}_${u} = subgroupBroadcast(gv${Math.floor(g / lanes)}_${u}, ${u32(g % lanes)});`);
      for (const e of range(4)) for (const u of Us) p(`      a${4 * g + e} = fma(vec4<f32>(g${g}_${u}.${'xyzw'[e]}), xv${u}, a${4 * g + e});`);
    }
  };
  p(`    for (var ow = 0u; ow < ${bound(u32(main))}; ow += ${u32(U)}) {`);
  trip(U);
  p('    }');
  if (main < d.OW) {
    p(`    for (var ow = ${u32(main)}; ow < ${bound(u32(d.OW))}; ow++) {`);
    trip(1);
    p('    }');
  }
  p('  }');
  // dw[m, c, kh, kw] (OIHW) for column texel (tap, c4): channels 4·c4 + e.
  const CKK = d.C * KHKW;
  const [dwAt, dbAt] = split ? ['part[slice * PART + ', 'part[slice * PART + DW_LEN + '] : ['dw[', 'db['];
  p(`  if (col < ${u32(NCOL)}) {`);
  for (const i of I) {
    p(`    if (m0 + ${u32(i)} < ${u32(d.O)}) {`);
    for (const e of range(4)) {
      const store = `${dwAt}(m0 + ${u32(i)}) * ${u32(CKK)} + (c4 * 4u + ${u32(e)}) * ${u32(KHKW)} + tap] = a${i}.${'xyzw'[e]};`;
      p(d.C % 4 === 0 ? `      ${store}` : `      if (c4 * 4u + ${u32(e)} < ${u32(d.C)}) { ${store} }`);
    }
    p('    }');
  }
  p('  }');
  if (bias) {
    // Lane sl summed dy texel m0 / 4 + sl + r·lanes (channels four times that, + e); lanes past
    // the tile's texels loaded a clamped one. The first column tile's subgroups write db.
    p(`  if (wg % ${u32(tilesN)} == 0u) {`);
    for (const r of R) {
      p(`    if (sl + ${u32(r * lanes)} < ${u32(tm / 4)}) {`);
      for (const e of range(4)) p(`      if (m0 + (sl + ${u32(r * lanes)}) * 4u + ${u32(e)} < ${u32(d.O)}) { ${dbAt}m0 + (sl + ${u32(r * lanes)}) * 4u + ${u32(e)}] = bs${r}.${'xyzw'[e]}; }`);
      p('    }');
    }
    p('  }');
  }
  p('}');
  return { name, layer, source: l.join('\n') + '\n', bindings: bindingsOf(buffers), workgroups: fixedWorkgroups(tilesN * tilesM * splits) };
}
