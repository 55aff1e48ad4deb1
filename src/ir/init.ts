import type { Graph } from './graph.js';
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
    const init = t.init;
    if (init.kind === 'const') a.fill(init.value);
    else for (let i = 0; i < a.length; i++) a[i] = (2 * uniform() - 1) * init.bound;
    values.set(t.id, a);
  }
  return values;
}
