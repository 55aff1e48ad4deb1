import type { PoolAttrs, PoolMode } from '../graph.js';
import { expectLength, type NCP } from './util.js';

/** Sizes of a pooling op: x N×C×H×W → y N×C×OH×OW. */
export interface PoolDims {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly oh: number;
  readonly ow: number;
}

/**
 * One output position's window within a channel plane: the offsets (y·W + x, row-major, so "the
 * first position that attains the max" is the first in this list) of the input pixels it reads,
 * and the divisor an average uses.
 */
interface Window {
  readonly taps: readonly number[];
  readonly divisor: number;
}

function rect(w: number, y0: number, y1: number, x0: number, x1: number, divisor: number): Window {
  const taps: number[] = [];
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) taps.push(y * w + x);
  return { taps, divisor };
}

/**
 * Windows of a strided pool, as PyTorch's avg_pool2d computes them: the window starts at
 * o·S − P_before and is first clipped to the padded input [−P_before, size + P_after) (a ceil-mode
 * window running past it loses those rows), which gives count_include_pad's divisor; it is then
 * clipped to the real input, which gives the taps and the divisor without padding.
 */
function poolWindows(d: PoolDims, a: PoolAttrs): Window[] {
  const out: Window[] = [];
  for (let oy = 0; oy < d.oh; oy++) {
    const ys = oy * a.stride[0] - a.pad[0];
    const ye = Math.min(ys + a.kernel[0], d.h + a.pad[1]);
    for (let ox = 0; ox < d.ow; ox++) {
      const xs = ox * a.stride[1] - a.pad[2];
      const xe = Math.min(xs + a.kernel[1], d.w + a.pad[3]);
      const [y0, y1, x0, x1] = [Math.max(ys, 0), Math.min(ye, d.h), Math.max(xs, 0), Math.min(xe, d.w)];
      const valid = Math.max(0, y1 - y0) * Math.max(0, x1 - x0);
      out.push(rect(d.w, y0, y1, x0, x1, a.countPad ? (ye - ys) * (xe - xs) : valid));
    }
  }
  return out;
}

/** PyTorch's adaptive windows: output i covers floor(i·H/OH) … ceil((i+1)·H/OH) − 1. */
function adaptiveWindows(d: PoolDims): Window[] {
  const start = (i: number, size: number, o: number): number => Math.floor((i * size) / o);
  const end = (i: number, size: number, o: number): number => Math.ceil(((i + 1) * size) / o);
  const out: Window[] = [];
  for (let oy = 0; oy < d.oh; oy++) {
    const [y0, y1] = [start(oy, d.h, d.oh), end(oy, d.h, d.oh)];
    for (let ox = 0; ox < d.ow; ox++) {
      const [x0, x1] = [start(ox, d.w, d.ow), end(ox, d.w, d.ow)];
      out.push(rect(d.w, y0, y1, x0, x1, (y1 - y0) * (x1 - x0)));
    }
  }
  return out;
}

/** The tap holding the max (or min): strict comparison, so ties go to the first in row-major order. */
function argBest(x: Float64Array, base: number, taps: readonly number[], mode: 'max' | 'min'): number {
  let best = -1;
  for (const t of taps) {
    const v = x[base + t];
    if (best < 0 || (mode === 'max' ? v > x[base + best] : v < x[base + best])) best = t;
  }
  return best;
}

/**
 * Reduces every window. A window without any real input pixel (never produced by the checker,
 * which keeps padding ≤ half the kernel) yields 0, as PyTorch's avg_pool2d does.
 */
function reduce(x: Float64Array, d: PoolDims, wins: readonly Window[], mode: PoolMode): Float64Array {
  expectLength(x, d.n * d.c * d.h * d.w, 'pool x');
  const y = new Float64Array(d.n * d.c * d.oh * d.ow);
  for (let nc = 0; nc < d.n * d.c; nc++) {
    const base = nc * d.h * d.w;
    wins.forEach((win, o) => {
      if (win.taps.length === 0) return;
      let v = 0;
      if (mode === 'max' || mode === 'min') v = x[base + argBest(x, base, win.taps, mode)];
      else if (mode === 'avg') {
        for (const t of win.taps) v += x[base + t];
        v /= win.divisor;
      } else {
        for (const t of win.taps) v += x[base + t] * x[base + t];
        v = Math.sqrt(v);
      }
      y[nc * wins.length + o] = v;
    });
  }
  return y;
}

/**
 * Sends dy back through every window. max/min: all of it to the first extreme tap; avg: dy/divisor
 * to each tap; l2: y = √Σx², so dx = dy·x/y, taken as 0 where y = 0 (an all-zero window, whose
 * true derivative does not exist).
 */
function distribute(dy: Float64Array, x: Float64Array, y: Float64Array | undefined, d: PoolDims, wins: readonly Window[], mode: PoolMode): Float64Array {
  expectLength(dy, d.n * d.c * d.oh * d.ow, 'pool dy');
  expectLength(x, d.n * d.c * d.h * d.w, 'pool x');
  const dx = new Float64Array(x.length);
  for (let nc = 0; nc < d.n * d.c; nc++) {
    const base = nc * d.h * d.w;
    wins.forEach((win, o) => {
      if (win.taps.length === 0) return;
      const yi = nc * wins.length + o;
      const g = dy[yi];
      if (mode === 'max' || mode === 'min') dx[base + argBest(x, base, win.taps, mode)] += g;
      else if (mode === 'avg') for (const t of win.taps) dx[base + t] += g / win.divisor;
      else {
        const yv = y ? y[yi] : 0;
        if (yv !== 0) for (const t of win.taps) dx[base + t] += (g * x[base + t]) / yv;
      }
    });
  }
  return dx;
}

/** The divisor of each output position of an average pool (row-major): what the ONNX export writes as a constant. */
export function poolDivisors(d: Pick<PoolDims, 'h' | 'w' | 'oh' | 'ow'>, a: PoolAttrs): number[] {
  return poolWindows({ ...d, n: 1, c: 1 }, a).map((win) => win.divisor);
}

export function pool2d(x: Float64Array, d: PoolDims, a: PoolAttrs): Float64Array {
  return reduce(x, d, poolWindows(d, a), a.mode);
}

/** dx from dy, x and the forward output y (y is needed by l2 only). */
export function pool2dGrad(dy: Float64Array, x: Float64Array, y: Float64Array, d: PoolDims, a: PoolAttrs): Float64Array {
  expectLength(y, d.n * d.c * d.oh * d.ow, 'pool2d_grad y');
  return distribute(dy, x, y, d, poolWindows(d, a), a.mode);
}

export function adaptivePool(x: Float64Array, d: PoolDims, mode: 'avg' | 'max'): Float64Array {
  return reduce(x, d, adaptiveWindows(d), mode);
}

export function adaptivePoolGrad(dy: Float64Array, x: Float64Array, d: PoolDims, mode: 'avg' | 'max'): Float64Array {
  return distribute(dy, x, undefined, d, adaptiveWindows(d), mode);
}

/**
 * Maxout over channels: output channel c (of d.c) at each position is the max of input channels
 * c·k … c·k + k − 1. `d` describes the output; the input has d.c·k channels.
 */
export function maxout(x: Float64Array, d: NCP, k: number): Float64Array {
  expectLength(x, d.n * d.c * k * d.p, 'maxout x');
  const y = new Float64Array(d.n * d.c * d.p);
  for (let n = 0; n < d.n; n++)
    for (let c = 0; c < d.c; c++)
      for (let p = 0; p < d.p; p++) y[(n * d.c + c) * d.p + p] = x[maxoutArg(x, d, k, n, c, p)];
  return y;
}

/** Index into x of the winner of group c at position p, ties to the lowest channel. */
function maxoutArg(x: Float64Array, d: NCP, k: number, n: number, c: number, p: number): number {
  let best = ((n * d.c + c) * k) * d.p + p;
  for (let j = 1; j < k; j++) {
    const i = (((n * d.c + c) * k) + j) * d.p + p;
    if (x[i] > x[best]) best = i;
  }
  return best;
}

export function maxoutGrad(dy: Float64Array, x: Float64Array, d: NCP, k: number): Float64Array {
  expectLength(dy, d.n * d.c * d.p, 'maxout_grad dy');
  expectLength(x, d.n * d.c * k * d.p, 'maxout_grad x');
  const dx = new Float64Array(x.length);
  for (let n = 0; n < d.n; n++)
    for (let c = 0; c < d.c; c++)
      for (let p = 0; p < d.p; p++) dx[maxoutArg(x, d, k, n, c, p)] += dy[(n * d.c + c) * d.p + p];
  return dx;
}
