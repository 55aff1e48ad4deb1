import type { Kernel, TargetInfo } from './kernel.js';
import { elementwiseTile } from './variants.js';
import { bindingsOf, bound, declareBindings, u32, type BufferDecl } from './wgsl.js';

/** One tensor the sum writes: `length` floats found at `offset` within each slice of the partials. */
export interface PartialTarget {
  readonly tensor: number;
  readonly offset: number;
  readonly length: number;
}

/**
 * The second kernel of a reduction split over workgroups: out[i] = Σ_s part[s·stride + offset + i]
 * for each target tensor, slices added in order (the same order on every run, so training stays
 * reproducible). One invocation per output element; the slice count is a constant, so the sum is
 * a short loop over neighbouring-in-invocation addresses.
 */
export function emitSumPartials(name: string, layer: string, part: number, splits: number, stride: number, targets: readonly PartialTarget[], target: TargetInfo): Kernel {
  const buffers: BufferDecl[] = [{ name: 'part', tensor: part, access: 'read' }, ...targets.map((t, i) => ({ name: `out${i}`, tensor: t.tensor, access: 'read_write' as const }))];
  const { wg } = elementwiseTile(target);
  const total = targets.reduce((n, t) => n + t.length, 0);
  const lines = [
    `// the sum of ${splits} slices of partial sums, into ${targets.length === 1 ? 'one tensor' : `${targets.length} tensors`}`,
    declareBindings(buffers),
    `const SPLITS = ${u32(splits)};`,
    `const STRIDE = ${u32(stride)};`,
    '',
    `@compute @workgroup_size(${wg})`,
    'fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {',
    `  let i = (wid.x + wid.y * nwg.x) * ${u32(wg)} + lid;`,
  ];
  let start = 0;
  targets.forEach((t, k) => {
    lines.push(start ? `  if (i >= ${u32(start)} && i < ${u32(start + t.length)}) {` : `  if (i < ${u32(t.length)}) {`);
    lines.push(`    let e = i - ${u32(start)};`);
    lines.push('    var s = 0.0;');
    lines.push(`    for (var sl = 0u; sl < ${bound('SPLITS')}; sl++) { s += part[sl * STRIDE + ${u32(t.offset)} + e]; }`);
    lines.push(`    out${k}[e] = s;`);
    lines.push('  }');
    start += t.length;
  });
  lines.push('}');
  return {
    name,
    layer,
    source: lines.join('\n') + '\n',
    bindings: bindingsOf(buffers),
    workgroups: { units: total, batched: false, perWorkgroup: wg, times: 1 },
  };
}
