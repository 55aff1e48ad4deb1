import type { Graph, Op } from './graph.js';

/** Attributes worth showing for an op, as `key=value` text. */
function attrText(op: Op): string {
  const { id: _id, inputs: _i, outputs: _o, layer: _l, span: _s, kind: _k, ...rest } = op;
  const flat = 'attrs' in rest ? { ...(rest.attrs as object), ...Object.fromEntries(Object.entries(rest).filter(([k]) => k !== 'attrs')) } : rest;
  return Object.entries(flat)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('x') : String(v)}`)
    .join(' ');
}

/** The graph as text, one tensor or op per line: `cnnc compile --emit ir`. */
export function printGraph(g: Graph, title: string): string {
  const lines = [`graph ${title}: ${g.tensors.length} tensors, ${g.ops.length} ops`];
  for (const t of g.tensors) {
    if (t.role === 'activation' || t.role === 'grad' || t.role === 'saved' || t.role === 'loss') continue;
    lines.push(`  %${t.id} ${t.role} ${t.name} [${t.batched ? 'N, ' : ''}${t.shape.join(', ')}]`);
  }
  for (const op of g.ops) {
    const outs = op.outputs.map((o) => `%${o}`).join(', ');
    const ins = op.inputs.map((i) => `%${i}`).join(', ');
    const shape = g.tensors[op.outputs[0]];
    const attrs = attrText(op);
    lines.push(`  ${outs} = ${op.kind}(${ins})${attrs ? ` {${attrs}}` : ''}  : [${shape.batched ? 'N, ' : ''}${shape.shape.join(', ')}]  # ${op.layer}`);
  }
  if (g.grads?.size) {
    lines.push('  gradients:');
    for (const [p, d] of g.grads) lines.push(`    d ${g.tensors[p].name} = %${d}`);
  }
  return lines.join('\n');
}
