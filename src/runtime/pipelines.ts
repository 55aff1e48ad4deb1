/// <reference types="@webgpu/types" />
import type { Binding, Kernel } from '../codegen/kernel.js';
import { TEXTURE_FORMAT } from '../codegen/texture.js';
import { ShaderStage } from './usage.js';
import { quietly } from './wait.js';
import { CnncError } from '../diagnostics/run-error.js';

/** A kernel whose WGSL did not compile, or whose pipeline was rejected. */
export class KernelCompileError extends CnncError {
  constructor(
    readonly kernel: string,
    readonly layer: string,
    /** `line:col: error: text` per message, with the source line. */
    readonly messages: readonly string[],
  ) {
    super('E_KERNEL_COMPILE', `WGSL of kernel ${kernel} (layer ${layer || '?'}) did not compile on this device`, {
      notes: messages,
      help: 'this is a bug in cnnc or in the WebGPU implementation: please report it with these messages',
    });
    this.name = 'KernelCompileError';
  }
}

/** What a pipeline is built from: a kernel's source and binding kinds (its name and layer for errors). */
export type PipelineSource = Pick<Kernel, 'name' | 'layer' | 'source'> & { readonly bindings: readonly Pick<Kernel['bindings'][number], 'access'>[] };

export interface CompiledKernel {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
}

/** The bind group layout entry's resource for a binding's access. */
function layoutOf(access: Binding['access']): Pick<GPUBindGroupLayoutEntry, 'buffer' | 'storageTexture'> {
  switch (access) {
    case 'read':
      return { buffer: { type: 'read-only-storage' } };
    case 'read_write':
      return { buffer: { type: 'storage' } };
    case 'read_texture':
      return { storageTexture: { access: 'read-only', format: TEXTURE_FORMAT } };
    case 'write_texture':
      return { storageTexture: { access: 'write-only', format: TEXTURE_FORMAT } };
  }
}

function formatMessages(source: string, messages: readonly GPUCompilationMessage[]): string[] {
  const lines = source.split('\n');
  return messages.map((m) => {
    const text = `${m.lineNum}:${m.linePos}: ${m.type}: ${m.message}`;
    const line = m.lineNum > 0 ? lines[m.lineNum - 1] : undefined;
    return line === undefined ? text : `${text}\n    | ${line.trim()}`;
  });
}

/**
 * Compute pipelines cached by WGSL source (the source is the key, so no hand-kept key can go
 * stale). Layouts are explicit, built from the kernel's bindings: storage buffers in order, then
 * the uniform block, so a kernel may leave a binding unused.
 */
export class PipelineCache {
  private readonly cache = new Map<string, Promise<CompiledKernel>>();

  constructor(private readonly device: GPUDevice) {}

  get size(): number {
    return this.cache.size;
  }

  get(kernel: PipelineSource): Promise<CompiledKernel> {
    let p = this.cache.get(kernel.source);
    if (!p) {
      p = this.compile(kernel);
      this.cache.set(kernel.source, p);
      // A failed compile is not cached: the next call reports it again.
      p.catch(() => this.cache.delete(kernel.source));
    }
    return p;
  }

  private async compile(kernel: PipelineSource): Promise<CompiledKernel> {
    const device = this.device;
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ code: kernel.source, label: kernel.name });
    const info = await quietly(module.getCompilationInfo());
    const errors = info.messages.filter((m) => m.type === 'error');
    if (errors.length) {
      await quietly(device.popErrorScope());
      throw new KernelCompileError(kernel.name, kernel.layer, formatMessages(kernel.source, errors));
    }
    const entries: GPUBindGroupLayoutEntry[] = kernel.bindings.map((b, i) => ({ binding: i, visibility: ShaderStage.COMPUTE, ...layoutOf(b.access) }));
    entries.push({ binding: kernel.bindings.length, visibility: ShaderStage.COMPUTE, buffer: { type: 'uniform' } });
    const layout = device.createBindGroupLayout({ entries, label: kernel.name });
    let pipeline: GPUComputePipeline;
    try {
      pipeline = await quietly(
        device.createComputePipelineAsync({
          label: kernel.name,
          layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
          compute: { module, entryPoint: 'main' },
        }),
      );
    } catch (e) {
      await quietly(device.popErrorScope());
      throw new KernelCompileError(kernel.name, kernel.layer, [(e as Error).message]);
    }
    const err = await quietly(device.popErrorScope());
    if (err) throw new KernelCompileError(kernel.name, kernel.layer, [err.message]);
    return { pipeline, layout };
  }
}
