import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelTensors, readSafetensorsFile } from '../../src/train/checkpoint.js';
import { compareNames, matchWeights } from '../../src/train/import-weights.js';
import { decodeSafetensors, encodeSafetensors, type TensorInput } from '../../src/train/safetensors.js';
import { CheckpointError } from '../../src/train/errors.js';
import { cleanModel } from '../helpers.js';
import { tempDir } from './data/tmp.js';

/**
 * PyTorch state_dicts saved with safetensors come back as the model's weights: by name when the
 * .cnn names them as PyTorch does, by order of same-shaped tensors when they do not, and with an
 * error naming the tensor when nothing fits.
 */
const model = cleanModel(`model net {
  input x: 3 x 8 x 8
  x -> conv(4, 3, pad: 1) -> batchnorm -> relu -> conv(6, 3) -> relu -> flatten -> dense(5)
}`);

/** What `safetensors.torch.save_file(model.state_dict())` holds for this model, names as given. */
function stateDict(names: (n: string) => string): Record<string, TensorInput> {
  const out: Record<string, TensorInput> = {};
  let k = 1;
  for (const t of modelTensors(model)) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    out[names(t.name)] = { shape: t.shape, data: Float32Array.from({ length: n }, () => k++) };
  }
  out[names('bn1.num_batches_tracked')] = { shape: [], data: BigInt64Array.from([7n]) };
  return out;
}

describe('importing PyTorch weights', () => {
  it('round-trips the model tensors under PyTorch names, with I64 counters ignored', () => {
    const sd = stateDict((n) => n);
    const m = matchWeights(modelTensors(model), decodeSafetensors(encodeSafetensors(sd)), 'w.safetensors');
    expect(m.byOrder).toEqual([]);
    expect(m.unused).toEqual(['bn1.num_batches_tracked']);
    for (const t of modelTensors(model)) {
      expect(m.weights[t.name].shape).toEqual(t.shape);
      expect(Array.from(m.weights[t.name].data)).toEqual(Array.from(sd[t.name].data as Float32Array));
    }
  });

  it("strips DataParallel's module. prefix", () => {
    const sd = stateDict((n) => `module.${n}`);
    const m = matchWeights(modelTensors(model), decodeSafetensors(encodeSafetensors(sd)), 'w.safetensors');
    expect(m.byOrder).toEqual([]);
    expect(m.weights['conv2.weight'].data[0]).toBe((sd['module.conv2.weight'].data as Float32Array)[0]);
  });

  it('matches by order of same-shaped tensors when names differ (nn.Sequential indices)', () => {
    // torch.nn.Sequential numbers its layers: conv 0, bn 1, relu 2, conv 3, relu 4, flatten 5, linear 6.
    const seqName: Record<string, string> = { conv1: 'features.0', bn1: 'features.1', conv2: 'features.3', fc1: 'classifier.6' };
    const rename = (n: string) => {
      const [layer, ...rest] = n.split('.');
      return [seqName[layer] ?? layer, ...rest].join('.');
    };
    const names = modelTensors(model).map((t) => t.name);
    expect(names).toContain('fc1.weight');
    const sd = stateDict(rename);
    const m = matchWeights(modelTensors(model), decodeSafetensors(encodeSafetensors(sd)), 'w.safetensors');
    expect(m.byOrder.map((p) => `${p.model}<-${p.file}`)).toEqual(names.map((n) => `${n}<-${rename(n)}`));
    for (const n of names) expect(Array.from(m.weights[n].data)).toEqual(Array.from(sd[rename(n)].data as Float32Array));
  });

  it('does not ask for the constant γ/β of a batchnorm without affine parameters', () => {
    const plain = cleanModel(`model plain {\n  input x: 3 x 8 x 8\n  x -> conv(4, 3) -> batchnorm(affine: false) -> relu -> flatten -> dense(2)\n}`);
    const names = modelTensors(plain).map((t) => t.name);
    expect(names).toEqual(['conv1.weight', 'conv1.bias', 'bn1.running_mean', 'bn1.running_var', 'fc1.weight', 'fc1.bias']);
  });

  it('orders names naturally, and a layer’s tensors as PyTorch does', () => {
    const sorted = ['layer10.0.weight', 'layer2.1.bias', 'layer2.1.running_var', 'layer2.1.weight', 'layer2.1.running_mean'].sort(compareNames);
    expect(sorted).toEqual(['layer2.1.weight', 'layer2.1.bias', 'layer2.1.running_mean', 'layer2.1.running_var', 'layer10.0.weight']);
  });

  it('says which tensor does not fit, by name or by shape', () => {
    const sd = stateDict((n) => n);
    sd['conv2.weight'] = { shape: [6, 4, 5, 5], data: new Float32Array(600) };
    expect(() => matchWeights(modelTensors(model), decodeSafetensors(encodeSafetensors(sd)), 'w.safetensors')).toThrow(
      /conv2.weight is 6×4×5×5 but the model's conv2.weight is 6×4×3×3/,
    );
    const renamed = stateDict((n) => `x.${n.replace('conv2', 'other')}`);
    renamed['x.other.weight'] = { shape: [6, 4, 5, 5], data: new Float32Array(600) };
    const err = (() => {
      try {
        matchWeights(modelTensors(model), decodeSafetensors(encodeSafetensors(renamed)), 'w.safetensors');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as Error).message).toMatch(/no tensor for the model's conv2.weight \(6×4×3×3\)/);
  });

  it('turns unreadable and malformed files into errors that name the file', () => {
    const dir = tempDir('weights');
    expect(() => readSafetensorsFile(join(dir, 'missing.safetensors'))).toThrow(/missing.safetensors: file not found/);
    const bad = join(dir, 'bad.safetensors');
    writeFileSync(bad, 'not a safetensors file at all');
    expect(() => readSafetensorsFile(bad)).toThrow(/bad.safetensors: is not a valid safetensors file/);
  });
});
