import type { ConvAttrs } from '../graph.js';
import { expectLength } from './util.js';

/** Sizes of one conv: x N×C×H×W, w O×(C/groups)×KH×KW, y N×O×OH×OW. */
export interface ConvDims {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly o: number;
  readonly kh: number;
  readonly kw: number;
  readonly oh: number;
  readonly ow: number;
}

/**
 * Visits every multiply-add of the conv as (x index, w index, y index). Forward, grad-input and
 * grad-weight all walk these same taps, so their index arithmetic cannot drift apart; the forward
 * is checked independently (hand-computed and PyTorch values), the grads by finite differences.
 * Zero padding drops the tap; replicate padding clamps the row/column to the nearest edge, which
 * is what F.pad(mode='replicate') followed by an unpadded conv computes.
 */
function forEachTap(d: ConvDims, a: ConvAttrs, visit: (xi: number, wi: number, yi: number) => void): void {
  const cg = d.c / a.groups;
  const og = d.o / a.groups;
  const [sy, sx] = a.stride;
  const [dilY, dilX] = a.dilation;
  const replicate = a.padMode === 'replicate';
  // Row (or column) read by output o and tap k, or −1 when it falls in zero padding.
  const src = (o: number, k: number, s: number, dil: number, pad: number, size: number): number => {
    const i = o * s - pad + k * dil;
    if (i >= 0 && i < size) return i;
    return replicate ? Math.min(Math.max(i, 0), size - 1) : -1;
  };
  for (let n = 0; n < d.n; n++) {
    for (let o = 0; o < d.o; o++) {
      const g = Math.floor(o / og);
      for (let oy = 0; oy < d.oh; oy++) {
        for (let ox = 0; ox < d.ow; ox++) {
          const yi = ((n * d.o + o) * d.oh + oy) * d.ow + ox;
          for (let ci = 0; ci < cg; ci++) {
            const xPlane = (n * d.c + g * cg + ci) * d.h;
            const wPlane = (o * cg + ci) * d.kh;
            for (let ky = 0; ky < d.kh; ky++) {
              const iy = src(oy, ky, sy, dilY, a.pad[0], d.h);
              if (iy < 0) continue;
              for (let kx = 0; kx < d.kw; kx++) {
                const ix = src(ox, kx, sx, dilX, a.pad[2], d.w);
                if (ix < 0) continue;
                visit((xPlane + iy) * d.w + ix, (wPlane + ky) * d.kw + kx, yi);
              }
            }
          }
        }
      }
    }
  }
}

function checkDims(d: ConvDims, a: ConvAttrs): void {
  if (d.c % a.groups !== 0 || d.o % a.groups !== 0) throw new Error(`reference: conv groups ${a.groups} do not divide ${d.c}→${d.o} channels`);
}

/** y = conv(x, w) + b, b optional. */
export function conv2d(x: Float64Array, w: Float64Array, b: Float64Array | undefined, d: ConvDims, a: ConvAttrs): Float64Array {
  checkDims(d, a);
  expectLength(x, d.n * d.c * d.h * d.w, 'conv2d x');
  expectLength(w, (d.o * d.c * d.kh * d.kw) / a.groups, 'conv2d w');
  const y = new Float64Array(d.n * d.o * d.oh * d.ow);
  if (b) {
    expectLength(b, d.o, 'conv2d b');
    const plane = d.oh * d.ow;
    for (let i = 0; i < y.length; i++) y[i] = b[Math.floor(i / plane) % d.o];
  }
  forEachTap(d, a, (xi, wi, yi) => (y[yi] += x[xi] * w[wi]));
  return y;
}

/** dx = the transpose of the conv applied to dy (replicate taps accumulate onto the edge pixel). */
export function conv2dGradInput(dy: Float64Array, w: Float64Array, d: ConvDims, a: ConvAttrs): Float64Array {
  checkDims(d, a);
  expectLength(dy, d.n * d.o * d.oh * d.ow, 'conv2d_grad_input dy');
  expectLength(w, (d.o * d.c * d.kh * d.kw) / a.groups, 'conv2d_grad_input w');
  const dx = new Float64Array(d.n * d.c * d.h * d.w);
  forEachTap(d, a, (xi, wi, yi) => (dx[xi] += dy[yi] * w[wi]));
  return dx;
}

/** dw = Σ over the batch and output positions of dy·x, in OIHW. */
export function conv2dGradWeight(dy: Float64Array, x: Float64Array, d: ConvDims, a: ConvAttrs): Float64Array {
  checkDims(d, a);
  expectLength(dy, d.n * d.o * d.oh * d.ow, 'conv2d_grad_weight dy');
  expectLength(x, d.n * d.c * d.h * d.w, 'conv2d_grad_weight x');
  const dw = new Float64Array((d.o * d.c * d.kh * d.kw) / a.groups);
  forEachTap(d, a, (xi, wi, yi) => (dw[wi] += dy[yi] * x[xi]));
  return dw;
}
