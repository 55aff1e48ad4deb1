import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/ir/reference/testing.js';
import { tempDir } from '../train/data/tmp.js';
import { run } from './run.js';

/**
 * `cnnc train`, `eval` and `predict` as a user runs them, on data sets the tests write in the
 * real formats: CIFAR-10 binary batches and a folder of PNGs per class.
 */

/** CIFAR-10 records whose class is a bright band at rows 3k..3k+2 over noise. */
function cifarRecords(count: number, seed: number): Uint8Array {
  const rand = seededRandom(seed);
  const out = new Uint8Array(count * 3073);
  for (let i = 0; i < count; i++) {
    const k = Math.floor(rand() * 10);
    out[i * 3073] = k;
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) out[i * 3073 + 1 + c * 1024 + y * 32 + x] = Math.floor(rand() * 60) + (Math.floor(y / 3) === k ? 180 : 0);
      }
    }
  }
  return out;
}

function cifarDir(): string {
  const dir = tempDir('cifar-cli');
  for (let b = 1; b <= 5; b++) writeFileSync(join(dir, `data_batch_${b}.bin`), cifarRecords(48, b));
  writeFileSync(join(dir, 'test_batch.bin'), cifarRecords(60, 99));
  return dir;
}

function modelFile(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const CIFAR_MODEL = `model cifar_small(classes = 10) {
  input image: 3 x 32 x 32
  image -> conv(8, 3, stride: 2, pad: 1) -> relu -> maxpool(2) -> flatten -> dense(classes)
  train {
    loss: cross_entropy
    optimizer: adam(lr: 0.01)
    batch: 16
    epochs: 4
  }
}
`;

/** A w×w RGB PNG of stripes, horizontal or vertical, with noise. */
function stripes(path: string, horizontal: boolean, rand: () => number, w = 12): void {
  const png = new PNG({ width: w, height: w });
  for (let y = 0; y < w; y++) {
    for (let x = 0; x < w; x++) {
      const on = (horizontal ? y : x) % 4 < 2;
      const v = Math.min(255, Math.floor((on ? 170 : 20) + rand() * 60));
      png.data.set([v, v, v, 255], (y * w + x) * 4);
    }
  }
  writeFileSync(path, PNG.sync.write(png));
}

function imageFolder(): string {
  const root = tempDir('images-cli');
  const rand = seededRandom(3);
  for (const [cls, horizontal] of [['horizontal', true], ['vertical', false]] as const) {
    mkdirSync(join(root, cls));
    for (let i = 0; i < 24; i++) stripes(join(root, cls, `${i}.png`), horizontal, rand, 12 + (i % 3) * 4);
  }
  return root;
}

const STRIPES_MODEL = `model stripes(classes = 2) {
  input image: 3 x 12 x 12
  image -> conv(4, 3) -> relu -> flatten -> dense(classes)
  train {
    optimizer: adam(lr: 0.02)
    batch: 8
    epochs: 5
  }
}
`;

describe('cnnc train / eval / predict', { timeout: 240_000 }, () => {
  it('trains a CIFAR-10-shaped network on CIFAR binary batches, and eval reproduces its test score', async () => {
    const data = cifarDir();
    const dir = tempDir('cifar-run');
    const file = modelFile(dir, 'cifar_small.cnn', CIFAR_MODEL);
    const out = join(dir, 'run');
    const r = await run('train', file, '--data', `cifar10:${data}`, '--out', out);
    expect(r.err).toMatch(/training cifar_small on cifar10:.*: 240 images, validating on 60 \(test\)/);
    expect(r.code, r.err).toBe(0);
    for (const f of ['model.safetensors', 'checkpoint.safetensors', 'metrics.json', 'curves.svg']) expect(existsSync(join(out, f)), f).toBe(true);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as { steps: { loss: number }[]; epochs: { trainLoss: number }[]; test: { accuracy: number } };
    expect(metrics.steps).toHaveLength(4 * 15);
    expect(metrics.epochs.at(-1)!.trainLoss).toBeLessThan(metrics.epochs[0].trainLoss);
    expect(metrics.test.accuracy).toBeGreaterThan(0.5);
    expect(r.out).toContain(`test accuracy ${(100 * metrics.test.accuracy).toFixed(2)}% on 60 images`);
    expect(readFileSync(join(out, 'curves.svg'), 'utf8')).toMatch(/<svg[\s\S]*<path d="M/);

    const e = await run('eval', file, '--weights', join(out, 'model.safetensors'), '--data', `cifar10:${data}`, '--json');
    expect(e.code, e.err).toBe(0);
    const scored = JSON.parse(e.out) as { accuracy: number; count: number; top5: number; confusion: number[][]; classes: string[] };
    expect(scored.count).toBe(60);
    expect(scored.accuracy).toBeCloseTo(metrics.test.accuracy, 10);
    expect(scored.top5).toBeGreaterThanOrEqual(scored.accuracy);
    expect(scored.confusion.flat().reduce((a, b) => a + b, 0)).toBe(60);
    expect(scored.classes[0]).toBe('airplane');
  });

  it('trains on an image folder and predicts the class of new images by name', async () => {
    const data = imageFolder();
    const dir = tempDir('stripes-run');
    const file = modelFile(dir, 'stripes.cnn', STRIPES_MODEL);
    const out = join(dir, 'run');
    const r = await run('train', file, '--data', `images:${data}`, '--out', out, '--seed', '4');
    expect(r.code, r.err).toBe(0);
    const rand = seededRandom(77);
    const h = join(dir, 'h.png');
    const v = join(dir, 'v.png');
    stripes(h, true, rand, 20);
    stripes(v, false, rand, 20);
    const p = await run('predict', file, '--weights', join(out, 'model.safetensors'), h, v, '--json');
    expect(p.code, p.err).toBe(0);
    const results = JSON.parse(p.out) as { image: string; top: { class: string; probability: number }[] }[];
    expect(results.map((x) => x.top[0].class)).toEqual(['horizontal', 'vertical']);
    for (const x of results) expect(x.top.reduce((a, t) => a + t.probability, 0)).toBeCloseTo(1, 5);
  });

  it('reports bad data and bad checkpoints as one error line with exit code 1', async () => {
    const dir = tempDir('bad');
    const file = modelFile(dir, 'cifar_small.cnn', CIFAR_MODEL);
    const missing = await run('train', file, '--data', `cifar10:${join(dir, 'nowhere')}`);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^\S*nowhere\S*: error\[E_DATA_MISSING\]: /m);

    const mnistShaped = await run('train', 'examples/lenet5.cnn', '--data', `cifar10:${cifarDir()}`);
    expect(mnistShaped.code).toBe(1);
    expect(mnistShaped.err).toMatch(/error\[E_DATA_IMAGE\]: .*holds 3×32×32 images but the model's input is 1×28×28/);

    const three = modelFile(dir, 'three.cnn', CIFAR_MODEL.replace('classes = 10', 'classes = 3'));
    const labels = await run('train', three, '--data', `cifar10:${cifarDir()}`);
    expect(labels.code).toBe(1);
    expect(labels.err).toMatch(/error\[E_DATA_LABEL\]: .*10 classes but cifar_small has 3 outputs/);

    const corrupt = join(dir, 'mnist');
    mkdirSync(corrupt);
    writeFileSync(join(corrupt, 'train-images-idx3-ubyte'), new Uint8Array([0, 0, 8, 3, 0, 0, 0, 5]));
    writeFileSync(join(corrupt, 'train-labels-idx1-ubyte'), new Uint8Array([0, 0, 8, 1, 0, 0, 0, 5, 1, 2]));
    writeFileSync(join(corrupt, 't10k-images-idx3-ubyte'), new Uint8Array([0, 0, 8, 3, 0, 0, 0, 5]));
    writeFileSync(join(corrupt, 't10k-labels-idx1-ubyte'), new Uint8Array([0, 0, 8, 1, 0, 0, 0, 5, 1, 2]));
    const broken = await run('train', 'examples/lenet5.cnn', '--data', `mnist:${corrupt}`);
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/train-images-idx3-ubyte: error\[E_DATA_FORMAT\]: file ends inside the IDX header/);

    const notCheckpoint = join(dir, 'resume');
    mkdirSync(notCheckpoint);
    writeFileSync(join(notCheckpoint, 'checkpoint.safetensors'), 'garbage');
    const resume = await run('train', file, '--data', `cifar10:${cifarDir()}`, '--resume', notCheckpoint);
    expect(resume.code).toBe(1);
    expect(resume.err).toMatch(/checkpoint.safetensors: error\[E_CHECKPOINT\]: is not a valid safetensors file/);

    const wild = await run('train', modelFile(dir, 'stripes.cnn', STRIPES_MODEL), '--data', `images:${imageFolder()}`, '--lr', '1e30', '--out', join(dir, 'wild'));
    expect(wild.code).toBe(1);
    expect(wild.err).toMatch(/error\[E_NONFINITE_LOSS\]: the loss became .* at step \d+ \(epoch 1, batch \d+\); the first non-finite value is in (layer|parameter) /);
    // Placed at the layer in the .cnn file when the culprit is one, with the fix.
    if (/is in layer/.test(wild.err)) expect(wild.err).toMatch(/stripes\.cnn:\d+:\d+: error\[E_NONFINITE_LOSS\]/);
    expect(wild.err).toMatch(/^ {2}help: try a lower --lr$/m);

    const usage = await run('train', file);
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/no data: pass --data/);
  });

  it('Ctrl-C saves a checkpoint, exits 130, and --resume finishes the run', async () => {
    const data = imageFolder();
    const dir = tempDir('sigint');
    const file = modelFile(dir, 'stripes.cnn', STRIPES_MODEL.replace('epochs: 5', 'epochs: 400'));
    const out = join(dir, 'run');
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/cnnc-dev.ts', 'train', file, '--data', `images:${data}`, '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        if (/epoch 3\/400/.test(err) && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', (c) => resolve(c));
    });
    expect(code, err).toBe(130);
    expect(err).toMatch(/stopped; checkpoint saved in .*checkpoint.safetensors\. Continue with: cnnc train .* --resume/);
    const resumed = await run('train', file, '--data', `images:${data}`, '--resume', out, '--epochs', '6');
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.err).toMatch(/resuming at epoch \d+, batch \d+ \(step \d+\)/);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as { epochs: { epoch: number }[] };
    expect(metrics.epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
