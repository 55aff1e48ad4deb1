import type { Kernel } from '../codegen/kernel.js';

/**
 * Texture copies that repeat one the plan has already made. A conv's grad input and its weight
 * gradient both copy dy (through the same prologue, if any) to the gradient texture, one group
 * after the other (codegen/conv-texture.ts, conv-grad-weight-texture.ts); the second copy is
 * dropped. A copy — a kernel that reads storage buffers and fills a texture (through its staging
 * buffer, Kernel.copy) — repeats an earlier one when its code (comment lines aside), bindings,
 * dispatch and texture are the same and no kernel since has written the texture or anything the
 * copy reads (the staging buffer, rewritten by every copy, holds nothing once its copy is made). Each kernel's plan order is kept.
 * A plan's graph tensors are written once, by their producer, before any reader; textures are
 * written again by other copies, which is what ends a copy's validity. The optimizer's in-place
 * update comes after every kernel this sees, and each run starts again from the first copy.
 */
export function dropRepeatedCopies(kernels: readonly Kernel[]): Kernel[] {
  const kept: Kernel[] = [];
  // The copies whose texture still holds what they wrote, by what they compute.
  const valid = new Map<string, Kernel>();
  for (const k of kernels) {
    const key = isCopy(k) ? copyKey(k) : undefined;
    if (key !== undefined && valid.has(key)) continue;
    const writes = new Set(k.bindings.filter((b) => b.access !== 'read' && b.access !== 'read_texture').map((b) => b.tensor));
    if (k.copy) writes.add(k.copy.texture);
    for (const [other, copy] of valid) if ([copy.copy!.texture, ...dependsOn(copy)].some((t) => writes.has(t))) valid.delete(other);
    if (key !== undefined) valid.set(key, k);
    kept.push(k);
  }
  return kept;
}

function isCopy(k: Kernel): boolean {
  return k.copy !== undefined && k.bindings.every((b) => b.access === 'read' || b.tensor === k.copy!.buffer);
}

/** What a copy's texture depends on: the tensors it reads. */
function dependsOn(k: Kernel): number[] {
  return k.bindings.filter((b) => b.access === 'read').map((b) => b.tensor);
}

function copyKey(k: Kernel): string {
  const code = k.source.split('\n').filter((line) => !line.trimStart().startsWith('//')).join('\n');
  return JSON.stringify([code, k.bindings, k.workgroups, k.copy]);
}
