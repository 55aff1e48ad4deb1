import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../../src/train/data/dataset.js';
import { loadCheckpoint } from '../../src/train/checkpoint.js';
import { train, type TrainSetup } from '../../src/train/trainer.js';
import { BatchTooLargeError, ModelSession } from '../../src/engine/session.js';
import { CheckpointError } from '../../src/train/errors.js';
import { seededRandom } from '../../src/ir/reference/testing.js';
import { cleanModel } from '../helpers.js';
import { tempDir } from './data/tmp.js';

/**
 * The training loop on the WebGPU adapter with a small model and synthetic data: resuming gives
 * the run an uninterrupted one gives, Ctrl-C (an abort) saves a resumable checkpoint, a diverging
 * loss is stopped and its layer named, and impossible batches are refused before allocating.
 */
const SOURCE = `model tiny(classes = 3) {
  input x: 2 x 8 x 6
  x -> conv(4, 3, pad: 1) -> batchnorm -> relu -> maxpool(2) -> dropout(0.25) -> flatten -> dense(classes)
  train {
    loss: cross_entropy
    optimizer: adam(lr: 0.01)
    batch: 8
    epochs: 3
    augment: [translate(pixels: 1)]
    seed: 5
  }
}`;

/** Three classes that differ in where the bright blob is, plus noise: learnable in a few epochs. */
function blobs(n: number, seed: number): Dataset {
  const rand = seededRandom(seed);
  const size = 2 * 8 * 6;
  const images = new Float32Array(n * size);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const y = i % 3;
    labels[i] = y;
    for (let j = 0; j < size; j++) {
      const col = j % 6;
      images[i * size + j] = 0.3 * rand() + (Math.floor(col / 2) === y ? 0.7 : 0);
    }
  }
  return { images, labels, shape: [2, 8, 6], classes: 3 };
}

const model = cleanModel(SOURCE);
const config = model.training!;
const data = blobs(60, 11);

function setup(extra: Partial<TrainSetup> = {}): TrainSetup {
  return { model, config, train: data, validation: { data: blobs(30, 12), split: 'validation' }, ...extra };
}

describe('training loop', { timeout: 180_000 }, () => {
  it('learns, and a run resumed from an epoch checkpoint ends with the same weights as an uninterrupted one', async () => {
    const whole = await train(setup({ outDir: tempDir('whole') }));
    expect(whole.status).toBe('done');
    const epochs = whole.metrics.epochs;
    expect(epochs).toHaveLength(3);
    expect(epochs[2].trainLoss).toBeLessThan(epochs[0].trainLoss);
    expect(epochs[2].validationAccuracy).toBeGreaterThan(0.8);
    // Training accuracy comes from the training step's own logits (with augmentation and
    // dropout on, so below validation's), read back after the step; chance is 1/3.
    expect(epochs[2].trainAccuracy).toBeGreaterThan(0.6);
    expect(whole.metrics.steps).toHaveLength(3 * 7);

    const dir = tempDir('resumed');
    const first = await train(setup({ outDir: dir, config: { ...config, epochs: 1 } }));
    expect(first.status).toBe('done');
    const ckpt = loadCheckpoint(join(dir, 'checkpoint.safetensors'), model);
    expect(ckpt.position).toEqual({ step: 7, epoch: 1, batch: 0 });
    expect(Object.keys(ckpt.optimizer).sort()).toEqual(['m', 'v']);
    const rest = await train(setup({ outDir: dir, resume: ckpt }));
    expect(rest.status).toBe('done');
    for (const [name, w] of Object.entries(whole.final)) expect(Array.from(rest.final[name].data), name).toEqual(Array.from(w.data));
    // The metrics file of the resumed run reads as one run.
    const m = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as { steps: unknown[]; epochs: { epoch: number }[] };
    expect(m.steps).toHaveLength(21);
    expect(m.epochs.map((e) => e.epoch)).toEqual([0, 1, 2]);
  });

  it('trains with mean squared error against one-hot targets', async () => {
    const mse = cleanModel(SOURCE.replace('loss: cross_entropy', 'loss: mse'));
    const r = await train(setup({ model: mse, config: mse.training! }));
    expect(r.status).toBe('done');
    const [first, , last] = r.metrics.epochs;
    expect(last.trainLoss).toBeLessThan(first.trainLoss);
    expect(last.validationAccuracy).toBeGreaterThan(0.8);
  });

  it('an abort mid-epoch saves a checkpoint from which the run continues exactly', async () => {
    const whole = await train(setup({ config: { ...config, epochs: 2 } }));
    const dir = tempDir('abort');
    const aborter = new AbortController();
    let steps = 0;
    const stopped = await train(setup({ outDir: dir, config: { ...config, epochs: 2 }, signal: aborter.signal }), {
      onStep: () => {
        if (++steps === 10) aborter.abort();
      },
    });
    expect(stopped.status).toBe('interrupted');
    const ckpt = loadCheckpoint(join(dir, 'checkpoint.safetensors'), model);
    expect(ckpt.position).toEqual({ step: 10, epoch: 1, batch: 3 });
    const rest = await train(setup({ outDir: dir, config: { ...config, epochs: 2 }, resume: ckpt }));
    for (const [name, w] of Object.entries(whole.final)) expect(Array.from(rest.final[name].data), name).toEqual(Array.from(w.data));
  });

  it('stops when the loss stops being finite and names the layer where it broke', async () => {
    // No relu here: on the GPU, max(NaN, 0) may return 0 and hide the overflow.
    const plain = cleanModel(SOURCE.replace('-> batchnorm -> relu -> maxpool(2) -> dropout(0.25) ', '-> maxpool(2) '));
    // With all-ones 3×3 kernels, inputs of 3e38 sum past float32's largest value in conv1.
    const huge: Dataset = { ...data, images: new Float32Array(data.images.length).fill(3e38) };
    const weights = { 'conv1.weight': { shape: [4, 2, 3, 3], data: new Float32Array(72).fill(1) } };
    const r = await train(setup({ model: plain, outDir: tempDir('nan'), train: huge, validation: undefined, initialWeights: weights, config: { ...config, augment: [], seed: 1 } }));
    expect(r.status).toBe('diverged');
    expect(r.nonFinite?.where).toMatchObject({ kind: 'layer', name: 'conv1', op: 'conv2d' });
    // The very first step failed: there is no good state to keep.
    expect(r.checkpoint).toBeUndefined();
  });

  it('refuses data holding NaN before training, naming the image', async () => {
    const bad: Dataset = { ...data, images: data.images.map((v, i) => (i === 200 ? NaN : v)) };
    await expect(train(setup({ train: bad }))).rejects.toThrow(/image 2 holds NaN at value 8/);
  });

  it('a diverging run saves the weights of the last step whose loss was finite', async () => {
    const dir = tempDir('diverge');
    const wild = { ...config, optimizer: { ...config.optimizer, name: 'sgd' as const, lr: 1e6, momentum: 0.9, nesterov: false, weight_decay: 0 }, augment: [] };
    const r = await train(setup({ outDir: dir, config: wild, validation: undefined }));
    expect(r.status).toBe('diverged');
    expect(r.nonFinite!.step).toBeGreaterThan(0);
    expect(r.nonFinite!.where?.kind).toMatch(/layer|parameter/);
    const good = loadCheckpoint(join(dir, 'checkpoint.safetensors'), model);
    expect(good.position.step).toBe(r.nonFinite!.step - 1);
    for (const w of Object.values(good.weights)) expect(w.data.every(Number.isFinite)).toBe(true);
  });

  it('refuses a batch larger than the device can bind, naming the tensor and the largest batch that fits', async () => {
    const big = cleanModel(`model big {\n  input x: 64 x 512 x 512\n  x -> conv(64, 3, pad: 1) -> relu -> globalavgpool -> flatten -> dense(2)\n}`);
    const err = await ModelSession.create(big, { batch: 4096 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BatchTooLargeError);
    const e = err as BatchTooLargeError;
    expect(e.maxBatch).toBeGreaterThan(0);
    expect(e.maxBatch).toBeLessThan(4096);
    expect(e.help).toBe(`the largest batch that fits is ${e.maxBatch}`);
    expect(64 * 512 * 512 * 4 * (e.maxBatch + 1)).toBeGreaterThan(e.limit);
  });

  it('refuses to resume from the checkpoint of another model', async () => {
    const dir = tempDir('other');
    await train(setup({ outDir: dir, config: { ...config, epochs: 1 } }));
    const other = cleanModel(SOURCE.replace('conv(4, 3', 'conv(5, 3'));
    expect(() => loadCheckpoint(join(dir, 'checkpoint.safetensors'), other)).toThrow(CheckpointError);
    expect(() => loadCheckpoint(join(dir, 'checkpoint.safetensors'), other)).toThrow(/conv1.weight is 4×2×3×3 in the file but 5×2×3×3 in the model/);
  });
});
