import { describe, expect, it } from 'vitest';
import type { WeightTensor } from '../../src/engine/session.js';
import { differentiate } from '../../src/ir/autodiff.js';
import { numel } from '../../src/ir/graph.js';
import { lowerModel } from '../../src/ir/lower.js';
import { runGraph } from '../../src/ir/reference/run.js';
import { randomArray, relError, seededRandom } from '../../src/ir/reference/testing.js';
import { activationPicture } from '../../src/viz/activations.js';
import { inferno } from '../../src/viz/colormap.js';
import { maximizeActivation } from '../../src/viz/maximize.js';
import { defaultFeatureTensor, featuresOf, nearest } from '../../src/viz/neighbors.js';
import { decodePng, encodePng } from '../../src/viz/png.js';
import { gridLayout, pixel, type Picture, type Rgb } from '../../src/viz/raster.js';
import { renderSaliency, saliencyMap } from '../../src/viz/saliency.js';
import { cleanModel } from '../helpers.js';
import { litImage, onePixel, shiftInvariant, weightsFor, probesOnOneDevice } from './models.js';

/**
 * The pictures of the viz commands from models run on the WebGPU adapter: each model is built
 * by hand so that the right picture (or ranking) is known in advance.
 */
const withProbe = probesOnOneDevice();

/** Every pixel of the `scale`-sized block (r, c) of a tile at (x0, y0). */
function expectBlock(p: Picture, x0: number, y0: number, scale: number, r: number, c: number, colour: Rgb, what: string): void {
  for (let y = 0; y < scale; y++) for (let x = 0; x < scale; x++) expect(pixel(p, x0 + c * scale + x, y0 + r * scale + y), `${what} block ${r},${c}`).toEqual(colour);
}

const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];
const GREY: Rgb = [128, 128, 128];

describe('pictures from models on WebGPU', { timeout: 60_000 }, () => {
  it('activations: an identity kernel shows the image, a difference kernel its edges, and relu keeps the positive edge', async () => {
    const model = cleanModel('model bars {\n  input x: 1 x 5 x 5\n  x -> conv(2, 3, pad: 1, bias: false) -> relu -> flatten -> dense(2)\n}');
    // channel 0: the centre (identity); channel 1: x(r, c − 1) − x(r, c + 1)
    // fc1: class 0 sums every relu output, class 1 is 0
    const weights = weightsFor(model, { 'conv1.weight': [0, 0, 0, 0, 1, 0, 0, 0, 0, /* 1 */ 0, 0, 0, 1, 0, -1, 0, 0, 0], 'fc1.weight': [...new Array<number>(50).fill(1), ...new Array<number>(50).fill(0)] });
    const bar = litImage(5, 5, [0, 1, 2, 3, 4].map((r) => [r, 2] as [number, number]));
    await withProbe(model, weights, async (probe) => {
      const acts = await probe.activations(bar, 1);
      expect(acts.map((a) => `${a.layer}:${a.shape.join('×')}`)).toEqual(['conv1:2×5×5', 'relu1:2×5×5', 'flatten1:50', 'fc1:2']);
      const scale = 3;
      const conv = decodePng(encodePng(activationPicture(acts[0], 0, { scale })));
      const relu = decodePng(encodePng(activationPicture(acts[1], 0, { scale })));
      const tiles = [0, 1].map(() => ({ width: 15, height: 15, data: new Uint8Array() }));
      const [t0, t1] = [0, 1].map((i) => gridLayout(tiles).cell(i));
      for (let r = 0; r < 5; r++)
        for (let c = 0; c < 5; c++) {
          expectBlock(conv, t0.x, t0.y, scale, r, c, c === 2 ? WHITE : BLACK, 'conv channel 0');
          // −1 left of the bar, +1 right of it, 0 (mid-grey after normalising) elsewhere
          expectBlock(conv, t1.x, t1.y, scale, r, c, c === 1 ? BLACK : c === 3 ? WHITE : GREY, 'conv channel 1');
          expectBlock(relu, t1.x, t1.y, scale, r, c, c === 3 ? WHITE : BLACK, 'relu channel 1');
        }
      // A flat layer of a few values is one row of cells (at least 12 pixels): 5 + 5 = 10, then 0.
      expect(Array.from(acts[3].data)).toEqual([10, 0]);
      const fc = activationPicture(acts[3], 0);
      expect([fc.width, fc.height]).toEqual([1 + 2 * 28 + 1, 1 + 28 + 1]);
      expectBlock(fc, 1, 1, 28, 0, 0, WHITE, 'fc1 value 0');
      expectBlock(fc, 1, 1, 28, 0, 1, BLACK, 'fc1 value 1');
    });
  });

  it('saliency of a model built to look at one pixel peaks at that pixel (map and PNG)', async () => {
    const rand = seededRandom(7);
    const x = Float32Array.from(randomArray(rand, 36, 0.1, 1));
    await withProbe(onePixel.model, onePixel.weights, async (probe) => {
      const { grad } = await probe.gradient(x, 1, { kind: 'output', index: 0 });
      const map = saliencyMap(grad, [1, 6, 6]);
      const [pr, pc] = onePixel.pixel;
      for (let r = 0; r < 6; r++)
        for (let c = 0; c < 6; c++) {
          const want = r === pr && c === pc ? 2 : Math.abs(r - pr) <= 1 && Math.abs(c - pc) <= 1 ? 0.5 : 0;
          expect(map[r * 6 + c], `${r},${c}`).toBeCloseTo(want, 5);
        }
      const scale = 4;
      const png = decodePng(encodePng(renderSaliency(x, [1, 6, 6], map, { scale })));
      // panels: image, heat map, overlay; the heat map's hottest block is the pixel, in inferno's top colour
      const heat = gridLayout([0, 1, 2].map(() => ({ width: 24, height: 24, data: new Uint8Array() })), { columns: 3 }).cell(1);
      expectBlock(png, heat.x, heat.y, scale, pr, pc, inferno(1), 'heat map');
      expectBlock(png, heat.x, heat.y, scale, pr - 1, pc, inferno(0.25), 'heat map');
      expectBlock(png, heat.x, heat.y, scale, 0, 5, inferno(0), 'heat map');
    });
  });

  it('saliency is the float64 reference gradient of the class score (RGB model, max over channels)', async () => {
    const model = cleanModel('model rgb {\n  input x: 3 x 8 x 6\n  x -> conv(4, 3, pad: 1) -> batchnorm -> tanh -> maxpool(2) -> flatten -> dense(5)\n}');
    const g = lowerModel(model, { mode: 'infer' });
    const rand = seededRandom((Date.now() ^ 0x5eed) >>> 0);
    const weights: Record<string, WeightTensor> = {};
    for (const t of g.tensors) if (t.role === 'param' || t.role === 'state') weights[t.name] = { shape: t.shape, data: Float32Array.from(randomArray(rand, numel(t.shape), t.name.endsWith('running_var') ? 0.3 : -1, 1)) };
    const x = Float32Array.from(randomArray(rand, 3 * 8 * 6, 0, 1));
    await withProbe(model, weights, async (probe) => {
      const { grad } = await probe.gradient(x, 1, { kind: 'output', index: 3 });
      const d = differentiate(g, { seed: g.outputs[0] });
      const values = new Map<number, Float64Array>([[g.inputs[0], Float64Array.from(x)], [d.inputs[1], Float64Array.of(0, 0, 0, 1, 0)]]);
      for (const t of g.tensors) if (weights[t.name]) values.set(t.id, Float64Array.from(weights[t.name].data));
      const ref = runGraph(d, values, { batch: 1, step: 0 }).get(d.grads!.get(g.inputs[0])!)!;
      expect(relError(saliencyMap(grad, [3, 8, 6]), saliencyMap(ref, [3, 8, 6]))).toBeLessThan(1e-4);
    });
  });

  it('activation maximisation drives a linear unit close to its maximum, and raises a nonlinear one', async () => {
    // The mean of conv channel 0 (kernel all 0.25) grows with every pixel: its maximum is the white image.
    const model = cleanModel('model lin {\n  input x: 1 x 6 x 6\n  x -> conv(2, 3, pad: 1) -> relu -> conv(3, 3) -> flatten -> dense(2)\n}');
    const g = lowerModel(model, { mode: 'infer' });
    const rand = seededRandom(11);
    const given: Record<string, number[]> = {};
    for (const t of g.tensors) if (t.role === 'param') given[t.name] = Array.from(randomArray(rand, numel(t.shape)));
    given['conv1.weight'] = [...new Array<number>(9).fill(0.25), ...given['conv1.weight'].slice(9)];
    given['conv1.bias'] = [0, 0.1];
    await withProbe(model, weightsFor(model, given), async (probe) => {
      const layers = probe.layers();
      const objective = (tensor: number, channel: number) => async (px: Float32Array) => {
        const r = await probe.gradient(px, 1, { kind: 'channel', tensor, channel });
        return { value: r.value[0], grad: r.grad };
      };
      const conv1 = layers.find((l) => l.layer === 'conv1')!.tensor;
      // all-white input: interior positions see 9 pixels, edges 6, corners 4 → the mean of 0.25·count
      const best = (0.25 * (16 * 9 + 16 * 6 + 4 * 4)) / 36;
      const lin = await maximizeActivation(objective(conv1, 0), [1, 6, 6], { steps: 60, seed: 3 });
      expect(lin.before).toBeLessThan(0.7 * best);
      expect(lin.after).toBeGreaterThan(0.95 * best);
      expect(lin.after).toBeLessThanOrEqual(best + 1e-5);
      const conv2 = layers.find((l) => l.layer === 'conv2')!.tensor;
      const deep = await maximizeActivation(objective(conv2, 1), [1, 6, 6], { steps: 40, seed: 3 });
      expect(deep.after).toBeGreaterThan(deep.before + 0.1 * Math.abs(deep.before) + 1e-3);
      expect(deep.image.every((v) => v >= 0 && v <= 1)).toBe(true);
    });
  });

  it('maximisation without blur decays pixels the unit does not see to the base level, and brightens the one it sees', async () => {
    await withProbe(onePixel.model, onePixel.weights, async (probe) => {
      const fc1 = probe.layers().find((l) => l.layer === 'fc1')!.tensor;
      const objective = async (px: Float32Array) => {
        const r = await probe.gradient(px, 1, { kind: 'channel', tensor: fc1, channel: 0 });
        return { value: r.value[0], grad: r.grad };
      };
      const r = await maximizeActivation(objective, [1, 6, 6], { steps: 60, base: [0.13], seed: 5, blurEvery: 0 });
      expect(r.after).toBeGreaterThan(r.before);
      // Outside the 3×3 window around (4, 1) there is no gradient: the starting noise (±0.05)
      // shrinks by 0.98 a step towards the base.
      for (let i = 0; i < 36; i++) {
        const [row, col] = [Math.floor(i / 6), i % 6];
        if (Math.abs(row - 4) > 1 || col > 2) expect(Math.abs(r.image[i] - 0.13), `${row},${col}`).toBeLessThan(0.05 * 0.98 ** 60 + 1e-6);
      }
      expect(r.image[4 * 6 + 1]).toBe(1);
    });
  });

  it('neighbours: an image is its own nearest; a shifted copy ranks next in feature space, last in pixel space', async () => {
    const { model, weights, images } = shiftInvariant;
    const all = new Float32Array(images.length * 64);
    images.forEach((img, i) => all.set(img, i * 64));
    await withProbe(model, weights, async (probe) => {
      const tensor = defaultFeatureTensor(probe)!;
      expect(probe.layers().find((l) => l.tensor === tensor)?.layer).toBe('flatten1');
      const feats = await featuresOf(probe, all, images.length, tensor, 2);
      expect(Array.from(feats.data.subarray(0, 3))).toEqual([3, 2, 2]);
      for (const metric of ['l2', 'cosine'] as const) {
        const byFeatures = nearest(feats.data.slice(0, 3), feats.data, 3, 5, metric);
        expect(byFeatures.slice(0, 2), metric).toEqual([{ index: 0, distance: 0 }, { index: 3, distance: 0 }]);
        const byPixels = nearest(images[0], all, 64, 5, metric);
        expect(byPixels[0], metric).toEqual({ index: 0, distance: 0 });
        expect(byPixels.findIndex((n) => n.index === 3), metric).toBe(4);
      }
    });
  });
});
