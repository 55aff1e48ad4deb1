import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTorch, python } from '../torch.js';
import type { CheckedModel } from '../../src/check/model.js';
import { compileFrontEnd } from '../../src/compiler.js';
import { exportPyTorch } from '../../src/export/pytorch.js';
import { nodeHost } from '../../src/host.js';
import { differentiate } from '../../src/ir/autodiff.js';
import { numel } from '../../src/ir/graph.js';
import { initialValues } from '../../src/ir/init.js';
import { lowerModel } from '../../src/ir/lower.js';
import { mulberry32 } from '../../src/ir/random.js';
import { runGraph } from '../../src/ir/reference/run.js';
import { randomArray, relError, seededRandom } from '../../src/ir/reference/testing.js';
import { encodeSafetensors } from '../../src/train/safetensors.js';
import { requiredWeights } from '../../src/engine/weights.js';
import { tempDir } from '../train/data/tmp.js';
import { ModelSession } from '../../src/engine/session.js';
import { EVERY_LAYER } from './cases.js';

/**
 * `cnnc export --to pytorch` against cnnc's float64 reference: each model exported, loaded into
 * PyTorch (Debian's python3-torch) with cnnc's weights by name, run in float64 on a random batch;
 * its outputs and the input gradient of one class's score must match the reference, and its
 * state_dict keys must be cnnc's weight names.
 */

interface Case {
  readonly name: string;
  readonly model: CheckedModel;
  readonly front: ReturnType<typeof compileFrontEnd>;
}

function fromFile(path: string): Case {
  const r = compileFrontEnd(path, readFileSync(path, 'utf8'), nodeHost);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { name: path.split('/').pop()!.replace('.cnn', ''), model: r.models[0], front: r };
}

/** Small enough for the float64 reference with gradients. */
const CASES = (): Case[] => [
  ...['lenet5', 'nin', 'cifar10', 'resnet_cifar'].map((n) => fromFile(`examples/${n}.cnn`)),
  fromFile('test/fixtures/activations.cnn'),
  fromFile('test/fixtures/residual.cnn'),
  (() => {
    const r = compileFrontEnd('every.cnn', EVERY_LAYER, { read: () => EVERY_LAYER, resolve: (_f, s) => s });
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
    return { name: 'every', model: r.models[0], front: r };
  })(),
];

// Without Debian's python3-torch there is nothing to run the export on (CI installs it and sets CNNC_REQUIRE_TORCH=1).
describe.runIf(hasTorch)('export to PyTorch', { timeout: 600_000 }, () => {
  it('every example and every layer kind: PyTorch gives the reference outputs and input gradients with cnnc\'s weights, by name', () => {
    const seed = (Date.now() ^ 0xe7) >>> 0;
    const root = tempDir('export');
    const jobs: { name: string; dir: string; shape: number[]; k: number }[] = [];
    const want = new Map<string, { y: Float64Array; dx: Float64Array; keys: string[] }>();
    for (const c of CASES()) {
      const dir = join(root, c.name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'model.py'), exportPyTorch(c.model, c.front).source);
      const g = lowerModel(c.model, { mode: 'infer' });
      // Initial weights, with running statistics moved off 0 and 1 so batchnorm does something.
      const rand = seededRandom(seed);
      const values = initialValues(g, mulberry32(seed));
      for (const t of g.tensors) {
        if (t.name.endsWith('running_mean')) values.set(t.id, randomArray(rand, numel(t.shape), -0.5, 0.5));
        if (t.name.endsWith('running_var')) values.set(t.id, randomArray(rand, numel(t.shape), 0.5, 2));
      }
      const weights: Record<string, { shape: readonly number[]; data: Float32Array }> = {};
      for (const t of requiredWeights(g)) weights[t.name] = { shape: t.shape, data: Float32Array.from(values.get(t.id)!) };
      writeFileSync(join(dir, 'weights.safetensors'), encodeSafetensors(weights));
      const batch = 2;
      const input = g.tensors[g.inputs[0]];
      const x = randomArray(rand, batch * numel(input.shape), -1, 1);
      writeFileSync(join(dir, 'x.bin'), new Uint8Array(x.buffer));
      // The reference sees the weights as PyTorch does: rounded to float32 by the file.
      const ref = new Map<number, Float64Array>();
      for (const [id, v] of values) ref.set(id, g.tensors[id].role === 'param' || g.tensors[id].role === 'state' ? Float64Array.from(Float32Array.from(v)) : v);
      ref.set(g.inputs[0], x);
      const y = runGraph(g, ref, { batch, step: 0 }).get(g.outputs[0])!;
      const classes = numel(g.tensors[g.outputs[0]].shape);
      const k = c.name.length % classes;
      const d = differentiate(g, { seed: g.outputs[0] });
      const seedValues = new Float64Array(batch * classes);
      for (let b = 0; b < batch; b++) seedValues[b * classes + k] = 1;
      ref.set(d.inputs[d.inputs.length - 1], seedValues);
      const dx = runGraph(d, ref, { batch, step: 0 }).get(d.grads!.get(g.inputs[0])!)!;
      want.set(c.name, { y, dx, keys: Object.keys(weights).sort() });
      jobs.push({ name: c.name, dir, shape: [batch, ...input.shape], k });
    }
    writeFileSync(join(root, 'job.json'), JSON.stringify(jobs));
    execFileSync(python, ['test/export/run-exported.py', join(root, 'job.json')], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, OMP_NUM_THREADS: '2' } });
    for (const job of jobs) {
      const w = want.get(job.name)!;
      const read = (f: string) => new Float64Array(Uint8Array.from(readFileSync(join(job.dir, f))).buffer);
      expect(relError(read('y.bin'), w.y), `${job.name} outputs (seed ${seed})`).toBeLessThan(1e-6);
      expect(relError(read('dx.bin'), w.dx), `${job.name} input gradient (seed ${seed})`).toBeLessThan(1e-6);
      const keys = (JSON.parse(readFileSync(join(job.dir, 'keys.json'), 'utf8')) as string[]).filter((key) => !key.endsWith('num_batches_tracked'));
      expect(keys, job.name).toEqual(w.keys);
    }
  });

  it('the 224×224 examples: PyTorch in float64 gives what cnnc computes on WebGPU with the same weights', async () => {
    const seed = (Date.now() ^ 0xb19) >>> 0;
    const root = tempDir('export-big');
    const jobs: { name: string; dir: string; shape: number[]; k: number }[] = [];
    const want = new Map<string, Float32Array>();
    // AlexNet's 61M parameters exceed lavapipe's 128 MiB binding limit; VGG-16's and ResNet-50's sizes make the run long.
    for (const name of ['squeezenet', 'mobilenetv2', 'googlenet', 'resnet18']) {
      const c = fromFile(`examples/${name}.cnn`);
      const dir = join(root, name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'model.py'), exportPyTorch(c.model, c.front).source);
      const session = await ModelSession.create(c.model, { batch: 1, seed });
      try {
        const weights = await session.getWeights();
        const rand = seededRandom(seed);
        // Running statistics off 0 and 1, so batchnorm (folded into the convs here) does something.
        for (const [n, w] of Object.entries(weights)) {
          if (n.endsWith('running_mean')) w.data.set(randomArray(rand, w.data.length, -0.5, 0.5));
          if (n.endsWith('running_var')) w.data.set(randomArray(rand, w.data.length, 0.5, 2));
        }
        await session.setWeights(weights);
        writeFileSync(join(dir, 'weights.safetensors'), encodeSafetensors(weights));
        const shape = c.model.nodes[c.model.inputs[0]].shape;
        const x = Float32Array.from(randomArray(rand, numel(shape), 0, 1));
        writeFileSync(join(dir, 'x.bin'), new Uint8Array(Float64Array.from(x).buffer));
        want.set(name, await session.forward(x, 1));
        jobs.push({ name, dir, shape: [1, ...shape], k: 0 });
      } finally {
        await session.destroy();
      }
    }
    writeFileSync(join(root, 'job.json'), JSON.stringify(jobs));
    execFileSync(python, ['test/export/run-exported.py', join(root, 'job.json')], { stdio: ['ignore', 'inherit', 'inherit'] });
    for (const job of jobs) {
      const y = new Float64Array(Uint8Array.from(readFileSync(join(job.dir, 'y.bin'))).buffer);
      expect(relError(want.get(job.name)!, y), `${job.name} (seed ${seed})`).toBeLessThan(1e-4);
    }
  });

  it('the classes take the .cnn parameters: build_model(classes=7, n=2) is cnnc with --set classes=7 --set n=2, and a block class stands alone', () => {
    const seed = (Date.now() ^ 0x5e7) >>> 0;
    const dir = tempDir('export-params');
    const path = 'examples/resnet_cifar.cnn';
    const text = readFileSync(path, 'utf8');
    // Exported with the file's defaults (classes = 10, n = 3) …
    writeFileSync(join(dir, 'model.py'), exportPyTorch(fromFile(path).model, compileFrontEnd(path, text, nodeHost)).source);
    // … and compared with the model cnnc checks with other values.
    const r = compileFrontEnd(path, text, nodeHost, { params: { classes: 7, n: 2 } });
    const g = lowerModel(r.models[0], { mode: 'infer' });
    const values = initialValues(g, mulberry32(seed));
    const weights: Record<string, { shape: readonly number[]; data: Float32Array }> = {};
    for (const t of requiredWeights(g)) weights[t.name] = { shape: t.shape, data: Float32Array.from(values.get(t.id)!) };
    writeFileSync(join(dir, 'w.safetensors'), encodeSafetensors(weights));
    const x = randomArray(seededRandom(seed), 2 * 3 * 32 * 32, -1, 1);
    writeFileSync(join(dir, 'x.bin'), new Uint8Array(x.buffer));
    const ref = new Map<number, Float64Array>();
    for (const [id, v] of values) ref.set(id, Float64Array.from(Float32Array.from(v)));
    ref.set(g.inputs[0], x);
    const want = runGraph(g, ref, { batch: 2, step: 0 }).get(g.outputs[0])!;
    const out = JSON.parse(execFileSync(python, ['-c', `
import json, sys, numpy as np, torch
sys.path.insert(0, '.')
from model import build_model, Basic, basic, Resnet20
m = build_model('w.safetensors', classes=7, n=2).double().eval()
x = torch.from_numpy(np.fromfile('x.bin', dtype=np.float64).reshape(2, 3, 32, 32))
y = m(x).detach().numpy().ravel().tolist()
wide = Basic(torch.zeros(1, 16, 8, 8), 32, stride=2)
same = Basic(torch.zeros(1, 16, 8, 8), 16)
print(json.dumps({
  'y': y,
  'keys': sorted(k for k in m.state_dict() if not k.endswith('num_batches_tracked')),
  'wide': [k for k in wide.state_dict() if k.endswith('weight')],
  'wide_out': list(wide(torch.zeros(3, 16, 8, 8)).shape),
  'same': [k for k in same.state_dict() if k.endswith('weight')],
  'spec': basic(64, stride=2).args,
  'default': Resnet20().state_dict()['fc.weight'].shape[0],
}))
`], { cwd: dir, encoding: 'utf8' })) as { y: number[]; keys: string[]; wide: string[]; wide_out: number[]; same: string[]; spec: Record<string, number>; default: number };
    expect(relError(Float64Array.from(out.y), want), `outputs (seed ${seed})`).toBeLessThan(1e-6);
    expect(out.keys).toEqual(Object.keys(weights).sort());
    // The shortcut exists only where the block changes the shape, as the .cnn's `if` says.
    expect(out.wide).toEqual(['conv1.weight', 'bn1.weight', 'conv2.weight', 'bn2.weight', 'conv3.weight', 'bn3.weight']);
    expect(out.wide_out).toEqual([3, 32, 4, 4]);
    expect(out.same).toEqual(['conv1.weight', 'bn1.weight', 'conv2.weight', 'bn2.weight']);
    expect(out.spec).toEqual({ c: 64, stride: 2 });
    expect(out.default).toBe(10);
  });

  it('defaults computed from other parameters, and .cnn names that Python or model.py already use', () => {
    const source = `block wide(c, size = 3, d = c * 2, lambda = 1)(x) {
  return x -> conv(d, size, pad: size // 2, stride: lambda) as shape -> relu
}
model m(k = 2) {
  input x: 3 x 8 x 8
  size = x.channels + k
  x -> wide(k) -> wide(size, size: 1) -> flatten -> dense(k + 1)
}`;
    const r = compileFrontEnd('m.cnn', source, { read: () => source, resolve: (_f, s) => s });
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
    const dir = tempDir('export-names');
    writeFileSync(join(dir, 'model.py'), exportPyTorch(r.models[0], r).source);
    const want = requiredWeights(lowerModel(r.models[0], { mode: 'infer' })).map((t) => [t.name, [...t.shape]]);
    const out = JSON.parse(execFileSync(python, ['-c', `
import json, sys, torch
sys.path.insert(0, '.')
from model import build_model, Wide
m = build_model()
w = Wide(torch.zeros(1, 3, 8, 8), 5, lambda_=2)
print(json.dumps({'keys': [[k, list(v.shape)] for k, v in m.state_dict().items()], 'wide': list(w.state_dict()['shape.weight'].shape), 'out': list(w(torch.zeros(1, 3, 8, 8)).shape)}))
`], { cwd: dir, encoding: 'utf8' })) as { keys: [string, number[]][]; wide: number[]; out: number[] };
    expect(out.keys).toEqual(want);
    expect(out.wide).toEqual([10, 3, 3, 3]);
    expect(out.out).toEqual([1, 10, 4, 4]);
  });
});
