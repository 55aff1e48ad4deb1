import type { FusionPlan } from '../ir/fuse.js';
import type { Graph } from '../ir/graph.js';
import type { DevicePlan } from './plan.js';

/**
 * Text dumps of the back end's later stages (`cnnc compile --emit fusion|plan`), one line per
 * group or kernel, in the style of ir/print.ts: for reading and for diffs, not for parsing.
 */

const opText = (g: Graph, id: number) => `${g.ops[id].kind}#${id}(${g.ops[id].layer})`;

/** The fusion plan: each group's anchor with what it absorbs. */
export function printFusion(g: Graph, fusion: FusionPlan, title: string): string {
  const lines = [`fusion ${title}: ${fusion.groups.length} groups over ${g.ops.length} ops, ${fusion.aliases.size} aliases`];
  fusion.groups.forEach((grp, i) => {
    const parts = [`  group ${i}: ${opText(g, grp.anchor)}`];
    if (grp.prologue !== undefined) parts.push(`prologue ${opText(g, grp.prologue)}`);
    if (grp.epilogue.length) parts.push(`epilogue ${grp.epilogue.map((o) => opText(g, o)).join(' → ')}`);
    if (grp.siblings.length) parts.push(`siblings ${grp.siblings.map((o) => opText(g, o)).join(', ')}`);
    lines.push(parts.join('; '));
  });
  for (const [from, to] of fusion.aliases) lines.push(`  alias %${from} ${g.tensors[from]?.name ?? '?'} → %${to}`);
  return lines.join('\n');
}

/** The device plan: kernels in dispatch order with their bindings and workgroups, then the buffer layout. */
export function printDevicePlan(plan: DevicePlan, title: string): string {
  const name = (id: number) => plan.tensors[id]?.name ?? `%${id}`;
  const lines = [`device plan ${title}: ${plan.kernels.length} kernels (${plan.prepare} prepare kernels run only after the weights change)`];
  plan.kernels.forEach((k, i) => {
    const w = k.workgroups;
    const count = `ceil(${w.units}${w.batched ? '·N' : ''} / ${w.perWorkgroup})${w.times > 1 ? ` × ${w.times}` : ''}`;
    const binds = k.bindings.map((b) => `${b.access === 'read' ? '' : 'rw '}${name(b.tensor)}`).join(', ');
    lines.push(`  ${String(i).padStart(2)} ${k.name}  workgroups ${count}  [${binds}]`);
  });
  const layout = plan.layout;
  (layout.arenas ?? []).forEach((a, i) => lines.push(`  arena ${i}: ${a.bytes} bytes, ${a.members.length} tensors`));
  (layout.pools ?? []).forEach((p, i) => lines.push(`  pool ${i}: ${p.elements} floats per sample, shared by ${p.members.map(name).join(', ')}`));
  return lines.join('\n');
}
