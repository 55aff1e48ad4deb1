import type { Graph, Init } from './graph.js';
import { numel } from './graph.js';

/**
 * Initial values of every parameter and state tensor, from its `init` (PyTorch's defaults), drawn
 * from `uniform` (a seeded generator of numbers in [0, 1)) in the graph's tensor order.
 */
export function initialValues(g: Graph, uniform: () => number): Map<number, Float64Array> {
  const values = new Map<number, Float64Array>();
  for (const t of g.tensors) {
    if (!t.init) continue;
    const a = new Float64Array(numel(t.shape));
    drawInit(t.init, a, uniform);
    values.set(t.id, a);
  }
  return values;
}

/** One tensor's initial values, drawn into `out` (the compiled-module runtime draws with this too). */
export function drawInit(init: Init, out: Float64Array | Float32Array, uniform: () => number): void {
  if (init.kind === 'const') out.fill(init.value);
  else for (let i = 0; i < out.length; i++) out[i] = (2 * uniform() - 1) * init.bound;
}
