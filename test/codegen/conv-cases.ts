import type { ConvAttrs, Pad4, Pair } from '../../src/ir/graph.js';

/** A conv test case: awkward sizes, strides, padding, dilation and groups. */
export interface ConvCase {
  readonly name: string;
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly o: number;
  readonly k: Pair;
  readonly stride?: Pair;
  readonly pad?: Pad4;
  readonly dilation?: Pair;
  readonly groups?: number;
  readonly replicate?: boolean;
  readonly bias?: boolean;
}

/**
 * Few cases, each combining several awkward features: every case costs a kernel compile per
 * variant, and lavapipe takes one to three seconds per compile on a cold shader cache.
 */
export const CONV_CASES: readonly ConvCase[] = [
  { name: '3×3 pad 1, 7×5 image, batch 3, 5 → 7 channels, bias', n: 3, c: 5, h: 7, w: 5, o: 7, k: [3, 3], pad: [1, 1, 1, 1], bias: true },
  // Padding beyond a 1×1 kernel's extent: the output is larger than the input (negative padding
  // for grad input's flipped conv).
  { name: '1×1 with padding, 6 → 9 channels', n: 2, c: 6, h: 5, w: 6, o: 9, k: [1, 1], pad: [1, 0, 2, 1] },
  { name: 'stride 2, asymmetric padding, 5×3 kernel, bias', n: 3, c: 3, h: 11, w: 9, o: 6, k: [5, 3], stride: [2, 2], pad: [2, 1, 0, 2], bias: true },
  { name: 'stride 3 × 2, dilation 2, groups 2', n: 2, c: 6, h: 13, w: 10, o: 10, k: [3, 3], stride: [3, 2], pad: [1, 2, 2, 1], dilation: [2, 2], groups: 2 },
  { name: 'depthwise × 2 multiplier, stride 2', n: 3, c: 3, h: 9, w: 8, o: 6, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1], groups: 3, bias: true },
  { name: 'replicate padding wider than the image, stride 2, dilation 2 × 1', n: 2, c: 3, h: 4, w: 3, o: 5, k: [3, 3], stride: [2, 2], pad: [3, 2, 2, 3], dilation: [2, 1], replicate: true, bias: true },
  // Kernel rows reaching far into the padding at stride 1, dilated: the direct kernels skip the
  // rows no lane of a subgroup needs (conv-direct.ts), in both directions.
  { name: 'stride 1, dilation 2 × 1, 5×3 kernel, padding 4 above and 3 below', n: 3, c: 4, h: 9, w: 6, o: 3, k: [5, 3], pad: [4, 3, 1, 2], dilation: [2, 1], bias: true },
  // More channels than the weight gradient's 32-row subgroup tiles (variants.ts): a full tile and a
  // ragged one (37); several of the direct conv's 8-row tiles and a ragged one, both directions.
  { name: '3×3 pad 1, 35 → 37 channels', n: 2, c: 35, h: 6, w: 7, o: 37, k: [3, 3], pad: [1, 1, 1, 1], bias: true },
];


export function outSize(size: number, k: number, s: number, p0: number, p1: number, d: number): number {
  return Math.floor((size + p0 + p1 - d * (k - 1) - 1) / s) + 1;
}

export function attrsOf(c: ConvCase): ConvAttrs {
  return {
    stride: c.stride ?? [1, 1],
    pad: c.pad ?? [0, 0, 0, 0],
    dilation: c.dilation ?? [1, 1],
    groups: c.groups ?? 1,
    padMode: c.replicate ? 'replicate' : 'zeros',
  };
}

export function convShape(c: ConvCase): { oh: number; ow: number } {
  const a = attrsOf(c);
  return {
    oh: outSize(c.h, c.k[0], a.stride[0], a.pad[0], a.pad[1], a.dilation[0]),
    ow: outSize(c.w, c.k[1], a.stride[1], a.pad[2], a.pad[3], a.dilation[1]),
  };
}
