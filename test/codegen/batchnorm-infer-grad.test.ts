import { afterAll, beforeAll, describe, it } from 'vitest';
import { emitBatchnormInferGrad } from '../../src/codegen/batchnorm-infer-grad.js';
import { checkOp, openGpu, randomF32, targetWith, type TensorSpec, type TestGpu } from './harness.js';

/** The input gradient of inference batchnorm on the adapter, against the float64 reference. */
let gpu: TestGpu;
beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(async () => {
  await gpu?.ctx.destroy();
});

const channel = (c: number, role: TensorSpec['role']): TensorSpec => ({ shape: [c], batched: false, role });

describe('batchnorm_infer_grad', { timeout: 30_000 }, () => {
  it.each([
    ['5×3×7 (scalar)', [5, 3, 7]],
    ['6×2×6 (vec4 along positions)', [6, 2, 6]],
    ['flat 11 features', [11]],
  ] as const)('%s', async (_name, shape) => {
    const c = shape[0];
    const x: TensorSpec = { shape, batched: true };
    for (const software of [true, false]) {
      await checkOp(gpu, {
        kind: { kind: 'batchnorm_infer_grad', eps: 1e-5 },
        inputs: [x, channel(c, 'param'), channel(c, 'state')],
        outputs: [x],
        batch: 3,
        emit: (op, g) => emitBatchnormInferGrad(op, g, targetWith(gpu, software)),
        // running variances well away from 0 and gammas of both signs
        values: (rand, g) => [randomF32(rand, 3 * g.tensors[0].shape.reduce((a, b) => a * b, 1)), randomF32(rand, c, -2, 2), randomF32(rand, c, 0.1, 3)],
      });
    }
  });
});
