import { mkdirSync } from 'node:fs';
import type { Kernel, ScratchSpace, TargetInfo } from '../../src/codegen/kernel.js';
import type { TargetExtras } from '../../src/codegen/variants.js';
import { expect } from 'vitest';
import type { Graph, Op, OpKind, Tensor } from '../../src/ir/graph.js';
import { numel } from '../../src/ir/graph.js';
import { acquireDevice, type GpuContext } from '../../src/runtime/device.js';
import { Executor } from '../../src/runtime/executor.js';
import { PipelineCache } from '../../src/runtime/pipelines.js';
import { evalOp } from '../../src/ir/reference/run.js';
import { randomArray, relError, seededRandom, singleOpGraph, type TensorSpec } from '../../src/ir/reference/testing.js';

export { seededRandom, singleOpGraph, type TensorSpec };

/** One device per test file: open in beforeAll, close in afterAll. */
export interface TestGpu {
  readonly ctx: GpuContext;
  readonly pipelines: PipelineCache;
}

export async function openGpu(): Promise<TestGpu> {
  if (!process.env.XDG_RUNTIME_DIR) {
    mkdirSync('/tmp/xdg', { recursive: true });
    process.env.XDG_RUNTIME_DIR = '/tmp/xdg';
  }
  const ctx = await acquireDevice();
  return { ctx, pipelines: new PipelineCache(ctx.device) };
}

/**
 * The device's own target with the software flag forced, to test both kernel variants here, and
 * without the subgroup extra when `subgroups` is false (the variants for devices without them).
 */
export function targetWith(gpu: TestGpu, software: boolean, subgroups = true): TargetInfo & TargetExtras {
  const { subgroupMinSize, ...rest } = gpu.ctx.target;
  return subgroups && subgroupMinSize ? { ...rest, subgroupMinSize, software } : { ...rest, software };
}

/** Whether this device has subgroups (lavapipe from Mesa 25 does). */
export function hasSubgroups(gpu: TestGpu): boolean {
  return gpu.ctx.target.subgroupMinSize !== undefined;
}

export function freshSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}

/** Float32 inputs in [lo, hi) from a seeded stream. */
export function randomF32(rand: () => number, n: number, lo = -1, hi = 1): Float32Array {
  return Float32Array.from(randomArray(rand, n, lo, hi));
}

export function elements(t: TensorSpec, batch: number): number {
  return numel(t.shape) * (t.batched ? batch : 1);
}

export interface OpCheck {
  readonly kind: OpKind;
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  readonly batch: number;
  /** One kernel, or several run in order with scratch storage between them (a split reduction). */
  readonly emit: (op: Op, graph: Graph, scratch: ScratchSpace) => Kernel | Kernel[];
  /** Input values; default uniform in [-1, 1) for every input. */
  readonly values?: (rand: () => number, graph: Graph) => Float32Array[];
  /** Fold the dispatch above this many workgroups per dimension (default the device's limit). */
  readonly maxWorkgroupsPerDimension?: number;
}

/**
 * Runs the kernel an op emits on fresh random inputs and checks every output against the float64
 * reference interpreter: ‖out − ref‖/‖ref‖ < 1e-4, NaN fails, outputs poisoned with NaN first.
 * Returns the kernel (for dispatch checks) and the worst error.
 */
export async function checkOp(gpu: TestGpu, c: OpCheck): Promise<{ kernel: Kernel; kernels: Kernel[]; error: number }> {
  const seed = freshSeed();
  const rand = seededRandom(seed);
  const { graph, op } = singleOpGraph(c.kind, c.inputs, c.outputs);
  const { scratch, tensors } = scratchAfter(graph);
  const emitted = c.emit(op, graph, scratch);
  const kernels = Array.isArray(emitted) ? emitted : [emitted];
  const kernel = kernels[0];
  const values = c.values ? c.values(rand, graph) : c.inputs.map((t) => randomF32(rand, elements(t, c.batch)));
  const got = await runKernel(gpu, { ...graph, tensors }, kernels, c.batch, new Map(values.map((v, i) => [op.inputs[i], v])), op.outputs, c.maxWorkgroupsPerDimension);
  const want = evalOp(op, graph, values.map((v) => Float64Array.from(v)), { batch: c.batch, step: 0 });
  let error = 0;
  got.forEach((g, i) => {
    const e = relError(g, want[i]);
    error = Math.max(error, e);
    expect(e, `${kernel.name} output ${i}, seed ${seed}`).toBeLessThan(1e-4);
  });
  return { kernel, kernels, error };
}

/** Scratch space as a device plan gives it: tensors appended after the graph's, poisoned by runKernel. */
export function scratchAfter(graph: Graph): { scratch: ScratchSpace; tensors: Tensor[] } {
  const tensors = [...graph.tensors];
  const scratch: ScratchSpace = {
    tensor: (name, length) => {
      tensors.push({ id: tensors.length, name, shape: [length], batched: false, role: 'scratch' });
      return tensors.length - 1;
    },
    texture: (name, texels, batched) => {
      tensors.push({ id: tensors.length, name, shape: [4 * texels], batched, role: 'scratch', texture: true });
      return tensors.length - 1;
    },
    staging: (texels, batched) => {
      tensors.push({ id: tensors.length, name: 'staging', shape: [4 * texels], batched, role: 'scratch' });
      return tensors.length - 1;
    },
  };
  return { scratch, tensors };
}

/**
 * Runs one kernel (or several in one pass): uploads the inputs, poisons every output and scratch
 * tensor with NaN so an unwritten element is caught, runs once and reads the outputs back.
 */
export async function runKernel(
  gpu: TestGpu, graph: Graph, kernel: Kernel | readonly Kernel[], batch: number, inputs: ReadonlyMap<number, Float32Array>, outputs: readonly number[], maxWorkgroupsPerDimension?: number,
): Promise<Float32Array[]> {
  const fold = maxWorkgroupsPerDimension !== undefined ? { maxWorkgroupsPerDimension } : {};
  const kernels = Array.isArray(kernel) ? kernel : [kernel as Kernel];
  const ex = await Executor.create(gpu.ctx.device, graph.tensors, kernels, batch, { pipelines: gpu.pipelines, ...fold });
  try {
    for (const [id, data] of inputs) ex.write(id, data);
    // Textures cannot be written from the host; their copy kernels write every texel the GEMM reads.
    const scratch = graph.tensors.filter((t) => t.role === 'scratch' && !t.texture).map((t) => t.id);
    for (const id of [...outputs, ...scratch]) ex.write(id, new Float32Array(elements(graph.tensors[id], batch)).fill(NaN));
    await ex.runAndWait();
    const out: Float32Array[] = [];
    for (const id of outputs) out.push(await ex.read(id));
    return out;
  } finally {
    await ex.destroy();
  }
}

