import type { Kernel } from '../../src/codegen/kernel.js';
import type { OpKind, Tensor } from '../../src/ir/graph.js';
import { tensorElements } from '../../src/runtime/buffers.js';
import { Executor } from '../../src/runtime/executor.js';
import { evalOp } from '../../src/ir/reference/run.js';
import { singleOpGraph, type TensorSpec } from '../../src/ir/reference/testing.js';
import { elements, type TestGpu } from './harness.js';

/**
 * Helpers for the ops-*.test.ts files, beside the shared harness (which they reuse unchanged):
 * inputs with ties, and forward outputs from the reference for backward kernels that read them.
 */

/** Values from a few levels only, so windows and channel groups hold ties. */
export function tiedF32(rand: () => number, n: number, levels = 5): Float32Array {
  return Float32Array.from({ length: n }, () => Math.floor(rand() * levels) / 2 - 1);
}

/** The reference's outputs of a forward op on float32 inputs, rounded to float32. */
export function refForward(kind: OpKind, inputs: readonly TensorSpec[], outputs: readonly TensorSpec[], values: readonly Float32Array[], batch: number, step = 0): Float32Array[] {
  const { graph, op } = singleOpGraph(kind, inputs, outputs);
  return evalOp(op, graph, values.map((v) => Float64Array.from(v)), { batch, step }).map((o) => Float32Array.from(o));
}

/**
 * A pooling output size along one axis, as the checker resolves it: floor, or ceil where the last
 * window must still start inside the input or its leading padding (PyTorch's rule).
 */
export function poolOut(size: number, k: number, s: number, before: number, after: number, ceil: boolean): number {
  const span = size + before + after - k;
  if (!ceil) return Math.floor(span / s) + 1;
  let o = Math.ceil(span / s) + 1;
  if ((o - 1) * s >= size + before) o--;
  return o;
}

export function batched(...shape: number[]): TensorSpec {
  return { shape, batched: true };
}

export function perSample(t: TensorSpec, batch: number): number {
  return elements(t, batch);
}

/**
 * Runs one kernel once at `step` (the harness's runKernel always runs step 0 and poisons every
 * tensor it reads back): uploads `inputs`, poisons `poison` with NaN, reads `read` afterwards, so
 * tensors updated in place (batchnorm's running statistics) can be read without being poisoned.
 */
export async function runOnce(
  gpu: TestGpu, tensors: readonly Tensor[], kernel: Kernel, batch: number,
  inputs: ReadonlyMap<number, Float32Array>, poison: readonly number[], read: readonly number[], step = 0,
): Promise<Float32Array[]> {
  const ex = await Executor.create(gpu.ctx.device, tensors, [kernel], batch, { pipelines: gpu.pipelines });
  try {
    for (const [id, data] of inputs) ex.write(id, data);
    for (const id of poison) ex.write(id, new Float32Array(tensorElements(tensors[id], batch)).fill(NaN));
    await ex.runAndWait(step);
    const out: Float32Array[] = [];
    for (const id of read) out.push(await ex.read(id));
    return out;
  } finally {
    await ex.destroy();
  }
}
