import type { Graph, Op } from '../ir/graph.js';
import type { Kernel, ScratchSpace, TargetInfo } from './kernel.js';
import { textureConvKernels, textureOf } from './conv-texture.js';
import { convComment, convConstants } from './conv-common.js';
import { sharedGemmSource } from './gemm-shared.js';
import { convDimsOf, type ConvDims } from './shapes.js';
import { directConvTile, gemmVariant, subgroupLanes, textureConvTile, type GemmVariant, type RegisterTile, type SharedTile } from './variants.js';
import { directConvSource, directConvWorkgroups, type DirectConvSpec } from './conv-direct.js';
import { outputWrite, type Epilogue, type OutputWrite } from './elementwise.js';
import { bindingsOf, ceilDiv, declareBindings, u32, type BufferDecl } from './wgsl.js';

/**
 * conv2d forward. Real GPUs: an implicit GEMM per group with workgroup-memory tiles (M = output
 * channels of the group, N = batch·OH·OW positions, K = input channels of the group × KH × KW,
 * im2col done by loadB). Software adapters: the direct conv with register tiles and row reuse of
 * conv-direct.ts, with subgroup-shared weights where the device has subgroups.
 *
 * A fused epilogue (adds, activations) is applied to each value as it is stored, after the bias.
 */
export function emitConv2d(op: Op, graph: Graph, target: TargetInfo, variant?: GemmVariant, epilogue?: Epilogue): Kernel {
  if (op.kind !== 'conv2d') throw new Error(`internal: emitConv2d got ${op.kind}`);
  const d = convDimsOf(op, graph);
  const out = outputWrite('y', op.outputs[0], epilogue);
  const buffers: BufferDecl[] = [
    { name: 'x', tensor: op.inputs[0], access: 'read' },
    { name: 'w', tensor: op.inputs[1], access: 'read' },
    ...(op.bias ? [{ name: 'b', tensor: op.inputs[2], access: 'read' } as const] : []),
    ...out.buffers,
  ];
  const v = variant ?? (target.software ? directConvTile(target, d.Og) : gemmVariant(target, d.Og));
  const header = `${convComment('conv2d forward', d)}\n${declareBindings(buffers)}${out.fns}\n${convConstants(d)}`;
  if (v.kind === 'register') {
    const spec = directSpec(`${convComment('conv2d forward', d)}\n${declareBindings(buffers)}${out.fns}`, d, op.bias, v, subgroupLanes(target), out);
    return {
      name: `conv2d_fwd:${op.layer}`,
      layer: op.layer,
      source: directConvSource(spec),
      bindings: bindingsOf(buffers),
      workgroups: directConvWorkgroups(spec),
    };
  }
  return {
    name: `conv2d_fwd:${op.layer}`,
    layer: op.layer,
    source: sharedSource(header, d, op.bias, v, out),
    bindings: bindingsOf(buffers),
    workgroups: { units: d.OH * d.OW, batched: true, perWorkgroup: v.bn, times: ceilDiv(d.Og, v.bm) * d.groups },
  };
}

/**
 * conv2d forward as the texture GEMM of conv-texture.ts (input and weights copied to textures,
 * then the GEMM with the epilogue at its stores), or undefined where variants.ts keeps one kernel
 * for a plan of this mode.
 */
export function emitConv2dTextured(op: Op, graph: Graph, target: TargetInfo, mode: 'train' | 'infer', scratch: ScratchSpace, epilogue?: Epilogue): Kernel[] | undefined {
  if (op.kind !== 'conv2d') throw new Error(`internal: emitConv2dTextured got ${op.kind}`);
  const d = convDimsOf(op, graph);
  const tile = textureConvTile(target, mode, d.C, d.O, d.groups);
  if (!tile) return undefined;
  const kh = d.KH * d.KW;
  return textureConvKernels('conv2d_fwd', op.layer, {
    comment: convComment('conv2d forward', d).replace(/^\/\/ /, ''),
    input: { buffers: [{ name: 'x', tensor: op.inputs[0], access: 'read' }], fns: '', read: (i) => `x[${i}]` },
    inputTexture: textureOf(op.inputs[0]),
    weights: op.inputs[1],
    // w[m, c, kh, kw] (OIHW)
    weightIndex: (m, c, h, w) => `((${m} * ${u32(d.C)} + ${c}) * ${u32(kh)} + ${h} * ${u32(d.KW)} + ${w})`,
    output: outputWrite('y', op.outputs[0], epilogue),
    ...(op.bias ? { bias: op.inputs[2] } : {}),
    inC: d.C, inH: d.H, inW: d.W, outC: d.O, outH: d.OH, outW: d.OW, kh: d.KH, kw: d.KW,
    stride: [d.SH, d.SW], dilation: [d.DH, d.DW], padTop: d.PT, padLeft: d.PL, replicate: d.replicate,
    tile,
  }, scratch);
}

/** Software variant: a direct conv with row reuse (conv-direct.ts), OIHW weights as they are. */
function directSpec(header: string, d: ConvDims, bias: boolean, tile: RegisterTile, lanes: number | undefined, out: OutputWrite): DirectConvSpec {
  return {
    header, read: (i) => `x[${i}]`, write: out.write, weights: 'w', ...(bias ? { bias: 'b' } : {}),
    inC: d.C, inH: d.H, inW: d.W, outC: d.O, outH: d.OH, outW: d.OW, groups: d.groups, kh: d.KH, kw: d.KW,
    stride: [d.SH, d.SW], dilation: [d.DH, d.DW], padTop: d.PT, padLeft: d.PL, replicate: d.replicate,
    // w[g·OG + m, c, kh, kw]
    wBase: (m) => `(g * ${u32(d.Og)} + ${m}) * ${u32(d.Cg * d.KH * d.KW)}`,
    wStrideC: d.KH * d.KW,
    wTapRow: (kh) => `${kh} * ${u32(d.KW)}`,
    wTapCol: (kw) => kw,
    tile,
    ...(lanes ? { subgroupLanes: lanes } : {}),
  };
}

/** Workgroup-memory variant: the generic GEMM with im2col done by loadB. */
function sharedSource(header: string, d: ConvDims, bias: boolean, t: SharedTile, out: OutputWrite): string {
  const window = d.replicate
    ? [
        '  let ihc = u32(clamp(ih, 0i, H_I - 1i));',
        '  let iwc = u32(clamp(iw, 0i, W_I - 1i));',
        '  return x[nb * CHW + (g * CG + c) * HW + ihc * W + iwc];',
      ]
    : [
        '  if (ih < 0i || ih >= H_I || iw < 0i || iw >= W_I) { return 0.0; }',
        '  return x[nb * CHW + (g * CG + c) * HW + u32(ih) * W + u32(iw)];',
      ];
  const fns = `
fn loadA(g: u32, m: u32, k: u32) -> f32 {
  return w[(g * OG + m) * CG * KHKW + k];
}
fn loadB(g: u32, k: u32, n: u32) -> f32 {
  let c = k / KHKW;
  let r = k % KHKW;
  let nb = n / OHW;
  let p = n % OHW;
  let ih = i32((p / OW) * SH + (r / KW) * DH) - PT;
  let iw = i32((p % OW) * SW + (r % KW) * DW) - PL;
${window.join('\n')}
}
fn storeC(g: u32, m: u32, n: u32, v: f32) {
  let o = g * OG + m;
  ${out.write('((n / OHW) * O + o) * OHW + n % OHW', `v${bias ? ' + b[o]' : ''}`)}
}`;
  return sharedGemmSource({ header: header + fns, M: 'OG', N: '(params.batch * OHW)', K: '(CG * KHKW)', groups: d.groups, tile: t });
}
