import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { hasTorch, python } from '../torch.js';
import { compileFrontEnd } from '../../src/compiler.js';
import { CnncError } from '../../src/diagnostics/run-error.js';
import { exportPyTorch } from '../../src/export/pytorch.js';
import { nodeHost } from '../../src/host.js';
import { readWeightsFile } from '../../src/train/checkpoint.js';
import { CheckpointError } from '../../src/train/errors.js';
import { encodeTorchZip } from '../../src/train/torch-save.js';
import { decodeWeightFile, weightsOf } from '../../src/train/weight-file.js';
import { run } from '../cli/run.js';
import { tempDir } from './data/tmp.js';

/**
 * State dicts saved by torch.save, read through the restricted unpickler: the values PyTorch
 * wrote (float32, float64, float16, int64, a transposed tensor), a .pth that loads into `cnnc
 * predict`, a pickle that names code to run refused without running it, and the legacy format.
 */

const py = (code: string, cwd: string) => execFileSync(python, ['-c', code], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

// Without Debian's python3-torch there is nothing to write the files (CI installs it and sets CNNC_REQUIRE_TORCH=1).
describe.runIf(hasTorch)('PyTorch state dicts', { timeout: 120_000 }, () => {
  it('reads the values torch.save wrote, whatever the dtype and layout', () => {
    const dir = tempDir('pt');
    py(`
import torch, json, collections
torch.manual_seed(1)
w = torch.randn(3, 4, dtype=torch.float64)
sd = collections.OrderedDict(a=torch.randn(2, 3), b=w.t(), c=torch.randn(5).half(), d=torch.tensor(7), e=torch.randn(4, 6)[1:3, ::2])
torch.save(sd, 'sd.pth')
json.dump({k: v.float().flatten().tolist() for k, v in sd.items()}, open('sd.json', 'w'))
json.dump({k: list(v.shape) for k, v in sd.items()}, open('shapes.json', 'w'))
`, dir);
    const want = JSON.parse(readFileSync(join(dir, 'sd.json'), 'utf8')) as Record<string, number[]>;
    const shapes = JSON.parse(readFileSync(join(dir, 'shapes.json'), 'utf8')) as Record<string, number[]>;
    const got = readWeightsFile(join(dir, 'sd.pth')).tensors;
    expect(Object.keys(got)).toEqual(['a', 'b', 'c', 'd', 'e']);
    for (const k of ['a', 'b', 'c', 'e']) {
      expect(got[k].shape, k).toEqual(shapes[k]);
      expect(Array.from(got[k].data as Float32Array), k).toEqual(want[k].map((v) => Math.fround(v)));
    }
    expect(got.d.dtype).toBe('I64');
    expect(Array.from(got.d.data as BigInt64Array)).toEqual([7n]);
  });

  it('a .pth from PyTorch loads into cnnc predict by name, and predicts as PyTorch does', async () => {
    const dir = tempDir('pth');
    const path = 'examples/lenet5.cnn';
    const front = compileFrontEnd(path, readFileSync(path, 'utf8'), nodeHost);
    writeFileSync(join(dir, 'model.py'), exportPyTorch(front.models[0], front).source);
    const png = new PNG({ width: 28, height: 28 });
    for (let i = 0; i < 28 * 28; i++) png.data.set(i % 5 === 0 ? [255, 255, 255, 255] : [0, 0, 0, 255], i * 4);
    writeFileSync(join(dir, 'x.png'), PNG.sync.write(png));
    const top = py(`
import torch, model
torch.manual_seed(3)
m = model.build_model().eval()
torch.save(m.state_dict(), 'lenet.pth')
x = torch.tensor([[(255.0 if i % 5 == 0 else 0.0) / 255 for i in range(784)]]).reshape(1, 1, 28, 28)
x = (x - 0.1307) / 0.3081
p = torch.softmax(m(x), 1)[0]
print(int(p.argmax()), float(p.max()))
`, dir).trim().split(' ');
    const r = await run('predict', path, '--weights', join(dir, 'lenet.pth'), join(dir, 'x.png'), '--json');
    expect(r.err).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const [first] = (JSON.parse(r.out) as { top: { index: number; probability: number }[] }[])[0].top;
    expect(first.index).toBe(Number(top[0]));
    expect(first.probability).toBeCloseTo(Number(top[1]), 5);
  });

  it('refuses a pickle that names code to run, without running it, naming the global', async () => {
    const dir = tempDir('evil');
    py(`
import pickle, zipfile, os
class Evil:
    def __reduce__(self):
        return (os.system, ('touch pwned',))
with zipfile.ZipFile('evil.pth', 'w') as z:
    z.writestr('evil/data.pkl', pickle.dumps({'conv1.weight': Evil()}, protocol=2))
    z.writestr('evil/version', '3')
`, dir);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    let e: unknown;
    try {
      readWeightsFile(join(dir, 'evil.pth'));
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(CnncError);
    expect((e as CnncError).code).toBe('E_PT_UNSAFE');
    expect((e as CnncError).message).toMatch(/names the global (posix|os)\.system/);
    const r = await run('predict', 'examples/lenet5.cnn', '--weights', join(dir, 'evil.pth'), join(dir, 'none.png'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/evil\.pth: error\[E_PT_UNSAFE\]/);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
  });

  it('writes state dicts torch.load reads (weights_only too), and cnnc train --save-format pt writes model.pt', async () => {
    const dir = tempDir('pt-write');
    const rand = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + k) * 3.7);
    const tensors = { 'layer1.0.conv1.weight': { shape: [4, 3, 3, 3], data: rand(108, 1) }, 'bn1.running_var': { shape: [300], data: rand(300, 2) }, 'fc.bias': { shape: [1], data: rand(1, 3) } };
    writeFileSync(join(dir, 'w.pt'), encodeTorchZip(tensors));
    const got = JSON.parse(py(`
import torch, json
a = torch.load('w.pt')
b = torch.load('w.pt', weights_only=True)
assert type(a).__name__ == 'OrderedDict' and list(a) == list(b)
assert all(torch.equal(a[k], b[k]) and a[k].is_contiguous() and a[k].dtype == torch.float32 for k in a)
print(json.dumps({k: {'shape': list(v.shape), 'data': v.flatten().tolist()} for k, v in a.items()}))
`, dir)) as Record<string, { shape: number[]; data: number[] }>;
    expect(Object.keys(got)).toEqual(Object.keys(tensors));
    for (const [k, t] of Object.entries(tensors)) {
      expect(got[k].shape, k).toEqual(t.shape);
      expect(got[k].data, k).toEqual(Array.from(t.data));
    }
    // Back through cnnc's own reader, bit for bit.
    const back = readWeightsFile(join(dir, 'w.pt')).tensors;
    for (const [k, t] of Object.entries(tensors)) expect(Array.from(back[k].data as Float32Array), k).toEqual(Array.from(t.data));
    // From bytes (what a browser or a compiled module's user has): a state dict PyTorch wrote, as setWeights takes it.
    py(`import torch, collections; torch.save(collections.OrderedDict([('bn.weight', torch.ones(3)), ('bn.num_batches_tracked', torch.tensor(5))]), 'bn.pth')`, dir);
    const forModule = weightsOf(decodeWeightFile(readFileSync(join(dir, 'bn.pth')), 'bn.pth'));
    expect(Object.keys(forModule)).toEqual(['bn.weight']);
    expect(Array.from(forModule['bn.weight'].data)).toEqual([1, 1, 1]);
    expect(() => decodeWeightFile(new Uint8Array([1, 2, 3]), 'junk.bin')).toThrow(/junk\.bin: is not a valid safetensors file/);

    const data = join(dir, 'data');
    for (const cls of ['a', 'b']) {
      mkdirSync(join(data, cls), { recursive: true });
      for (let i = 0; i < 4; i++) {
        const png = new PNG({ width: 4, height: 4 });
        for (let p = 0; p < 16; p++) png.data.set(cls === 'a' ? [250, 250, 250, 255] : [5, 5, 5, 255], p * 4);
        writeFileSync(join(data, cls, `${i}.png`), PNG.sync.write(png));
      }
    }
    const file = join(dir, 'tiny.cnn');
    writeFileSync(file, 'model tiny {\n  input x: 1 x 4 x 4\n  x -> conv(2, 3, pad: 1) -> batchnorm -> relu -> flatten -> dense(2)\n}\n');
    const trained = await run('train', file, '--data', `images:${data}`, '--epochs', '1', '--batch', '4', '--out', join(dir, 'run'), '--save-format', 'pt');
    expect(trained.code, trained.err).toBe(0);
    expect(trained.out).toMatch(/weights: .*run\/model\.pt/);
    expect(existsSync(join(dir, 'run', 'model.safetensors'))).toBe(false);
    const keys = py(`import torch; print(' '.join(torch.load('run/model.pt', weights_only=True)))`, dir).trim().split(' ');
    expect(keys).toEqual(['conv1.weight', 'conv1.bias', 'bn1.weight', 'bn1.bias', 'bn1.running_mean', 'bn1.running_var', 'fc1.weight', 'fc1.bias']);
    const evaluated = await run('eval', file, '--weights', join(dir, 'run', 'model.pt'), '--data', `images:${data}`, '--json');
    expect(evaluated.code, evaluated.err).toBe(0);
    expect((JSON.parse(evaluated.out) as { count: number }).count).toBe(8);
  });

  it('explains the legacy format instead of misreading it', () => {
    const dir = tempDir('legacy');
    py(`
import torch
torch.save({'w': torch.ones(2)}, 'old.pt', _use_new_zipfile_serialization=False)
`, dir);
    expect(() => readWeightsFile(join(dir, 'old.pt'))).toThrow(CheckpointError);
    expect(() => readWeightsFile(join(dir, 'old.pt'))).toThrow(/legacy torch.save format/);
  });
});
