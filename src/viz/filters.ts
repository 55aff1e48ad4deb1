import type { Graph } from '../ir/graph.js';
import { grey, grid, normalise, rgb, scaleFor, upscale, type Picture } from './raster.js';

/**
 * A conv layer's kernels as a grid of small pictures, each normalised on its own (its smallest
 * weight black, its largest white), since kernels differ in scale and a shared range would leave
 * most of them grey. Kernels over 3 input channels are drawn in colour (the input's RGB); over one
 * channel in grey; over any other number, as one grey tile per input channel, a row per kernel.
 */

/** The conv layers of a graph in execution order: layer name and weight tensor. */
export function convLayers(graph: Graph): { layer: string; weight: string; shape: readonly number[] }[] {
  return graph.ops
    .filter((o) => o.kind === 'conv2d')
    .map((o) => {
      const w = graph.tensors[o.inputs[1]];
      return { layer: o.layer, weight: w.name, shape: w.shape };
    });
}

export interface FilterOptions {
  /** Whole-number enlargement of every weight (default: tiles of at least 40 pixels). */
  readonly scale?: number;
}

/** The picture for weights of shape O×I×KH×KW (PyTorch's layout). */
export function renderFilters(weights: Float32Array, shape: readonly number[], opts: FilterOptions = {}): Picture {
  const [o, i, kh, kw] = shape;
  if (shape.length !== 4 || weights.length !== o * i * kh * kw) throw new Error(`internal: filters of ${weights.length} values for ${shape.join('×')}`);
  const scale = opts.scale ?? scaleFor(kh, kw, 40);
  const per = i * kh * kw;
  const tiles: Picture[] = [];
  for (let k = 0; k < o; k++) {
    const unit = normalise(weights.subarray(k * per, (k + 1) * per));
    if (i === 3) tiles.push(upscale(rgb(unit, kh, kw), scale));
    else for (let c = 0; c < i; c++) tiles.push(upscale(grey(unit.subarray(c * kh * kw, (c + 1) * kh * kw), kh, kw), scale));
  }
  // One kernel per tile: a near-square grid. Several tiles per kernel: one row per kernel.
  return grid(tiles, i === 3 || i === 1 ? {} : { columns: i });
}
