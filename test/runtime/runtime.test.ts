import { renderPretty } from '../../src/diagnostics/render.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitKernel } from '../../src/codegen/emit.js';
import type { Kernel } from '../../src/codegen/kernel.js';
import { fixedWorkgroups } from '../../src/codegen/wgsl.js';
import type { Graph, Op, Tensor } from '../../src/ir/graph.js';
import { runGraph } from '../../src/ir/reference/run.js';
import { relError, seededRandom } from '../../src/ir/reference/testing.js';
import { BufferTooLargeError } from '../../src/runtime/buffers.js';
import { NoAdapterError, isSoftwareAdapter } from '../../src/runtime/device.js';
import { Executor } from '../../src/runtime/executor.js';
import { KernelCompileError } from '../../src/runtime/pipelines.js';
import { freshSeed, openGpu, randomF32, type TestGpu } from '../codegen/harness.js';

let gpu: TestGpu;
beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(async () => {
  await gpu?.ctx.destroy();
});

describe('device', () => {
  it('finds lavapipe as a software adapter with the limits it asked for', () => {
    expect(gpu.ctx.target.software).toBe(true);
    expect(gpu.ctx.target.maxStorageBufferBindingSize).toBeGreaterThanOrEqual(128 << 20);
    expect(gpu.ctx.description).toMatch(/software/);
  });
  it('recognises software adapters by their info', () => {
    expect(isSoftwareAdapter({ vendor: 'mesa', architecture: 'software', device: 'llvmpipe', description: '' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'google', architecture: '', device: 'SwiftShader Device', description: '' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H100' })).toBe(false);
    expect(isSoftwareAdapter({ vendor: 'nvidia' }, true)).toBe(true);
  });
  it('tells the user how to get an adapter', () => {
    const e = new NoAdapterError('requestAdapter() returned null');
    expect(e.message).toBe('no WebGPU adapter found (requestAdapter() returned null)');
    expect(e.help).toMatch(/npm run setup/);
    expect(e.help).toMatch(/Vulkan driver/);
    expect(e.help).toMatch(/XDG_RUNTIME_DIR/);
    expect(e.code).toBe('E_NO_GPU_ADAPTER');
    // Rendered like a compile diagnostic: code, message, note, help.
    const text = renderPretty(e.diagnostic, new Map());
    expect(text.split('\n')[0]).toBe('error[E_NO_GPU_ADAPTER]: no WebGPU adapter found (requestAdapter() returned null)');
    expect(text).toMatch(/^note: cnnc needs a GPU driver/m);
    expect(text).toMatch(/^help: on Debian 12 run `npm run setup`/m);
  });
});

describe('pipelines', () => {
  it('reports WGSL errors with the kernel, its layer and the line', async () => {
    const bad: Kernel = {
      name: 'broken_kernel:block3.conv2',
      layer: 'block3.conv2',
      source: 'struct Params { batch: u32 }\n@group(0) @binding(0) var<uniform> params: Params;\n@compute @workgroup_size(1)\nfn main() {\n  let x: f32 = undefined_thing + 1.0;\n}\n',
      bindings: [],
      workgroups: fixedWorkgroups(1),
    };
    const err = await gpu.pipelines.get(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KernelCompileError);
    const e = err as KernelCompileError;
    expect(e.message).toMatch(/broken_kernel:block3\.conv2/);
    expect(e.message).toMatch(/layer block3\.conv2/);
    expect(e.notes.map((n) => n.message).join('\n')).toMatch(/^5:\d+: error: .*undefined_thing/m);
  });
  it('caches pipelines by source', async () => {
    const { graph, kernels } = chain();
    const a = await gpu.pipelines.get(kernels[1]);
    const again = emitKernel(graph.ops[1], graph, gpu.ctx.target);
    expect(await gpu.pipelines.get(again)).toBe(a);
  });
});

/** conv → relu → add(relu, relu) → dense: a small chain run in one pass. */
function chain(): { graph: Graph; kernels: Kernel[] } {
  const t = (id: number, name: string, shape: number[], batched: boolean): Tensor => ({ id, name, shape, batched, role: batched ? 'activation' : 'param' });
  const tensors = [
    t(0, 'x', [3, 9, 7], true), t(1, 'w', [5, 3, 3, 3], false), t(2, 'b', [5], false), t(3, 'c', [5, 9, 7], true),
    t(4, 'r', [5, 9, 7], true), t(5, 's', [5, 9, 7], true), t(6, 'dw', [4, 315], false), t(7, 'y', [4], true),
  ];
  const base = (id: number, inputs: number[], outputs: number[]) => ({ id, inputs, outputs, layer: `op${id}` });
  const ops: Op[] = [
    { ...base(0, [0, 1, 2], [3]), kind: 'conv2d', attrs: { stride: [1, 1], pad: [1, 1, 1, 1], dilation: [1, 1], groups: 1, padMode: 'zeros' }, bias: true },
    { ...base(1, [3], [4]), kind: 'unary', fn: 'relu', alpha: 0 },
    { ...base(2, [4, 4, 3], [5]), kind: 'add' },
    { ...base(3, [5, 6], [7]), kind: 'dense', bias: false },
  ];
  const graph: Graph = { tensors, ops, inputs: [0], outputs: [7], params: [1, 2, 6] };
  return { graph, kernels: ops.map((op) => emitKernel(op, graph, gpu.ctx.target)) };
}

describe('executor', { timeout: 30_000 }, () => {
  it('runs a chain of kernels in one pass, for two batch sizes, against the reference', async () => {
    const { graph, kernels } = chain();
    const ex = await Executor.create(gpu.ctx.device, graph.tensors, kernels, 2, { pipelines: gpu.pipelines });
    try {
      for (const batch of [2, 5]) {
        await ex.setBatch(batch);
        const rand = seededRandom(freshSeed());
        const inputs = new Map<number, Float32Array>();
        for (const id of [0, 1, 2, 6]) {
          const tensor = graph.tensors[id];
          inputs.set(id, randomF32(rand, tensor.shape.reduce((a, b) => a * b, 1) * (tensor.batched ? batch : 1)));
        }
        for (const [id, v] of inputs) ex.write(id, v);
        await ex.runAndWait();
        const want = runGraph(graph, new Map([...inputs].map(([id, v]) => [id, Float64Array.from(v)])), { batch, step: 0 });
        for (const id of [3, 4, 5, 7]) expect(relError(await ex.read(id), want.get(id)!), `tensor ${id}, batch ${batch}`).toBeLessThan(1e-4);
      }
    } finally {
      await ex.destroy();
    }
  });

  it('runs many submits back to back without waiting, then reads once', async () => {
    const { graph, kernels } = chain();
    const ex = await Executor.create(gpu.ctx.device, graph.tensors, kernels, 4, { pipelines: gpu.pipelines });
    for (const id of [0, 1, 2, 6]) {
      const tensor = graph.tensors[id];
      ex.write(id, new Float32Array(tensor.shape.reduce((a, b) => a * b, 1) * (tensor.batched ? 4 : 1)).fill(0.5));
    }
    for (let i = 0; i < 50; i++) ex.run();
    const y = await ex.read(7);
    expect(y.every(Number.isFinite)).toBe(true);
    expect(ex.step).toBe(50);
    await ex.destroy();
    await ex.destroy(); // idempotent
    expect(() => ex.run()).toThrow(/after destroy/);
  });

  it('refuses tensors over the storage binding limit with a clear error', async () => {
    const big: Tensor = { id: 0, name: 'huge', shape: [1 << 20], batched: true, role: 'activation' };
    const out: Tensor = { id: 1, name: 'out', shape: [1 << 20], batched: true, role: 'activation' };
    const graph: Graph = { tensors: [big, out], ops: [], inputs: [], outputs: [], params: [] };
    const op: Op = { id: 0, kind: 'unary', fn: 'relu', alpha: 0, inputs: [0], outputs: [1], layer: 'relu' };
    const k = emitKernel(op, graph, gpu.ctx.target);
    const batch = Math.ceil(gpu.ctx.target.maxStorageBufferBindingSize / (4 << 20)) + 1;
    await expect(Executor.create(gpu.ctx.device, graph.tensors, [k], batch, { pipelines: gpu.pipelines })).rejects.toBeInstanceOf(BufferTooLargeError);
  });
});
