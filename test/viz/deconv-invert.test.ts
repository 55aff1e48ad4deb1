import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { WeightTensor } from '../../src/engine/session.js';
import { differentiate } from '../../src/ir/autodiff.js';
import { numel } from '../../src/ir/graph.js';
import { lowerModel } from '../../src/ir/lower.js';
import { runGraph } from '../../src/ir/reference/run.js';
import { randomArray, relError, seededRandom } from '../../src/ir/reference/testing.js';
import { encodeSafetensors } from '../../src/train/safetensors.js';
import { strongestActivations, supportBox } from '../../src/viz/deconv.js';
import { deconvolve, invertAt, type Subject } from '../../src/viz/explain.js';
import { inputMapping } from '../../src/viz/input.js';
import { totalVariation } from '../../src/viz/invert.js';
import { run } from '../cli/run.js';
import { tempDir } from '../train/data/tmp.js';
import { cleanModel } from '../helpers.js';
import { litImage, probesOnOneDevice, weightsFor } from './models.js';

/**
 * Deconvolution (Zeiler and Fergus) and code inversion (Mahendran and Vedaldi) on models built by
 * hand where the right picture is known, and the deconvnet's backward pass against the float64
 * reference.
 */
const withProbe = probesOnOneDevice();
const subject = (probe: Subject['probe'], shape: [number, number, number]): Subject => ({ probe, mapping: inputMapping(undefined, shape), shape });

describe('deconvolution', { timeout: 60_000 }, () => {
  it("of a single-filter network reproduces the filter's pattern, scaled by the activation, where the filter saw", async () => {
    const model = cleanModel('model one {\n  input x: 1 x 9 x 9\n  x -> conv(1, 3, bias: false) -> relu\n}');
    const kernel = [1, -2, 0.5, 0, 3, -1, 2, 0.25, -0.5];
    const weights = weightsFor(model, { 'conv1.weight': kernel });
    const x = Float32Array.from(randomArray(seededRandom(11), 81, 0, 1));
    await withProbe(model, weights, async (probe) => {
      const s = subject(probe, [1, 9, 9]);
      const relu = probe.layers().find((l) => l.op === 'relu')!;
      const r = await deconvolve(s, x, relu, { top: 3, channel: 0 });
      expect(r.picks).toHaveLength(3);
      expect(r.picks[0].value).toBeGreaterThanOrEqual(r.picks[1].value);
      r.picks.forEach((pick, i) => {
        const [py, px] = [Math.floor(pick.position / 7), pick.position % 7];
        // The 3×3 window the activation came from, and nothing else.
        expect(r.boxes[i]).toEqual({ y0: py, y1: py + 3, x0: px, x1: px + 3 });
        const recon = r.reconstructions.subarray(i * 81, (i + 1) * 81);
        for (let y = 0; y < 9; y++)
          for (let xx = 0; xx < 9; xx++) {
            const inside = y >= py && y < py + 3 && xx >= px && xx < px + 3;
            const want = inside ? pick.value * kernel[(y - py) * 3 + (xx - px)] : 0;
            expect(recon[y * 9 + xx], `${i}: ${y},${xx}`).toBeCloseTo(want, 5);
          }
      });
    });
  });

  it('relu on the way down (deconvnet) passes what the gradient masks; guided backpropagation masks both', async () => {
    // Channel 0 copies the image, channel 1 its negative (so relu closes it); the next layer adds
    // channel 0 and half of channel 1. Projecting its activation v at a pixel: the deconvnet keeps
    // both channels' positive signal (v − 0.5·v), guided backpropagation and the gradient only
    // channel 0's (v).
    const model = cleanModel('model two {\n  input x: 1 x 4 x 4\n  x -> conv(2, 1, bias: false) -> relu -> conv(1, 1, bias: false) -> relu\n}');
    const weights = weightsFor(model, { 'conv1.weight': [1, -1], 'conv2.weight': [1, 0.5] });
    const x = litImage(4, 4, [[2, 1]], 0.8);
    await withProbe(model, weights, async (probe) => {
      const s = subject(probe, [1, 4, 4]);
      const top = probe.layers().filter((l) => l.op === 'relu')[1];
      const deconvnet = await deconvolve(s, x, top, { top: 1 });
      const guided = await deconvolve(s, x, top, { top: 1, relu: 'guided' });
      expect(deconvnet.picks).toEqual([{ channel: 0, position: 2 * 4 + 1, value: Math.fround(0.8) }]);
      expect(deconvnet.reconstructions[9]).toBeCloseTo(0.4, 6);
      expect(guided.reconstructions[9]).toBeCloseTo(0.8, 6);
      const gradient = await probe.gradient(x, 1, { kind: 'seed', tensor: top.tensor, seed: Float32Array.from({ length: 16 }, (_, i) => (i === 9 ? 0.8 : 0)) });
      expect(gradient.grad[9]).toBeCloseTo(0.8, 6);
      for (let i = 0; i < 16; i++) if (i !== 9) expect(deconvnet.reconstructions[i]).toBe(0);
    });
  });

  it('the generated deconvnet and guided backward passes are the float64 reference ones (conv, batchnorm, relu, max pooling)', async () => {
    const model = cleanModel('model rgb {\n  input x: 3 x 11 x 9\n  x -> conv(4, 3, pad: 1) -> batchnorm -> relu -> maxpool(2, round: floor) -> conv(5, 3, pad: 1) -> relu -> maxpool(2, round: floor) -> flatten -> dense(7)\n}');
    const g = lowerModel(model, { mode: 'infer' });
    const seed = (Date.now() ^ 0xdec) >>> 0;
    const rand = seededRandom(seed);
    const weights: Record<string, WeightTensor> = {};
    for (const t of g.tensors) if (t.role === 'param' || t.role === 'state') weights[t.name] = { shape: t.shape, data: Float32Array.from(randomArray(rand, numel(t.shape), t.name.endsWith('running_var') ? 0.3 : -1, 1)) };
    const x = Float32Array.from(randomArray(rand, 3 * 11 * 9, 0, 1));
    await withProbe(model, weights, async (probe) => {
      for (const name of ['relu1', 'relu2']) {
        const layer = probe.layers().find((l) => l.layer === name)!;
        const [a] = await probe.outputs(x, 1, [layer.tensor]);
        const picks = strongestActivations(a, layer.shape, 2);
        expect(picks.length, name).toBeGreaterThan(0);
        for (const relu of ['deconvnet', 'guided'] as const) {
          const r = await deconvolve(subject(probe, [3, 11, 9]), x, layer, { top: 2, relu });
          const d = differentiate(g, { seed: layer.tensor, relu });
          const per = numel(layer.shape);
          r.picks.forEach((pick, i) => {
            const seedValues = new Float64Array(per);
            seedValues[pick.channel * (per / layer.shape[0]) + pick.position] = pick.value;
            const values = new Map<number, Float64Array>([[g.inputs[0], Float64Array.from(x)], [d.inputs[1], seedValues]]);
            for (const t of g.tensors) if (weights[t.name]) values.set(t.id, Float64Array.from(weights[t.name].data));
            const ref = runGraph(d, values, { batch: 1, step: 0 }).get(d.grads!.get(g.inputs[0])!)!;
            const got = r.reconstructions.subarray(i * x.length, (i + 1) * x.length);
            expect(ref.some((v) => v !== 0), `${name} ${relu}`).toBe(true);
            expect(relError(got, ref), `${name} ${relu} pick ${i} (seed ${seed})`).toBeLessThan(1e-4);
          });
        }
      }
    });
  });

  it('the support box of a reconstruction: where it is not zero, the whole image when it is all zero', () => {
    const m = new Float32Array(2 * 5 * 6);
    m[1 * 6 + 2] = 1;
    m[30 + 3 * 6 + 4] = -2;
    expect(supportBox(m, [2, 5, 6])).toEqual({ y0: 1, y1: 4, x0: 2, x1: 5 });
    expect(supportBox(new Float32Array(60), [2, 5, 6])).toEqual({ y0: 0, y1: 5, x0: 0, x1: 6 });
  });
});

describe('inversion', { timeout: 120_000 }, () => {
  it('from an identity layer returns the image; from a global average, an image with the same average', async () => {
    const model = cleanModel('model id {\n  input x: 1 x 8 x 8\n  x -> conv(1, 1, bias: false) as same -> globalavgpool as mean -> flatten -> dense(2)\n}');
    const weights = weightsFor(model, { 'same.weight': [1] });
    // A smooth blob: the TV prior, which prefers smooth images, should barely bend it.
    const x = Float32Array.from({ length: 64 }, (_, i) => 0.2 + 0.6 * Math.exp(-(((Math.floor(i / 8) - 3.5) ** 2 + ((i % 8) - 4) ** 2) / 6)));
    await withProbe(model, weights, async (probe) => {
      const s = subject(probe, [1, 8, 8]);
      const layers = ['same', 'mean'].map((n) => probe.layers().find((l) => l.layer === n)!);
      const [same, mean] = await invertAt(s, x, layers, { steps: 300, seed: 4 });
      const err = same.image.reduce((a, v, i) => a + Math.abs(v - x[i]), 0) / 64;
      expect(err).toBeLessThan(0.02);
      expect(same.after).toBeLessThan(1e-3);
      expect(same.after).toBeLessThan(same.before / 100);
      const avg = (v: ArrayLike<number>) => Array.from(v).reduce((a, b) => a + b, 0) / v.length;
      expect(Math.abs(avg(mean.image) - avg(x))).toBeLessThan(0.01);
      // Everything else is the priors' choice: far smoother than the image, so not the image.
      expect(totalVariation(mean.image, [1, 8, 8])).toBeLessThan(totalVariation(x, [1, 8, 8]) / 4);
    });
  });
});

describe('cnnc viz deconv and invert', { timeout: 120_000 }, () => {
  it('write their pictures and name what they found, from a weights file and a PNG', async () => {
    const dir = tempDir('deconv');
    const file = join(dir, 'one.cnn');
    writeFileSync(file, 'model one {\n  input x: 1 x 9 x 9\n  x -> conv(2, 3, bias: false) -> relu -> maxpool(2, round: floor) -> flatten -> dense(2)\n}\n');
    const model = cleanModel('model one {\n  input x: 1 x 9 x 9\n  x -> conv(2, 3, bias: false) -> relu -> maxpool(2, round: floor) -> flatten -> dense(2)\n}\n');
    const weights = join(dir, 'one.safetensors');
    writeFileSync(weights, encodeSafetensors(weightsFor(model, { 'conv1.weight': [0, 0, 0, 0, 1, 0, 0, 0, 0, /* channel 1 */ 0, 0, 0, 0, -1, 0, 0, 0, 0], 'fc1.weight': new Array<number>(36).fill(0.1) })));
    const png = new PNG({ width: 9, height: 9 });
    for (let i = 0; i < 81; i++) png.data.set(i === 4 * 9 + 5 ? [255, 255, 255, 255] : [0, 0, 0, 255], i * 4);
    const image = join(dir, 'dot.png');
    writeFileSync(image, PNG.sync.write(png));
    const deconv = await run('viz', 'deconv', file, '--weights', weights, image, '--layer', 'relu1', '--top', '2', '-o', join(dir, 'deconv.png'));
    expect(deconv.err).toBe('');
    expect(deconv.code).toBe(0);
    // Only channel 0 sees the bright dot (channel 1 is its negative, closed by relu), at the dot's
    // place less the window's offset; its filter is a single tap, so the patch is the dot alone.
    expect(deconv.out).toMatch(/deconvnet reconstructions of relu1 \(2×7×7\)/);
    expect(deconv.out).toMatch(/1\s+0\s+3, 4\s+1\s+rows 4–4, columns 5–5/);
    expect(deconv.out).not.toMatch(/^2 /m);
    const decoded = PNG.sync.read(Buffer.from(await import('node:fs').then((fs) => fs.readFileSync(join(dir, 'deconv.png')))));
    expect(decoded.width).toBeGreaterThan(9 * 3);
    const bad = await run('viz', 'deconv', file, '--weights', weights, image, '--layer', 'relu1', '--channel', '5', '-o', join(dir, 'x.png'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--channel 5: relu1 has 2 channels \(0 to 1\)/);
    const inv = await run('viz', 'invert', file, '--weights', weights, image, '--steps', '20', '-o', join(dir, 'invert.png'));
    expect(inv.code).toBe(0);
    expect(inv.out).toMatch(/inverted from 3 layers in 20 steps each/);
    expect(inv.out).toMatch(/conv1\s+conv\s+2×7×7/);
    expect(inv.err).toMatch(/invert conv1 \(1\/3\): 20\/20/);
  });
});
