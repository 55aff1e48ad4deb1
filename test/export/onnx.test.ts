import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { CheckedModel } from '../../src/check/model.js';
import { compileFrontEnd } from '../../src/compiler.js';
import type { WeightTensor } from '../../src/engine/session.js';
import { exportOnnx } from '../../src/export/onnx.js';
import { exportPyTorch } from '../../src/export/pytorch.js';
import { nodeHost } from '../../src/host.js';
import { numel } from '../../src/ir/graph.js';
import { initialValues } from '../../src/ir/init.js';
import { lowerModel } from '../../src/ir/lower.js';
import { mulberry32 } from '../../src/ir/random.js';
import { runGraph } from '../../src/ir/reference/run.js';
import { randomArray, relError, seededRandom } from '../../src/ir/reference/testing.js';
import { encodeSafetensors } from '../../src/train/safetensors.js';
import { run } from '../cli/run.js';
import { tempDir } from '../train/data/tmp.js';
import { hasTorch, python } from '../torch.js';
import { AWKWARD_WINDOWS, EVERY_LAYER } from './cases.js';

/**
 * `cnnc export --to onnx` run by ONNX Runtime (onnxruntime-node, CPU) at batch 1 and 3, against
 * cnnc's float64 reference for the small models, and at batch 1 against the exported PyTorch
 * model (itself held to the reference in pytorch.test.ts) for the 224×224 examples (the batch
 * axis is the small models' to test: at batch 3 the big ones' float64 PyTorch run was most of
 * this file's 140 s); every file must pass onnx.checker (Debian's python3-onnx) where it is installed.
 */

interface Case {
  readonly name: string;
  readonly model: CheckedModel;
  readonly front: ReturnType<typeof compileFrontEnd>;
}

function fromText(path: string, text: string): Case {
  const front = compileFrontEnd(path, text, path.startsWith('examples/') || path.startsWith('test/') ? nodeHost : { read: () => text, resolve: (_f, s) => s });
  expect(front.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  return { name: path.split('/').pop()!.replace('.cnn', ''), model: front.models[0], front };
}

const fromFile = (path: string) => fromText(path, readFileSync(path, 'utf8'));

/** Initial weights, running statistics moved off 0 and 1 so batchnorm does something; float32 as the file holds them. */
function weightsFor(model: CheckedModel, seed: number): Record<string, WeightTensor> {
  const g = lowerModel(model, { mode: 'infer' });
  const rand = seededRandom(seed);
  const values = initialValues(g, mulberry32(seed));
  const out: Record<string, WeightTensor> = {};
  for (const t of g.tensors) {
    if (t.role !== 'param' && t.role !== 'state') continue;
    let v = values.get(t.id)!;
    if (t.name.endsWith('running_mean')) v = randomArray(rand, numel(t.shape), -0.5, 0.5);
    if (t.name.endsWith('running_var')) v = randomArray(rand, numel(t.shape), 0.5, 2);
    out[t.name] = { shape: t.shape, data: Float32Array.from(v) };
  }
  return out;
}

async function runOnnx(bytes: Uint8Array, input: string, x: Float32Array, shape: readonly number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const r = await session.run({ [input]: new ort.Tensor('float32', x, [...shape]) });
    return r[session.outputNames[0]].data as Float32Array;
  } finally {
    await session.release();
  }
}

const hasOnnxChecker = (() => {
  try {
    execFileSync(python, ['-c', 'import onnx'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasOnnxChecker && process.env.CNNC_REQUIRE_TORCH === '1') throw new Error(`CNNC_REQUIRE_TORCH=1 but ${python} cannot import onnx (python3-onnx)`);

function checkModels(paths: readonly string[]): void {
  if (!hasOnnxChecker) return;
  execFileSync(python, ['-c', `import onnx, sys\nfor p in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(p), full_check=True)`, ...paths], { stdio: ['ignore', 'inherit', 'inherit'] });
}

describe('export to ONNX', { timeout: 600_000 }, () => {
  it('every small example and every layer kind: ONNX Runtime gives the float64 reference outputs at batch 1 and 3', async () => {
    const seed = (Date.now() ^ 0x0a) >>> 0;
    const dir = tempDir('onnx');
    const cases = [
      ...['lenet5', 'nin', 'cifar10', 'resnet_cifar'].map((n) => fromFile(`examples/${n}.cnn`)),
      fromFile('test/fixtures/activations.cnn'),
      fromFile('test/fixtures/residual.cnn'),
      fromText('every.cnn', EVERY_LAYER),
      fromText('windows.cnn', AWKWARD_WINDOWS),
    ];
    const files: string[] = [];
    for (const c of cases) {
      const weights = weightsFor(c.model, seed);
      const bytes = exportOnnx(c.model, weights, c.front.sources, { opset: c.name === 'lenet5' ? 13 : 17 });
      const file = join(dir, `${c.name}.onnx`);
      writeFileSync(file, bytes);
      files.push(file);
      const g = lowerModel(c.model, { mode: 'infer' });
      const input = g.tensors[g.inputs[0]];
      for (const batch of [1, 3]) {
        const x = randomArray(seededRandom(seed + batch), batch * numel(input.shape), -1, 1);
        const values = new Map<number, Float64Array>([[g.inputs[0], x]]);
        for (const t of g.tensors) if (weights[t.name]) values.set(t.id, Float64Array.from(weights[t.name].data));
        const want = runGraph(g, values, { batch, step: 0 }).get(g.outputs[0])!;
        const got = await runOnnx(bytes, input.name, Float32Array.from(x), [batch, ...input.shape]);
        expect(got.every(Number.isFinite), c.name).toBe(true);
        expect(relError(got, want), `${c.name} at batch ${batch} (seed ${seed})`).toBeLessThan(1e-4);
      }
    }
    checkModels(files);
  });

  it.runIf(hasTorch)('the 224×224 examples: ONNX Runtime gives what the exported PyTorch model computes in float64', async () => {
    const seed = (Date.now() ^ 0x224) >>> 0;
    const root = tempDir('onnx-big');
    const names = ['squeezenet', 'mobilenetv2', 'googlenet', 'resnet18', 'resnet50', 'alexnet', 'vgg16'];
    const jobs: { name: string; dir: string; shape: number[]; k: number }[] = [];
    const got = new Map<string, Float32Array>();
    const files: string[] = [];
    for (const name of names) {
      const c = fromFile(`examples/${name}.cnn`);
      const dir = join(root, name);
      mkdirSync(dir, { recursive: true });
      const weights = weightsFor(c.model, seed);
      writeFileSync(join(dir, 'model.py'), exportPyTorch(c.model, c.front).source);
      writeFileSync(join(dir, 'weights.safetensors'), encodeSafetensors(weights));
      const bytes = exportOnnx(c.model, weights, c.front.sources);
      writeFileSync(join(dir, 'model.onnx'), bytes);
      files.push(join(dir, 'model.onnx'));
      const shape = c.model.nodes[c.model.inputs[0]].shape;
      const x = Float32Array.from(randomArray(seededRandom(seed), numel(shape), 0, 1));
      writeFileSync(join(dir, 'x.bin'), new Uint8Array(Float64Array.from(x).buffer));
      got.set(name, await runOnnx(bytes, c.model.nodes[c.model.inputs[0]].name, x, [1, ...shape]));
      jobs.push({ name, dir, shape: [1, ...shape], k: 0 });
    }
    writeFileSync(join(root, 'job.json'), JSON.stringify(jobs));
    execFileSync(python, ['test/export/run-exported.py', join(root, 'job.json')], { stdio: ['ignore', 'inherit', 'inherit'] });
    for (const job of jobs) {
      const want = new Float64Array(Uint8Array.from(readFileSync(join(job.dir, 'y.bin'))).buffer);
      expect(relError(got.get(job.name)!, want), `${job.name} (seed ${seed})`).toBeLessThan(1e-4);
    }
    checkModels(files);
  });

  it('cnnc export --to onnx: trained weights from --weights, an opset out of range refused, node names and source lines kept', async () => {
    const dir = tempDir('onnx-cli');
    const file = 'examples/lenet5.cnn';
    const weights = weightsFor(fromFile(file).model, 3);
    writeFileSync(join(dir, 'w.safetensors'), encodeSafetensors(weights));
    const r = await run('export', file, '--to', 'onnx', '--weights', join(dir, 'w.safetensors'), '--opset', '13', '-o', join(dir, 'out', 'lenet5.onnx'));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/lenet5\.onnx: lenet5, opset 13, input N × 1 × 28 × 28, 0\.2\d MiB with the weights of/);
    const bytes = readFileSync(join(dir, 'out', 'lenet5.onnx'));
    const session = await ort.InferenceSession.create(bytes);
    expect(session.inputNames).toEqual(['image']);
    await session.release();
    // The first conv's weights are the file's, bit for bit, under cnnc's name; its node says where it came from.
    const text = Buffer.from(bytes).toString('latin1');
    expect(text).toContain('conv1.weight');
    expect(text).toMatch(/conv1: lenet5\.cnn:6 conv\(6, 5, pad: 2\)/);
    const raw = Buffer.from(weights['conv1.weight'].data.buffer).toString('latin1');
    expect(text).toContain(raw);
    const bad = await run('export', file, '--to', 'onnx', '--opset', '12', '-o', join(dir, 'x.onnx'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--opset 12: cnnc writes opsets 13, 14, 15, 16, 17/);
  });
});
