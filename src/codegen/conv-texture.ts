import type { DirectConvSpec } from './conv-direct.js';
import type { Kernel, ScratchSpace } from './kernel.js';
import type { TextureConvTile } from './variants.js';
import { texelAt } from './texture.js';
import { bound, ceilDiv, declareBindings, bindingsOf, i32, range, u32, type BufferDecl } from './wgsl.js';

/**
 * A convolution as an implicit GEMM whose operands come from storage textures, for software
 * adapters with subgroups (../shared/probes/lavapipe §4: 53–61 GFLOP/s on conv-shaped GEMMs where
 * storage-buffer layouts reach 10–25). Three kernels:
 *
 * 1. the input, NCHW in its buffer, copied to a texture (through a buffer: TextureCopy) as NHWC with channels in vec4s
 *    (texel ((n·H + h)·W + w)·C4 + c4 holds channels 4·c4 … 4·c4 + 3, zeros past C), applying
 *    any fused prologue as each value is read, once;
 * 2. the weights to a texture, texel ((m·KH + kh)·KW + kw)·C4 + c4 (the caller says where weight
 *    (m, c, kh, kw) is, so grad input's flipped, transposed kernel is the same copy);
 * 3. the GEMM: a subgroup owns tm output channels × lanes·4 output pixels; each lane loads four
 *    input texels per (tap, c4) step, and the tm weight texels of the step are loaded a few per
 *    lane and shared by subgroupBroadcast; 16·tm FMAs per lane per step. The reduction runs over
 *    taps, then channels four at a time.
 *
 * The copies cost about a pass over the input (~10–25% of the GEMM's time at ResNet's shapes),
 * paid for by the GEMM's speed; groups are not handled (grouped convs keep conv-direct.ts).
 */

/** The conv's sizes, as the direct conv takes them (conv-direct.ts; padding may be negative for grad input). */
type Geometry = Pick<DirectConvSpec, 'inC' | 'inH' | 'inW' | 'outC' | 'outH' | 'outW' | 'kh' | 'kw' | 'stride' | 'dilation' | 'padTop' | 'padLeft' | 'replicate'>;

export interface TextureConvSpec extends Geometry {
  /** Tensors: the input (buffer or fused prologue through `read`), the weights, the output. */
  readonly input: { readonly buffers: readonly BufferDecl[]; readonly fns: string; read(index: string): string };
  readonly weights: number;
  /** Flat index of weight (m, c, kh, kw) in the weights buffer, m an output channel of this conv. */
  readonly weightIndex: (m: string, c: string, kh: string, kw: string) => string;
  /** The output's buffers (epilogue inputs, stores) and functions, and its store statement. */
  readonly output: { readonly buffers: readonly BufferDecl[]; readonly fns: string; write(index: string, value: string): string };
  readonly bias?: number;
  readonly comment: string;
  readonly tile: TextureConvTile;
  /**
   * The scratch texture the input is copied to (its name). A texture of its own for each forward
   * conv's input (textureOf), which that conv's weight gradient reads again, and one for every
   * gradient (grad input's dy, which the same conv's weight gradient copies too): the plan drops
   * the copies that repeat one (engine/copies.ts).
   */
  readonly inputTexture: string;
}

/**
 * The copies: 256 invocations per workgroup, 4 texels each, looped (a workgroup costs lavapipe
 * ~2 µs whatever it does, so one texel per invocation spent most of a copy on workgroups).
 */
const COPY_WG = 256;
const COPY_ITEMS = 4;

/** The three kernels of a texture conv, named after `name` and its layer. */
export function textureConvKernels(name: string, layer: string, s: TextureConvSpec, scratch: ScratchSpace): Kernel[] {
  const C4 = ceilDiv(s.inC, 4);
  const xt = scratch.texture(s.inputTexture, s.inH * s.inW * C4, true);
  const wt = scratch.texture('textures.weights', s.outC * s.kh * s.kw * C4, false);
  const xs = scratch.staging(s.inH * s.inW * C4, true);
  const ws = scratch.staging(s.outC * s.kh * s.kw * C4, false);
  return [inputCopy(name, layer, s, xt, xs), weightCopy(name, layer, s, wt, ws), gemm(name, layer, s, xt, wt)];
}

/** The name of the texture that holds tensor `t` as NHWC vec4 texels until its last reader (a conv's input, read again by its weight gradient). */
export function textureOf(t: number): string {
  return `textures.tensor${t}`;
}

/** The texture every gradient (dy) is copied to: each lives only from its copy to its GEMMs. */
export const GRADIENT_TEXTURE = 'textures.gradient';

/** A tensor copied to a texture as NHWC vec4 texels: its sizes and how its values are read (with any prologue). */
export interface TextureCopySource {
  readonly C: number;
  readonly H: number;
  readonly W: number;
  readonly input: TextureConvSpec['input'];
  /** The kernel's first comment line. */
  readonly comment: string;
}

function inputCopy(name: string, layer: string, s: TextureConvSpec, xt: number, xs: number): Kernel {
  return nhwcTextureCopy(`${name}.input_texture:${layer}`, layer, { C: s.inC, H: s.inH, W: s.inW, input: s.input, comment: `${s.comment}: the input as NHWC vec4 texels` }, xt, xs);
}

/**
 * A batched NCHW tensor copied to texture `xt` as NHWC texels: texel ((n·H + h)·W + w)·C4 + c4
 * holds channels 4·c4 … 4·c4 + 3 of pixel (h, w) of sample n, zeros past C. The kernel writes
 * the texels to staging buffer `xs`, which the runtime copies into the texture (TextureCopy).
 */
export function nhwcTextureCopy(kernelName: string, layer: string, s: TextureCopySource, xt: number, xs: number): Kernel {
  const C4 = ceilDiv(s.C, 4);
  const buffers: BufferDecl[] = [...s.input.buffers, { name: 'xs', tensor: xs, access: 'read_write', type: 'vec4<f32>' }];
  const HW = s.H * s.W;
  // Invocations run along w, so neighbouring lanes read neighbouring input values.
  const source = `// ${s.comment}
${declareBindings(buffers)}${s.input.fns}
@compute @workgroup_size(${COPY_WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  for (var item = 0u; item < ${bound(u32(COPY_ITEMS))}; item++) {
    let i = (wid.x + wid.y * nwg.x) * ${u32(COPY_WG * COPY_ITEMS)} + item * ${u32(COPY_WG)} + lid;
    if (i >= params.batch * ${u32(HW * C4)}) { return; }
    let w = i % ${u32(s.W)};
    let r = i / ${u32(s.W)};
    let c4 = r % ${u32(C4)};
    let nh = r / ${u32(C4)};
    let n = nh / ${u32(s.H)};
    let base = n * ${u32(s.C * HW)} + (nh % ${u32(s.H)}) * ${u32(s.W)} + w;
    let c = c4 * 4u;
    let v = vec4<f32>(${range(4).map((e) => channelRead(s, e)).join(', ')});
    xs[(nh * ${u32(s.W)} + w) * ${u32(C4)} + c4] = v;
  }
}
`;
  const copy = { buffer: xs, texture: xt, texels: HW * C4, batched: true };
  return { name: kernelName, layer, source, bindings: bindingsOf(buffers), workgroups: { units: HW * C4, batched: true, perWorkgroup: COPY_WG * COPY_ITEMS, times: 1 }, copy };
}

/** Channel c + e of the input at base: zero past the last channel (only a ragged last vec4 reaches there). */
function channelRead(s: TextureCopySource, e: number): string {
  const HW = s.H * s.W;
  if (s.C % 4 === 0) return s.input.read(`base + (c + ${u32(e)}) * ${u32(HW)}`);
  return `select(0.0, ${s.input.read(`base + min(c + ${u32(e)}, ${u32(s.C - 1)}) * ${u32(HW)}`)}, c + ${u32(e)} < ${u32(s.C)})`;
}

function weightCopy(name: string, layer: string, s: TextureConvSpec, wt: number, ws: number): Kernel {
  const C4 = ceilDiv(s.inC, 4);
  const texels = s.outC * s.kh * s.kw * C4;
  const buffers: BufferDecl[] = [{ name: 'w', tensor: s.weights, access: 'read' }, { name: 'ws', tensor: ws, access: 'read_write', type: 'vec4<f32>' }];
  const source = `// ${s.comment}: the weights as [m][kh][kw][c4] vec4 texels
${declareBindings(buffers)}
@compute @workgroup_size(${COPY_WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let t = (wid.x + wid.y * nwg.x) * ${u32(COPY_WG)} + lid;
  if (t >= ${u32(texels)}) { return; }
  let c4 = t % ${u32(C4)};
  let r = t / ${u32(C4)};
  let kw = r % ${u32(s.kw)};
  let kh = (r / ${u32(s.kw)}) % ${u32(s.kh)};
  let m = r / ${u32(s.kh * s.kw)};
  var v = vec4<f32>(0.0);
  for (var e = 0u; e < ${bound('4u')}; e++) {
    let c = c4 * 4u + e;
    if (c < ${u32(s.inC)}) { v[e] = w[${s.weightIndex('m', 'c', 'kh', 'kw')}]; }
  }
  ws[t] = v;
}
`;
  const copy = { buffer: ws, texture: wt, texels, batched: false };
  return { name: `${name}.weight_texture:${layer}`, layer, source, bindings: bindingsOf(buffers), workgroups: { units: texels, batched: false, perWorkgroup: COPY_WG, times: 1 }, copy };
}

function gemm(name: string, layer: string, s: TextureConvSpec, xt: number, wt: number): Kernel {
  const { tm, tn: TN, lanes, wg } = s.tile;
  const C4 = ceilDiv(s.inC, 4);
  const [SH, SW] = s.stride;
  const [DH, DW] = s.dilation;
  const OHW = s.outH * s.outW;
  const buffers: BufferDecl[] = [
    { name: 'xt', tensor: xt, access: 'read_texture' },
    { name: 'wt', tensor: wt, access: 'read_texture' },
    ...(s.bias !== undefined ? [{ name: 'b', tensor: s.bias, access: 'read' } as const] : []),
    ...s.output.buffers,
  ];
  const I = range(tm);
  const J = range(TN);
  const R = range(Math.ceil(tm / lanes));
  const zeros = !s.replicate;
  const l: string[] = [];
  const p = (x: string) => l.push(x);
  p('enable subgroups;');
  p(`// ${s.comment}: implicit GEMM from textures, ${tm} channels × ${lanes}·${TN} pixels per subgroup`);
  p(`${declareBindings(buffers)}${s.output.fns}`);
  p(`@compute @workgroup_size(${wg})`);
  p('fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(subgroup_invocation_id) sl: u32) {');
  p('  let wg = wid.x + wid.y * nwg.x;');
  p(`  let np = params.batch * ${u32(OHW)};`);
  p(`  let tilesN = (np + ${u32(wg * TN - 1)}) / ${u32(wg * TN)};`);
  p(`  if (wg >= tilesN * ${u32(ceilDiv(s.outC, tm))}) { return; }`);
  // Pixel tiles vary fastest across workgroups, so neighbouring workgroups share weights.
  p(`  let m0 = (wg / tilesN) * ${u32(tm)};`);
  p(`  let first = (wg % tilesN) * ${u32(wg * TN)} + lid;`);
  for (const j of J) {
    // Lane l's pixels are l, l + wg, …: a subgroup's lanes read neighbouring pixels.
    p(`  let p${j} = first + ${u32(j * wg)};`);
    p(`  let pc${j} = min(p${j}, np - 1u);`);
    p(`  let hw${j} = pc${j} % ${u32(OHW)};`);
    p(`  let nH${j} = (pc${j} / ${u32(OHW)}) * ${u32(s.inH)};`);
    p(`  let ih${j} = i32((hw${j} / ${u32(s.outW)}) * ${u32(SH)}) - ${i32(s.padTop)};`);
    p(`  let iw${j} = i32((hw${j} % ${u32(s.outW)}) * ${u32(SW)}) - ${i32(s.padLeft)};`);
  }
  // Lane sl loads weight rows sl, sl + lanes, …; row i of the tile is broadcast from lane i % lanes.
  for (const r of R) p(`  let wr${r} = min(m0 + min(sl + ${u32(r * lanes)}, ${u32(tm - 1)}), ${u32(s.outC - 1)}) * ${u32(s.kh * s.kw * C4)};`);
  for (const i of I) for (const j of J) p(`  var c${i}_${j} = 0.0;`);
  p(`  for (var kh = 0u; kh < ${bound(u32(s.kh))}; kh++) {`);
  for (const j of J) {
    p(`    let y${j} = ih${j} + i32(kh * ${u32(DH)});`);
    if (zeros) p(`    let rok${j} = y${j} >= 0i && y${j} < ${i32(s.inH)};`);
    p(`    let row${j} = (nH${j} + u32(clamp(y${j}, 0i, ${i32(s.inH - 1)}))) * ${u32(s.inW)};`);
  }
  p(`    for (var kw = 0u; kw < ${bound(u32(s.kw))}; kw++) {`);
  for (const j of J) {
    p(`      let x${j} = iw${j} + i32(kw * ${u32(DW)});`);
    if (zeros) p(`      let ok${j} = rok${j} && x${j} >= 0i && x${j} < ${i32(s.inW)};`);
    p(`      let xb${j} = (row${j} + u32(clamp(x${j}, 0i, ${i32(s.inW - 1)}))) * ${u32(C4)};`);
  }
  p(`      let wb = (kh * ${u32(s.kw)} + kw) * ${u32(C4)};`);
  p(`      for (var c = 0u; c < ${bound(u32(C4))}; c++) {`);
  for (const j of J) {
    const load = `textureLoad(xt, ${texelAt(`xb${j} + c`)})`;
    p(`        let b${j} = ${zeros ? `select(vec4<f32>(0.0), ${load}, ok${j})` : load};`);
  }
  for (const r of R) p(`        let av${r} = textureLoad(wt, ${texelAt(`wr${r} + wb + c`)});`);
  for (const i of I) {
    p(`        let a${i} = subgroupBroadcast(av${Math.floor(i / lanes)}, ${u32(i % lanes)});`);
    for (const j of J) for (const e of ['x', 'y', 'z', 'w']) p(`        c${i}_${j} = fma(a${i}.${e}, b${j}.${e}, c${i}_${j});`);
  }
  p('      }');
  p('    }');
  p('  }');
  for (const i of I) {
    p(`  if (m0 + ${u32(i)} < ${u32(s.outC)}) {`);
    p(`    let o${i} = m0 + ${u32(i)};`);
    // One bias load per channel row, not per stored value.
    if (s.bias !== undefined) p(`    let bias${i} = b[o${i}];`);
    const b = s.bias !== undefined ? ` + bias${i}` : '';
    for (const j of J) {
      p(`    if (p${j} < np) { ${s.output.write(`(pc${j} / ${u32(OHW)}) * ${u32(s.outC * OHW)} + o${i} * ${u32(OHW)} + hw${j}`, `c${i}_${j}${b}`)} }`);
    }
    p('  }');
  }
  p('}');
  return {
    name: `${name}:${layer}`,
    layer,
    source: l.join('\n') + '\n',
    bindings: bindingsOf(buffers),
    workgroups: { units: OHW, batched: true, perWorkgroup: wg * TN, times: ceilDiv(s.outC, tm) },
  };
}
