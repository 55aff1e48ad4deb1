import type { Binding, Kernel, Workgroups } from './kernel.js';
import { TEXTURE_FORMAT } from './texture.js';

/**
 * Small shared WGSL building blocks: literals, binding declarations, the uniform block, and the
 * flat workgroup index that lets a kernel's dispatch be folded into y. Every emitter builds its
 * source from these and plain string templates.
 */

/**
 * The uniform block at the last binding of every kernel; the executor writes it once per run.
 * `zero` is always 0: loop bounds written as `bound(N)` add it, so a driver cannot fully unroll
 * loops with small constant trip counts. On lavapipe such unrolling multiplied compile times by
 * up to 20 (every load expands into a per-lane loop) for no measurable speed-up.
 */
export const PARAMS_STRUCT = 'struct Params { batch: u32, step: u32, zero: u32, pad: u32 }';

/** A loop bound the driver cannot see through (see PARAMS_STRUCT). */
export function bound(expr: string): string {
  return `(${expr} + params.zero)`;
}
/** Bytes of the uniform buffer holding `Params`. */
export const PARAMS_BYTES = 16;

export function u32(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`internal: ${n} is not a u32`);
  return `${n}u`;
}

export function i32(n: number): string {
  if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) throw new Error(`internal: ${n} is not an i32`);
  return `${n}i`;
}

export function f32(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`internal: ${v} is not a finite f32`);
  const s = String(v);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** One named storage buffer (or storage texture) of the kernel, in binding order. */
export interface BufferDecl {
  readonly name: string;
  readonly tensor: number;
  readonly access: Binding['access'];
  /** Element type; vec4<f32> only when the emitter knows every length is a multiple of 4. */
  readonly type?: 'f32' | 'vec4<f32>';
}

/** Declarations of the storage buffers followed by the uniform `params` at the last binding. */
export function declareBindings(buffers: readonly BufferDecl[]): string {
  const lines = [PARAMS_STRUCT];
  buffers.forEach((b, i) => {
    if (b.access === 'read_texture' || b.access === 'write_texture') {
      lines.push(`@group(0) @binding(${i}) var ${b.name}: texture_storage_2d<${TEXTURE_FORMAT}, ${b.access === 'read_texture' ? 'read' : 'write'}>;`);
      return;
    }
    const access = b.access === 'read' ? 'read' : 'read_write';
    lines.push(`@group(0) @binding(${i}) var<storage, ${access}> ${b.name}: array<${b.type ?? 'f32'}>;`);
  });
  lines.push(`@group(0) @binding(${buffers.length}) var<uniform> params: Params;`);
  return lines.join('\n');
}

export function bindingsOf(buffers: readonly BufferDecl[]): Binding[] {
  return buffers.map((b) => ({ tensor: b.tensor, access: b.access }));
}

/** Entry point header with the builtins every kernel uses; `wg` is the flat workgroup index. */
export function entryPoint(workgroupSize: number | readonly [number, number]): string {
  const size = typeof workgroupSize === 'number' ? `${workgroupSize}` : `${workgroupSize[0]}, ${workgroupSize[1]}`;
  return [
    `@compute @workgroup_size(${size})`,
    'fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,',
    '        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {',
    '  let wg = wid.x + wid.y * nwg.x;',
  ].join('\n');
}

/**
 * Workgroups [x, y, 1] for a flat count: x stays within the per-dimension limit and the rest is
 * folded into y. Shaders recover the flat index as `wid.x + wid.y * nwg.x` and skip the excess.
 */
export function foldDispatch(total: number, maxPerDim: number): readonly [number, number, number] {
  if (total <= maxPerDim) return [total, 1, 1];
  const y = Math.ceil(total / maxPerDim);
  if (y > maxPerDim) throw new Error(`internal: ${total} workgroups exceed ${maxPerDim}² in one dispatch`);
  return [maxPerDim, y, 1];
}

/** Workgroups in all for a batch, before folding. */
export function workgroupTotal(w: Workgroups, batch: number): number {
  return ceilDiv(w.units * (w.batched ? batch : 1), w.perWorkgroup) * w.times;
}

/** The [x, y, z] to dispatch a kernel with for a batch, under a per-dimension limit. */
export function dispatchSize(kernel: Pick<Kernel, 'workgroups'>, batch: number, maxPerDim: number): readonly [number, number, number] {
  return foldDispatch(workgroupTotal(kernel.workgroups, batch), maxPerDim);
}

/** A fixed count of workgroups, whatever the batch. */
export function fixedWorkgroups(count: number): Workgroups {
  return { units: count, batched: false, perWorkgroup: 1, times: 1 };
}

export function ceilDiv(a: number, b: number): number {
  return Math.floor((a + b - 1) / b);
}

/** Indents every line of a block by `n` spaces. */
export function indent(block: string, n: number): string {
  const pad = ' '.repeat(n);
  return block
    .split('\n')
    .map((l) => (l.length ? pad + l : l))
    .join('\n');
}

/** `0..n-1` for generating unrolled statements. */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
