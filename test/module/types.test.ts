import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, removeDir, run, tempModuleDir, writeModule } from './helpers.js';

const TSC = resolve('node_modules/typescript/bin/tsc');
/** What a user's strict TypeScript project would use: ES modules, Node resolution, WebGPU types from the DOM lib. */
const FLAGS = ['--noEmit', '--strict', '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--lib', 'ES2022,DOM'];

/** tsc's exit code and output; it reports type errors on stdout. */
async function tsc(args: readonly string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await run(process.execPath, [TSC, ...args], { timeout: 120_000 });
    return { code: 0, out: r.stdout };
  } catch (e) {
    const err = e as Error & { code?: number; stdout?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, out: `${err.stdout ?? ''}${err.message}` };
  }
}

const CONSUMER = `import { createModel, inputShape, outputShape, type WeightName } from './lenet5.js';
import type { CnncModel, WeightTensor } from './lenet5.js';

const model: CnncModel<WeightName> = await createModel({ seed: 3 });
const shape: readonly [1, 28, 28] = inputShape;
const classes: readonly [10] = outputShape;
const x = new Float32Array(2 * 784);
const logits: Float32Array = await model.forward(x, 2);
const loss: number | undefined = await model.trainStep(x, [3, 4], 2, { lr: 0.01, readLoss: true });
const last: number = await model.readLoss();
const weights: Record<WeightName, WeightTensor> = await model.getWeights();
const conv: readonly number[] = weights['conv1.weight'].shape;
await model.setWeights({ 'fc3.bias': { shape: [10], data: new Float32Array(10) } });
const counts: { readonly forward: number; readonly trainStep: number } = model.dispatches;
const steps: number = model.step;
const device: GPUDevice = model.device;
await model.destroy();
export { shape, classes, logits, loss, last, conv, counts, steps, device };
`;

describe('types of a compiled module', { timeout: 180_000 }, () => {
  let dir: string | undefined;
  beforeAll(() => {
    dir = tempModuleDir();
    writeModule(loadModel('examples/lenet5.cnn'), 'examples/lenet5.cnn', dir);
  });
  afterAll(() => removeDir(dir));

  it('the generated runtime declarations are complete on their own (strict, without skipLibCheck)', async () => {
    const r = await tsc([...FLAGS, join(dir!, 'cnnc-runtime.d.ts')]);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });

  it('the generated runtime imports nothing but Dawn, and that only when asked', () => {
    const js = readFileSync(join(dir!, 'cnnc-runtime.js'), 'utf8');
    expect(js).toMatch(/^\/\/ cnnc module runtime: generated/);
    expect(js).not.toMatch(/^\s*import\s/m);
    expect([...js.matchAll(/\bimport\(/g)]).toHaveLength(1);
    expect(js).not.toMatch(/from ['"]node:|require\(/);
  });

  it('a strict TypeScript consumer of <model>.d.ts compiles', async () => {
    writeFileSync(join(dir!, 'consumer.ts'), CONSUMER);
    const r = await tsc([...FLAGS, join(dir!, 'consumer.ts')]);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });

  it('the declarations know the weight names and shapes: a misspelt name or a wrong input type fails', async () => {
    writeFileSync(
      join(dir!, 'misuse.ts'),
      `import { createModel } from './lenet5.js';
const model = await createModel();
const w = await model.getWeights();
export const typo = w['conv1.wieght'];
export const wrongInput = await model.forward([1, 2, 3], 1);
`,
    );
    const r = await tsc([...FLAGS, join(dir!, 'misuse.ts')]);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/misuse\.ts\(4,\d+\): error TS2551: Property 'conv1\.wieght' does not exist .* Did you mean 'conv1\.weight'\?/);
    expect(r.out).toMatch(/misuse\.ts\(5,\d+\): error TS2345: .*number\[\].*Float32Array/);
  });
});
