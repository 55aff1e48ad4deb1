import type { BindingSpec, BufferSpec, KernelSpec, Location, ProgramSpec, TensorSpec } from './manifest.js';
import type { Kernel, TextureCopy } from '../codegen/kernel.js';
import type { DevicePlan } from '../engine/plan.js';
import { numel, type Tensor } from '../ir/graph.js';

/** A program's name in its variant: `subgroups.forward`, `portable.trainStep`. */
export type ProgramName = string;

/** Where a tensor is bound: a location plus the bytes bound (per sample in a batched buffer; absent: the whole buffer). */
interface Slot extends Location {
  readonly size?: number;
}

/**
 * The buffers of a module, shared between its programs where both must see the same contents:
 * the parameter arena (one layout in both plans) and every running statistic and optimizer state,
 * by name. Everything else (activations, gradients, saved values) belongs to one program.
 */
export class BufferRegistry {
  readonly buffers: BufferSpec[] = [];
  private readonly byKey = new Map<string, { index: number; signature: string }>();

  /** The buffer under `key`, created on first use; a second use must describe the same contents. */
  use(key: string, spec: BufferSpec, signature = `${spec.bytes}:${spec.batched}`): number {
    const known = this.byKey.get(key);
    if (known) {
      if (known.signature !== signature) throw new Error(`internal: buffer ${key} differs between programs (${known.signature} vs ${signature})`);
      return known.index;
    }
    const index = this.buffers.length;
    this.buffers.push(spec);
    this.byKey.set(key, { index, signature });
    return index;
  }
}

/** WGSL sources, each once (kernels with the same source share a pipeline), with a file name each. */
export class ShaderTable {
  readonly sources: string[] = [];
  readonly files: string[] = [];
  private readonly bySource = new Map<string, number>();

  constructor(private readonly folder: string) {}

  add(kernel: Kernel): number {
    const known = this.bySource.get(kernel.source);
    if (known !== undefined) return known;
    const index = this.sources.length;
    this.sources.push(kernel.source);
    this.files.push(`${this.folder}/${String(index).padStart(2, '0')}-${kernel.name.replace(/[^A-Za-z0-9_.-]+/g, '-')}.wgsl`);
    this.bySource.set(kernel.source, index);
    return index;
  }
}

/**
 * A device plan as data: every tensor it touches resolved to a buffer and offset (aliases to their
 * root, arena members to their slice), kernels with resolved bindings, and the program's inputs
 * and outputs. The arena alignment of the plan must suit every device (256 bytes does).
 */
export class ProgramBuilder {
  private readonly aliases: ReadonlyMap<number, number>;
  private readonly slots = new Map<number, Slot>();
  private readonly batched = new Set<number>();

  constructor(
    readonly name: ProgramName,
    readonly plan: DevicePlan,
    private readonly registry: BufferRegistry,
  ) {
    this.aliases = plan.layout.aliases ?? new Map();
  }

  /** Where a tensor lives, allocating its storage on first use. */
  locate(id: number): Slot {
    const known = this.slots.get(id);
    if (known) return known;
    const slot = this.resolve(id);
    this.slots.set(id, slot);
    return slot;
  }

  build(shaders: ShaderTable): ProgramSpec {
    const { plan } = this;
    const g = plan.graph;
    const kernels: KernelSpec[] = plan.kernels.map((k) => ({
      name: k.name,
      layer: k.layer,
      shader: shaders.add(k),
      bindings: k.bindings.map((b): BindingSpec => {
        const { buffer, offset, size } = this.locate(b.tensor);
        return size === undefined ? { buffer, offset, access: b.access } : { buffer, offset, size, access: b.access };
      }),
      workgroups: k.workgroups,
      ...(k.copy ? { copy: this.copy(k.copy) } : {}),
    }));
    const role = (r: Tensor['role']) => g.inputs.find((i) => g.tensors[i].role === r);
    const input = role('input');
    if (input === undefined) throw new Error('internal: the graph has no input');
    const target = role('target');
    const io: ProgramSpec['io'] = {
      input: this.location(input),
      output: this.location(g.outputs[0]),
      ...(target !== undefined ? { target: this.location(target) } : {}),
      ...(g.outputs[1] !== undefined ? { loss: this.location(g.outputs[1]) } : {}),
      ...(plan.hyper !== undefined ? { hyper: this.location(plan.hyper) } : {}),
    };
    const tensors: TensorSpec[] = plan.tensors.map((t) => {
      const at = this.slots.get(t.id);
      return { id: t.id, name: t.name, shape: t.shape, batched: t.batched, role: t.role, ...(at ? { at: this.location(t.id) } : {}) };
    });
    return { tensors, kernels, prepare: plan.prepare, batchedBuffers: [...this.batched].sort((a, b) => a - b), io };
  }

  /** A texture copy's staging buffer and texture as buffers of the module. */
  private copy(c: TextureCopy): NonNullable<KernelSpec['copy']> {
    const { buffer, offset } = this.locate(c.buffer);
    return { buffer, offset, texture: this.locate(c.texture).buffer, texels: c.texels, batched: c.batched };
  }

  /** A tensor's location without the bound size. */
  location(id: number): Location {
    const { buffer, offset, elements } = this.locate(id);
    return { buffer, offset, elements };
  }

  private resolve(id: number): Slot {
    const t = this.plan.tensors[id];
    if (!t || t.id !== id) throw new Error(`internal: tensor ${id} is not in the ${this.name} plan`);
    const elements = numel(t.shape);
    let root = id;
    for (let hops = 0; this.aliases.has(root) && hops < 64; hops++) root = this.aliases.get(root)!;
    const arenas = this.plan.layout.arenas ?? [];
    for (let a = 0; a < arenas.length; a++) {
      const member = arenas[a].members.find((m) => m.id === root);
      if (member) return { buffer: this.arena(a), offset: member.offset, elements, size: member.bytes };
    }
    const view = this.plan.layout.views?.get(root);
    if (view !== undefined) return { buffer: this.arena(view), offset: 0, elements };
    const r = this.plan.tensors[root];
    const pool = (this.plan.layout.pools ?? []).findIndex((p) => p.members.includes(root));
    if (pool >= 0) return { buffer: this.pool(pool), offset: 0, elements, size: numel(r.shape) * 4 };
    const spec: BufferSpec = { label: r.name, bytes: numel(r.shape) * 4, batched: r.batched, ...(r.texture ? { texture: true } : {}) };
    // Running statistics, constants and optimizer state keep their values across programs and steps.
    const buffer = r.role === 'state' ? this.registry.use(`state:${r.name}`, spec) : this.registry.use(`${this.name}:${root}`, spec);
    if (r.batched) this.batched.add(buffer);
    return { buffer, offset: 0, elements };
  }

  /** Batched tensors whose lifetimes do not overlap share one buffer, sized for the largest (engine/pools.ts). */
  private pool(p: number): number {
    const pool = (this.plan.layout.pools ?? [])[p];
    const largest = pool.members.map((m) => this.plan.tensors[m]).reduce((a, b) => (numel(b.shape) > numel(a.shape) ? b : a));
    const elements = Math.max(pool.elements, numel(largest.shape));
    // Named after its largest member, so a batch-too-large error names a tensor the user can find.
    const buffer = this.registry.use(`${this.name}:pool${p}`, { label: `${largest.name} (${this.name}, pooled)`, bytes: elements * 4, batched: true });
    this.batched.add(buffer);
    return buffer;
  }

  /** Arena 0 holds the parameters, shared by both programs; arena 1 the gradients (training only). */
  private arena(a: number): number {
    const arena = (this.plan.layout.arenas ?? [])[a];
    const layout = arena.members.map((m) => `${this.plan.tensors[m.id].name}@${m.offset}+${m.bytes}`).join(',');
    const spec: BufferSpec = { label: a === 0 ? 'parameters' : `${this.name}.gradients`, bytes: arena.bytes, batched: false };
    return a === 0 ? this.registry.use('arena:parameters', spec, layout) : this.registry.use(`${this.name}:arena${a}`, spec, layout);
  }
}
