import type { Graph, Op } from './graph.js';

/**
 * The graph cut down to the ops `target` depends on (op ids renumbered, as passes expect ids to be
 * positions), with `target` as its output: a gradient of an early layer need not run the rest.
 */
export function onlyWhatComputes(g: Graph, target: number): Graph {
  const needed = new Set<number>([target]);
  const keep: Op[] = [];
  for (let i = g.ops.length - 1; i >= 0; i--) {
    const op = g.ops[i];
    if (!op.outputs.some((o) => needed.has(o))) continue;
    keep.push(op);
    for (const x of op.inputs) needed.add(x);
  }
  const ops = keep.reverse().map((o, id) => ({ ...o, id }));
  return { ...g, ops, outputs: [target], params: g.params.filter((p) => needed.has(p)) };
}
