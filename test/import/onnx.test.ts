import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/check/summary.js';
import { compileFrontEnd } from '../../src/compiler.js';
import { ModelSession, type WeightTensor } from '../../src/engine/session.js';
import { exportOnnx } from '../../src/export/onnx.js';
import { exportPyTorch } from '../../src/export/pytorch.js';
import { nodeHost } from '../../src/host.js';
import { numel } from '../../src/ir/graph.js';
import { initialValues } from '../../src/ir/init.js';
import { lowerModel } from '../../src/ir/lower.js';
import { mulberry32 } from '../../src/ir/random.js';
import { runGraph } from '../../src/ir/reference/run.js';
import { randomArray, relError, seededRandom } from '../../src/ir/reference/testing.js';
import { memoryHost } from '../../src/memory-host.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/train/safetensors.js';
import { run } from '../cli/run.js';
import { EVERY_LAYER } from '../export/cases.js';
import { tempDir } from '../train/data/tmp.js';
import { hasTorch, hasTorchvision, python } from '../torch.js';

/**
 * `cnnc import`: ONNX models back to .cnn files that check clean, with the original's parameter
 * count and outputs — cnnc's own exports (a round trip) and torchvision's networks exported by
 * torch.onnx.export — and an operator cnnc has no layer for stops the import, writing nothing.
 */

function checked(path: string, text: string, files: Record<string, string> = {}) {
  const r = compileFrontEnd(path, text, path.startsWith('examples/') ? nodeHost : memoryHost({ ...files, [path]: text }));
  expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return { model: r.models[0], front: r };
}

function randomWeights(model: ReturnType<typeof checked>['model'], seed: number): Record<string, WeightTensor> {
  const g = lowerModel(model, { mode: 'infer' });
  const rand = seededRandom(seed);
  const out: Record<string, WeightTensor> = {};
  for (const [id, v] of initialValues(g, mulberry32(seed))) {
    const t = g.tensors[id];
    let data = v;
    if (t.name.endsWith('running_mean')) data = randomArray(rand, numel(t.shape), -0.5, 0.5);
    if (t.name.endsWith('running_var')) data = randomArray(rand, numel(t.shape), 0.5, 2);
    out[t.name] = { shape: t.shape, data: Float32Array.from(data) };
  }
  return out;
}

/** The float64 reference output of a model with these weights. */
function reference(model: ReturnType<typeof checked>['model'], weights: Record<string, { data: ArrayLike<number> }>, x: Float64Array, batch: number): Float64Array {
  const g = lowerModel(model, { mode: 'infer' });
  const values = new Map<number, Float64Array>([[g.inputs[0], x]]);
  for (const t of g.tensors) if (weights[t.name]) values.set(t.id, Float64Array.from(weights[t.name].data));
  return runGraph(g, values, { batch, step: 0 }).get(g.outputs[0])!;
}

describe('cnnc import', { timeout: 600_000 }, () => {
  it("round trip of cnnc's own exports: the same names, parameter count and outputs", async () => {
    const seed = (Date.now() ^ 0x1a) >>> 0;
    const dir = tempDir('import-rt');
    for (const name of ['lenet5', 'resnet_cifar', 'cifar10', 'nin']) {
      const { model, front } = checked(`examples/${name}.cnn`, readFileSync(`examples/${name}.cnn`, 'utf8'));
      const weights = randomWeights(model, seed);
      writeFileSync(join(dir, `${name}.onnx`), exportOnnx(model, weights, front.sources));
      const r = await run('import', join(dir, `${name}.onnx`), '-o', join(dir, 'out'));
      expect(r.code, r.err).toBe(0);
      const text = readFileSync(join(dir, 'out', `${name}.cnn`), 'utf8');
      const back = checked(`${name}.cnn`, text);
      expect(summarize(back.model, back.front.sources).totalParams, name).toBe(summarize(model, front.sources).totalParams);
      const file = decodeSafetensors(readFileSync(join(dir, 'out', `${name}.safetensors`)));
      // The layer names come back from the initializers: the weights are the original's, by name.
      expect(Object.keys(file.tensors).sort(), name).toEqual(Object.keys(weights).filter((k) => !/\.(ones|zeros)$/.test(k)).sort());
      const input = model.nodes[model.inputs[0]].shape;
      const x = randomArray(seededRandom(seed + 1), 2 * numel(input), -1, 1);
      const want = reference(model, weights, x, 2);
      const got = reference(back.model, file.tensors as Record<string, { data: Float32Array }>, x, 2);
      expect(relError(got, want), `${name} (seed ${seed})`).toBeLessThan(1e-9);
      // Shape comments as the examples write them, and ResNet-20's stages as blocks named as before.
      expect(text).toMatch(/# \d+×\d+×\d+/);
      if (name === 'resnet_cifar') {
        expect(text).toMatch(/^block residual\(c\)\(x\) \{$/m);
        expect(text).toMatch(/-> residual\(16\) \* 3 as layer1 /);
        expect(text).toMatch(/-> residual2\(32\) as "layer2\.0" /);
      }
    }
  });

  it('the 224×224 examples come back checking clean with their parameter counts and their logits (WebGPU; PyTorch for AlexNet and VGG-16)', async () => {
    const dir = tempDir('import-big');
    const seed = (Date.now() ^ 0x2b) >>> 0;
    const counts: Record<string, number> = {};
    // AlexNet's and VGG-16's weights exceed lavapipe's binding limit: their logits are compared in
    // PyTorch instead, each model exported by cnnc and run in float64 with its own weights.
    const jobs: { name: string; dir: string; shape: number[]; k: number }[] = [];
    for (const name of ['resnet18', 'resnet50', 'googlenet', 'squeezenet', 'mobilenetv2', 'alexnet', 'vgg16']) {
      const { model, front } = checked(`examples/${name}.cnn`, readFileSync(`examples/${name}.cnn`, 'utf8'));
      const weights = randomWeights(model, seed);
      writeFileSync(join(dir, `${name}.onnx`), exportOnnx(model, weights, front.sources));
      const r = await run('import', join(dir, `${name}.onnx`), '-o', join(dir, 'out'));
      expect(r.code, r.err).toBe(0);
      const back = checked(`${name}.cnn`, readFileSync(join(dir, 'out', `${name}.cnn`), 'utf8'));
      counts[name] = summarize(back.model, back.front.sources).totalParams;
      expect(counts[name], name).toBe(summarize(model, front.sources).totalParams);
      if (name === 'alexnet' || name === 'vgg16') {
        if (!hasTorch) continue;
        const shape = model.nodes[model.inputs[0]].shape;
        const x = randomArray(seededRandom(seed), numel(shape), 0, 1);
        for (const [which, m, f, w] of [['original', model, front, weights], ['imported', back.model, back.front, decodeSafetensors(readFileSync(join(dir, 'out', `${name}.safetensors`))).tensors as Record<string, WeightTensor>]] as const) {
          const job = join(dir, `${name}-${which}`);
          mkdirSync(job, { recursive: true });
          writeFileSync(join(job, 'model.py'), exportPyTorch(m, f).source);
          writeFileSync(join(job, 'weights.safetensors'), encodeSafetensors(w));
          writeFileSync(join(job, 'x.bin'), new Uint8Array(x.buffer));
          jobs.push({ name: `${name}-${which}`, dir: job, shape: [1, ...shape], k: 0 });
        }
        continue;
      }
      const file = decodeSafetensors(readFileSync(join(dir, 'out', `${name}.safetensors`)));
      const x = Float32Array.from(randomArray(seededRandom(seed), numel(model.nodes[model.inputs[0]].shape), 0, 1));
      const logits = async (m: typeof model, w: Record<string, WeightTensor>) => {
        const session = await ModelSession.create(m, { batch: 1 });
        try {
          await session.setWeights(w);
          return await session.forward(x, 1);
        } finally {
          await session.destroy();
        }
      };
      const want = await logits(model, weights);
      expect(relError(await logits(back.model, file.tensors as Record<string, WeightTensor>), want), `${name} (seed ${seed})`).toBeLessThan(1e-5);
    }
    expect(counts).toEqual({ resnet18: 11_689_512, resnet50: 25_557_032, googlenet: 6_624_904, squeezenet: 1_248_424, mobilenetv2: 3_504_872, alexnet: 61_100_840, vgg16: 138_357_544 });
    if (jobs.length) {
      writeFileSync(join(dir, 'job.json'), JSON.stringify(jobs));
      execFileSync(python, ['test/export/run-exported.py', join(dir, 'job.json')], { stdio: ['ignore', 'inherit', 'inherit'] });
      const y = (job: string) => new Float64Array(Uint8Array.from(readFileSync(join(dir, job, 'y.bin'))).buffer);
      for (const name of ['alexnet', 'vgg16']) expect(relError(y(`${name}-imported`), y(`${name}-original`)), `${name} (seed ${seed})`).toBeLessThan(1e-9);
    }
  });

  it('an operator cnnc has no layer for stops the import with the node and the operator named, and nothing is written', async () => {
    const dir = tempDir('import-bad');
    const { model, front } = checked('every.cnn', EVERY_LAYER, {});
    writeFileSync(join(dir, 'every.onnx'), exportOnnx(model, randomWeights(model, 2), front.sources));
    const r = await run('import', join(dir, 'every.onnx'), '-o', join(dir, 'out'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error\[E_ONNX_UNSUPPORTED\]: node [\w./]+ \(\w+\): /);
    expect(existsSync(join(dir, 'out')) ? readdirSync(join(dir, 'out')) : []).toEqual([]);
    writeFileSync(join(dir, 'junk.onnx'), new Uint8Array([0xff, 0xff, 0xff, 0x01]));
    const junk = await run('import', join(dir, 'junk.onnx'), '-o', join(dir, 'out'));
    expect(junk.code).toBe(1);
    expect(junk.err).toMatch(/error\[E_ONNX_FORMAT\]/);
  });

  it.runIf(hasTorchvision)("torchvision's ResNet-18, GoogLeNet and SqueezeNet from torch.onnx.export: clean .cnn files with PyTorch's logits", async () => {
    const dir = tempDir('import-tv');
    execFileSync(python, ['-c', `
import json, torch, torchvision.models as m
torch.manual_seed(3)
x = torch.rand(1, 3, 224, 224)
x.double().numpy().tofile('x.bin')
for name, f in [('resnet18', m.resnet18), ('googlenet', lambda: m.googlenet(aux_logits=False, init_weights=True)), ('squeezenet', m.squeezenet1_0)]:
    model = f().eval()
    for mod in model.modules():
        if isinstance(mod, torch.nn.BatchNorm2d):
            mod.running_mean.uniform_(-0.5, 0.5)
            mod.running_var.uniform_(0.5, 2)
    # As most scripts export (batchnorm folded into the convs, names lost), and keeping the modules.
    torch.onnx.export(model, x, f'{name}-folded.onnx', input_names=['image'], output_names=['logits'], dynamic_axes={'image': {0: 'N'}}, opset_version=13)
    torch.onnx.export(model, x, f'{name}.onnx', input_names=['image'], output_names=['logits'], dynamic_axes={'image': {0: 'N'}}, opset_version=13, training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
    json.dump(sorted(k for k in model.state_dict() if not k.endswith('num_batches_tracked')), open(f'{name}.keys.json', 'w'))
    with torch.no_grad():
        model.double()(x.double()).numpy().tofile(f'{name}.y.bin')
`], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    const x = Float32Array.from(new Float64Array(Uint8Array.from(readFileSync(join(dir, 'x.bin'))).buffer));
    const counts = { resnet18: 11_689_512, googlenet: 6_624_904, squeezenet: 1_248_424 } as Record<string, number>;
    const bnChannels = { resnet18: 4_800, googlenet: 7_280, squeezenet: 0 } as Record<string, number>;
    for (const name of ['resnet18', 'googlenet', 'squeezenet']) {
      for (const variant of [name, `${name}-folded`]) {
        const r = await run('import', join(dir, `${variant}.onnx`), '--name', name, '-o', join(dir, variant));
        expect(r.code, r.err).toBe(0);
        const text = readFileSync(join(dir, variant, `${name}.cnn`), 'utf8');
        const back = checked(`${name}.cnn`, text);
        // The repeated parts as blocks: the residual units, the nine inception modules, the eight fire modules.
        const want = { resnet18: ['# 5 instances', '# 3 instances'], googlenet: ['# 9 instances', 'block branches(c, c2, c3, c4, c5, c6)(x)'], squeezenet: ['# 8 instances', 'block branches(c, c2'] }[name]!;
        for (const w of want) expect(text, variant).toContain(w);
        const file = decodeSafetensors(readFileSync(join(dir, variant, `${name}.safetensors`)));
        const total = summarize(back.model, back.front.sources).totalParams;
        if (variant === name) {
          // Exported keeping the modules: torchvision's parameter count, and its state_dict names.
          expect(total, variant).toBe(counts[name]);
          expect(Object.keys(file.tensors).sort(), variant).toEqual(JSON.parse(readFileSync(join(dir, `${name}.keys.json`), 'utf8')));
          if (name === 'resnet18') expect(text).toContain('residual(64) * 2 as layer1');
        } else {
          // torch.onnx.export's default folds each batchnorm into the conv before it: a bias per
          // channel in place of its scale and shift.
          expect(total, variant).toBe(counts[name] - bnChannels[name]);
        }
        const session = await ModelSession.create(back.model, { batch: 1 });
        try {
          await session.setWeights(file.tensors as Record<string, WeightTensor>);
          const y = await session.forward(x, 1);
          const want64 = new Float64Array(Uint8Array.from(readFileSync(join(dir, `${name}.y.bin`))).buffer);
          expect(relError(y, want64), variant).toBeLessThan(1e-4);
        } finally {
          await session.destroy();
        }
      }
    }
  });
});
