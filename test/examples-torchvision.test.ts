import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFrontEnd } from '../src/compiler.js';
import { ModelSession, type WeightTensor } from '../src/engine/session.js';
import { checkWeights, requiredWeights } from '../src/engine/weights.js';
import { nodeHost } from '../src/host.js';
import { lowerModel } from '../src/ir/lower.js';
import { relError } from '../src/ir/reference/testing.js';
import { readWeightsFile } from '../src/train/checkpoint.js';
import { tempDir } from './train/data/tmp.js';
import { hasTorchvision, python } from './torch.js';

/**
 * The examples that mirror torchvision models name their layers as torchvision's state_dict does,
 * so `torchvision.models.<name>().state_dict()` loads into them by name: the same keys with the
 * same shapes, and (for three of them, run on WebGPU) the same logits as torchvision in float64.
 * VGG-16 and MobileNetV2 keep readable names instead: torchvision numbers their layers by position
 * in one nn.Sequential, which a repeated block cannot reproduce.
 */

const MODELS: Record<string, string> = {
  alexnet: 'm.alexnet()',
  resnet18: 'm.resnet18()',
  resnet50: 'm.resnet50()',
  googlenet: 'm.googlenet(aux_logits=False, init_weights=True)',
  squeezenet: 'm.squeezenet1_0()',
};

function example(name: string) {
  const path = join('examples', `${name}.cnn`);
  const r = compileFrontEnd(path, readFileSync(path, 'utf8'), nodeHost);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.models[0];
}

// Without Debian's python3-torchvision there are no torchvision models (CI installs it and sets CNNC_REQUIRE_TORCH=1).
describe.runIf(hasTorchvision)('torchvision weights load into the examples by name', { timeout: 600_000 }, () => {
  it("every mirrored example has torchvision's state_dict keys and shapes", () => {
    const code = `import json, torchvision.models as m\nprint(json.dumps({n: {k: list(v.shape) for k, v in f.state_dict().items() if not k.endswith('num_batches_tracked')} for n, f in [${Object.entries(MODELS).map(([n, f]) => `(${JSON.stringify(n)}, ${f})`).join(', ')}]}))`;
    const theirs = JSON.parse(execFileSync(python, ['-c', code], { encoding: 'utf8', maxBuffer: 1 << 26 })) as Record<string, Record<string, number[]>>;
    for (const name of Object.keys(MODELS)) {
      const ours = Object.fromEntries(requiredWeights(lowerModel(example(name), { mode: 'infer' })).map((t) => [t.name, [...t.shape]]));
      expect(Object.keys(ours).sort(), name).toEqual(Object.keys(theirs[name]).sort());
      expect(ours, name).toEqual(theirs[name]);
    }
  });

  it("with torchvision's weights (saved by torch.save), cnnc on WebGPU gives torchvision's logits", async () => {
    const dir = tempDir('torchvision');
    const names = ['squeezenet', 'googlenet', 'resnet18'];
    // Random weights, running statistics moved off 0 and 1, one image; float64 logits in eval mode.
    execFileSync(python, ['-c', `
import torch, torchvision.models as m
torch.manual_seed(7)
x = torch.rand(1, 3, 224, 224)
x.double().numpy().tofile('x.bin')
for name, f in [${names.map((n) => `(${JSON.stringify(n)}, lambda: ${MODELS[n]})`).join(', ')}]:
    model = f().eval()
    for mod in model.modules():
        if isinstance(mod, torch.nn.BatchNorm2d):
            mod.running_mean.uniform_(-0.5, 0.5)
            mod.running_var.uniform_(0.5, 2)
    torch.save(model.state_dict(), f'{name}.pth')
    with torch.no_grad():
        model.double()(x.double()).numpy().tofile(f'{name}.y.bin')
`], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
    const x = Float32Array.from(new Float64Array(Uint8Array.from(readFileSync(join(dir, 'x.bin'))).buffer));
    for (const name of names) {
      const model = example(name);
      const file = readWeightsFile(join(dir, `${name}.pth`));
      const weights: Record<string, WeightTensor> = {};
      for (const [k, t] of Object.entries(file.tensors)) if (t.dtype !== 'I64') weights[k] = { shape: t.shape, data: t.data as Float32Array };
      // By name, with nothing left over: checkWeights throws on a missing or misshapen tensor.
      const graph = lowerModel(model, { mode: 'infer' });
      checkWeights(graph, weights);
      expect(Object.keys(weights).sort()).toEqual(requiredWeights(graph).map((t) => t.name).sort());
      const session = await ModelSession.create(model, { batch: 1 });
      try {
        await session.setWeights(weights);
        const y = await session.forward(x, 1);
        const want = new Float64Array(Uint8Array.from(readFileSync(join(dir, `${name}.y.bin`))).buffer);
        expect(y.every(Number.isFinite), name).toBe(true);
        expect(relError(y, want), name).toBeLessThan(1e-4);
      } finally {
        await session.destroy();
      }
    }
  });
});
