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
import { gradCam, resizeBilinear } from '../../src/viz/gradcam.js';
import { occlude, occlusionMap, occlusionPositions } from '../../src/viz/occlusion.js';
import { noisyCopies, saliencyMap, smoothSaliency } from '../../src/viz/saliency.js';
import { run } from '../cli/run.js';
import { tempDir } from '../train/data/tmp.js';
import { cleanModel } from '../helpers.js';
import { litImage, onePixel, weightsFor, probesOnOneDevice } from './models.js';

/**
 * Grad-CAM, occlusion sensitivity and SmoothGrad on models built by hand, where the right picture
 * is known, and the gradients they rest on against the float64 reference.
 */
const withProbe = probesOnOneDevice();

describe('explaining a prediction', { timeout: 60_000 }, () => {
  it('Grad-CAM of a model that counts bright pixels highlights the bright region, and nothing for the class that counts dark ones', async () => {
    // Channel 0 passes the image, channel 1 its negative; relu; class 0 = mean of channel 0, class 1 = mean of channel 1.
    const model = cleanModel('model count {\n  input x: 1 x 8 x 8\n  x -> conv(2, 1, bias: false) -> relu -> globalavgpool -> flatten -> dense(2, bias: false)\n}');
    const weights = weightsFor(model, { 'conv1.weight': [1, -1], 'fc1.weight': [1, 0, 0, 1] });
    const square = litImage(8, 8, [[1, 1], [1, 2], [2, 1], [2, 2]]);
    await withProbe(model, weights, async (probe) => {
      const relu = probe.layers().find((l) => l.op === 'relu')!;
      const [a] = await probe.outputs(square, 1, [relu.tensor]);
      const bright = await probe.gradient(square, 1, { kind: 'output', index: 0 }, { at: relu.tensor });
      // ∂score₀/∂A: 1/64 on channel 0 everywhere, 0 on channel 1.
      expect(Array.from(bright.at!)).toEqual([...new Array<number>(64).fill(1 / 64), ...new Array<number>(64).fill(0)].map((v) => Math.fround(v)));
      const cam = gradCam(a, bright.at!, relu.shape);
      for (let i = 0; i < 64; i++) expect(cam[i], `${i}`).toBeCloseTo(square[i] / 64, 7);
      const dark = await probe.gradient(square, 1, { kind: 'output', index: 1 }, { at: relu.tensor });
      // Class 1's evidence (dark pixels) lies in channel 1, which is zero wherever the square is and positive elsewhere.
      const darkCam = gradCam(a, dark.at!, relu.shape);
      expect(darkCam[1 * 8 + 1]).toBe(0);
      expect(darkCam[6 * 8 + 6]).toBe(0); // relu(−0) = 0: a black pixel gives channel 1 nothing either
      const up = resizeBilinear(cam, 8, 8, 16, 16);
      expect(up.indexOf(Math.max(...up))).toBeGreaterThanOrEqual(2 * 16);
    });
  });

  it('the gradient reaching a layer is the float64 reference one (RGB model with batchnorm)', async () => {
    const model = cleanModel('model rgb {\n  input x: 3 x 9 x 7\n  x -> conv(4, 3, pad: 1) -> batchnorm -> relu -> conv(5, 3, stride: 2, pad: 1) -> tanh -> maxpool(2, round: floor) -> flatten -> dense(6)\n}');
    const g = lowerModel(model, { mode: 'infer' });
    // Max pooling routes the gradient to each window's largest value; where tanh saturates two of
    // them can be equal in float32 and not in float64 (seed 883900382), and the two passes rightly
    // route differently. So draw weights and input until every window's largest value leads by 1e-3.
    const tanh = g.ops.find((o) => o.kind === 'unary' && o.fn === 'tanh')!.outputs[0];
    const draw = (s: number) => {
      const rand = seededRandom(s);
      const weights: Record<string, WeightTensor> = {};
      for (const t of g.tensors) if (t.role === 'param' || t.role === 'state') weights[t.name] = { shape: t.shape, data: Float32Array.from(randomArray(rand, numel(t.shape), t.name.endsWith('running_var') ? 0.3 : -1, 1)) };
      const x = Float32Array.from(randomArray(rand, 3 * 9 * 7, 0, 1));
      const values = new Map<number, Float64Array>([[g.inputs[0], Float64Array.from(x)]]);
      for (const t of g.tensors) if (weights[t.name]) values.set(t.id, Float64Array.from(weights[t.name].data));
      const a = runGraph(g, values, { batch: 1, step: 0 }).get(tanh)!;
      const [c, h, w] = g.tensors[tanh].shape;
      let clear = true;
      for (let k = 0; k < c; k++) for (let oy = 0; oy + 1 < h; oy += 2) for (let ox = 0; ox + 1 < w; ox += 2) {
        const v = [0, 1].flatMap((dy) => [0, 1].map((dx) => a[(k * h + oy + dy) * w + ox + dx])).sort((p, q) => q - p);
        if (v[0] - v[1] < 1e-3) clear = false;
      }
      return clear ? { weights, x } : undefined;
    };
    let seed = (Date.now() ^ 0xca3) >>> 0;
    let drawn = draw(seed);
    for (let tries = 0; !drawn && tries < 50; tries++) drawn = draw(++seed);
    expect(drawn, 'no draw without near-ties in 50 seeds').toBeDefined();
    const { weights, x } = drawn!;
    await withProbe(model, weights, async (probe) => {
      for (const layer of probe.layers().filter((l) => l.op === 'relu' || l.op === 'tanh')) {
        const { at } = await probe.gradient(x, 1, { kind: 'output', index: 4 }, { at: layer.tensor });
        const d = differentiate(g, { seed: g.outputs[0], alsoWrt: [layer.tensor] });
        const values = new Map<number, Float64Array>([[g.inputs[0], Float64Array.from(x)], [d.inputs[1], Float64Array.of(0, 0, 0, 0, 1, 0)]]);
        for (const t of g.tensors) if (weights[t.name]) values.set(t.id, Float64Array.from(weights[t.name].data));
        const ref = runGraph(d, values, { batch: 1, step: 0 }).get(d.grads!.get(layer.tensor)!)!;
        expect(relError(at!, ref), `${layer.layer} (seed ${seed})`).toBeLessThan(1e-4);
      }
    });
  });

  it('occlusion: hiding the pixel a model looks at drops its class most, hiding what it ignores changes nothing', async () => {
    const rand = seededRandom(3);
    const x = Float32Array.from(randomArray(rand, 36, 0.2, 1));
    const positions = occlusionPositions(6, 6, 1, 1);
    expect(positions).toHaveLength(36);
    await withProbe(onePixel.model, onePixel.weights, async (probe) => {
      const batch = new Float32Array(36 * 36);
      positions.forEach((at, i) => batch.set(occlude(x, [1, 6, 6], at, 1, 0), i * 36));
      const [base] = await probe.outputs(x, 1, [probe.graph.outputs[0]]);
      const [logits] = await probe.outputs(batch, 36, [probe.graph.outputs[0]]);
      const drops = positions.map((_, i) => base[0] - logits[i * 2]);
      const map = occlusionMap(drops, positions, 6, 6, 1);
      const [pr, pc] = onePixel.pixel;
      for (let r = 0; r < 6; r++)
        for (let c = 0; c < 6; c++) {
          const near = Math.abs(r - pr) <= 1 && Math.abs(c - pc) <= 1;
          // The score is 2·x at the pixel + 0.5·(its neighbours) through a relu that is open here.
          const want = r === pr && c === pc ? 2 * x[r * 6 + c] : near ? 0.5 * x[r * 6 + c] : 0;
          expect(map[r * 6 + c], `${r},${c}`).toBeCloseTo(want, 5);
        }
    });
  });

  it('cnnc viz occlusion and gradcam name the part that matters, from a weights file and a PNG', async () => {
    const dir = tempDir('explain');
    const file = join(dir, 'eye.cnn');
    writeFileSync(file, onePixel.source);
    const weights = join(dir, 'eye.safetensors');
    writeFileSync(weights, encodeSafetensors(onePixel.weights));
    const png = new PNG({ width: 6, height: 6 });
    for (let i = 0; i < 36; i++) png.data.set([200, 200, 200, 255], i * 4);
    const image = join(dir, 'grey.png');
    writeFileSync(image, PNG.sync.write(png));
    const occ = await run('viz', 'occlusion', file, '--weights', weights, image, '--class', '0', '--patch', '1', '--stride', '1', '--fill', '0', '-o', join(dir, 'occ.png'));
    expect(occ.err).not.toMatch(/error/);
    expect(occ.code).toBe(0);
    expect(occ.out).toMatch(/with 36 1×1 patches, stride 1/);
    expect(occ.out).toMatch(/hiding rows 4–4, columns 1–1 drops it most/);
    const cam = await run('viz', 'gradcam', file, '--weights', weights, image, '--class', '0', '-o', join(dir, 'cam.png'));
    expect(cam.code).toBe(0);
    expect(cam.out).toMatch(/Grad-CAM of 0 at relu1 \(1×6×6\)/);
    const smooth = await run('viz', 'saliency', file, '--weights', weights, image, '--class', '0', '--smooth', '8', '-o', join(dir, 'smooth.png'));
    expect(smooth.code).toBe(0);
    expect(smooth.out).toMatch(/SmoothGrad over 8 noisy copies/);
    expect(smooth.out).toMatch(/strongest at row 4, column 1/);
  });

  it('SmoothGrad: one batch of noisy copies gives the mean of their maps taken one by one; a linear model is unchanged by the noise', async () => {
    const rand = seededRandom(5);
    const x = Float32Array.from(randomArray(rand, 36, 0.2, 1));
    const copies = noisyCopies(x, 6, 0.3, 9);
    await withProbe(onePixel.model, onePixel.weights, async (probe) => {
      const together = await probe.gradient(copies, 6, { kind: 'output', index: 0 });
      const smooth = smoothSaliency(together.grad, 6, [1, 6, 6]);
      const alone = new Float32Array(36);
      for (let i = 0; i < 6; i++) {
        const one = saliencyMap((await probe.gradient(copies.subarray(i * 36, (i + 1) * 36), 1, { kind: 'output', index: 0 })).grad, [1, 6, 6]);
        one.forEach((v, j) => (alone[j] += v / 6));
      }
      expect(relError(smooth, alone)).toBeLessThan(1e-6);
    });
    const linear = cleanModel('model lin {\n  input x: 1 x 6 x 6\n  x -> conv(2, 3, pad: 1) -> flatten -> dense(3)\n}');
    const g = lowerModel(linear, { mode: 'infer' });
    const w: Record<string, number[]> = {};
    for (const t of g.tensors) if (t.role === 'param') w[t.name] = Array.from(randomArray(rand, numel(t.shape)));
    await withProbe(linear, weightsFor(linear, w), async (probe) => {
      const plain = saliencyMap((await probe.gradient(x, 1, { kind: 'output', index: 2 })).grad, [1, 6, 6]);
      const smooth = smoothSaliency((await probe.gradient(copies, 6, { kind: 'output', index: 2 })).grad, 6, [1, 6, 6]);
      expect(relError(smooth, plain)).toBeLessThan(1e-5);
    });
  });
});

describe('the arithmetic of the maps', () => {
  it('bilinear resizing matches PyTorch (align_corners=False)', () => {
    const up = Array.from(resizeBilinear([0, 1, 2, 3], 2, 2, 4, 4));
    // torch.nn.functional.interpolate(torch.arange(4.).view(1, 1, 2, 2), size=4, mode='bilinear')
    expect(up).toEqual([0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3]);
  });

  it('patches cover every pixel, the last ones flush with the edges', () => {
    const pos = occlusionPositions(10, 7, 4, 3);
    expect(pos.map(([y]) => y).filter((v, i, a) => a.indexOf(v) === i)).toEqual([0, 3, 6]);
    expect(pos.map(([, x]) => x).filter((v, i, a) => a.indexOf(v) === i)).toEqual([0, 3]);
    const covered = occlusionMap(pos.map(() => 1), pos, 10, 7, 4);
    expect(Array.from(covered).every((v) => v === 1)).toBe(true);
  });
});
