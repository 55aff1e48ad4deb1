import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WeightTensor } from '../../src/engine/session.js';
import { encodeSafetensors } from '../../src/train/safetensors.js';
import { decodePng, encodePng } from '../../src/viz/png.js';
import { grey, gridLayout, pixel } from '../../src/viz/raster.js';
import { inferno } from '../../src/viz/colormap.js';
import { tempDir } from '../train/data/tmp.js';
import { onePixel, shiftInvariant } from '../viz/models.js';
import { run } from './run.js';

/**
 * `cnnc viz …` as a user runs it: model files, safetensors weights and PNG images written by the
 * test, pictures read back and checked pixel by pixel; usage errors exit 2, bad weights 1.
 */

function files(dir: string, source: string, weights: Record<string, WeightTensor>): { model: string; weights: string } {
  const model = join(dir, 'model.cnn');
  writeFileSync(model, source);
  const path = join(dir, 'weights.safetensors');
  writeFileSync(path, encodeSafetensors(weights));
  return { model, weights: path };
}

function png(path: string, values: Float32Array, h: number, w: number): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, encodePng(grey(values, h, w)));
  return path;
}

/** Random pixels in [0.2, 1], exact in 8 bits. */
function positiveImage(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => (51 + ((i * 97) % 205)) / 255);
}

describe('cnnc viz: usage and weights errors', () => {
  it('needs --weights, an existing weights file, and known layers (with a suggestion)', async () => {
    const dir = tempDir('viz-usage');
    const f = files(dir, onePixel.source, onePixel.weights);
    const noWeights = await run('viz', 'filters', f.model, '-o', dir);
    expect(noWeights.code).toBe(2);
    expect(noWeights.err).toContain("required option '--weights <file>' not specified");
    const missing = await run('viz', 'filters', f.model, '--weights', join(dir, 'nope.safetensors'), '-o', dir);
    expect(missing).toMatchObject({ code: 2, err: `cnnc: no such file: ${join(dir, 'nope.safetensors')}\n` });
    const typo = await run('viz', 'maximize', f.model, '--weights', f.weights, '--layer', 'conv11', '--channel', '0', '-o', join(dir, 'm.png'));
    expect(typo.code).toBe(2);
    expect(typo.err).toContain("model eye has no layer 'conv11'; did you mean `conv1`?");
    const notConv = await run('viz', 'filters', f.model, '--weights', f.weights, '--layer', 'relu1', '-o', dir);
    expect(notConv).toMatchObject({ code: 2, err: 'cnnc: layer relu1 is a relu, not a conv (conv layers: conv1)\n' });
    const channel = await run('viz', 'maximize', f.model, '--weights', f.weights, '--layer', 'conv1', '--channel', '1', '-o', join(dir, 'm.png'));
    expect(channel).toMatchObject({ code: 2, err: 'cnnc: --channel 1: conv1 has 1 channel (0 to 0)\n' });
    const steps = await run('viz', 'maximize', f.model, '--weights', f.weights, '--layer', 'conv1', '--channel', '0', '--steps', '0', '-o', join(dir, 'm.png'));
    expect(steps.code).toBe(2);
    expect(readdirSync(dir).filter((n) => n.endsWith('.png'))).toEqual([]);
  });

  it('names the tensor that is missing or has the wrong shape (exit 1)', async () => {
    const dir = tempDir('viz-weights');
    const { ['conv1.bias']: _gone, ...rest } = onePixel.weights;
    const lacking = files(dir, onePixel.source, rest);
    const r1 = await run('viz', 'filters', lacking.model, '--weights', lacking.weights, '-o', dir);
    expect(r1.code).toBe(1);
    expect(r1.err).toContain("no tensor for the model's conv1.bias (1)");
    const wrong = files(dir, onePixel.source, { ...onePixel.weights, 'conv1.weight': { shape: [1, 1, 2, 2], data: new Float32Array(4) } });
    const r2 = await run('viz', 'filters', wrong.model, '--weights', wrong.weights, '-o', dir);
    expect(r2.code).toBe(1);
    expect(r2.err).toContain("conv1.weight is 1×1×2×2 but the model's conv1.weight is 1×1×3×3");
  });
});

describe('cnnc viz on WebGPU', { timeout: 120_000 }, () => {
  it('filters: the hand-set kernel renders as its pattern (centre white, ring black)', async () => {
    const dir = tempDir('viz-filters');
    const f = files(dir, onePixel.source, onePixel.weights);
    const r = await run('viz', 'filters', f.model, '--weights', f.weights, '-o', join(dir, 'out'), '--scale', '3');
    expect(r).toMatchObject({ code: 0, out: `${join(dir, 'out', 'filters-conv1.png')}: 1 kernel of conv1, 3×3 over 1 channel, 11×11 pixels\n` });
    const p = decodePng(readFileSync(join(dir, 'out', 'filters-conv1.png')));
    for (let y = 0; y < 9; y++) for (let x = 0; x < 9; x++) expect(pixel(p, 1 + x, 1 + y)[0], `${x},${y}`).toBe(x >= 3 && x < 6 && y >= 3 && y < 6 ? 255 : 0);
  });

  it('activations: a picture per layer and a table of their ranges', async () => {
    const dir = tempDir('viz-act');
    const f = files(dir, onePixel.source, onePixel.weights);
    const image = png(join(dir, 'in.png'), positiveImage(36), 6, 6);
    const r = await run('viz', 'activations', f.model, '--weights', f.weights, image, '-o', join(dir, 'act'));
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, 'act')).sort()).toEqual(['00-input.png', '01-conv1.png', '02-relu1.png', '03-flatten1.png', '04-fc1.png']);
    expect(r.out).toMatch(/^picture\s+layer\s+op\s+shape\s+min\s+max\s+mean\s+zeros/m);
    expect(r.out).toMatch(/^04-fc1\.png\s+fc1\s+dense\s+2\s/m);
  });

  it('saliency: the heat map of a model that looks at one pixel is hottest there', async () => {
    const dir = tempDir('viz-sal');
    const f = files(dir, onePixel.source, onePixel.weights);
    const image = png(join(dir, 'in.png'), positiveImage(36), 6, 6);
    const out = join(dir, 'sal.png');
    const r = await run('viz', 'saliency', f.model, '--weights', f.weights, image, '--class', '0', '--scale', '2', '-o', out);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${out}: strongest at row 4, column 1\n`);
    const p = decodePng(readFileSync(out));
    const heat = gridLayout([0, 1, 2].map(() => ({ width: 12, height: 12, data: new Uint8Array() })), { columns: 3 }).cell(1);
    expect(pixel(p, heat.x + 1 * 2, heat.y + 4 * 2)).toEqual(inferno(1));
    expect(pixel(p, heat.x + 5 * 2, heat.y + 0 * 2)).toEqual(inferno(0));
    const bad = await run('viz', 'saliency', f.model, '--weights', f.weights, image, '--class', '2', '-o', out);
    expect(bad).toMatchObject({ code: 2, err: 'cnnc: --class 2: the model has 2 outputs (0 to 1)\n' });
  });

  it('maximize: the chosen activation goes up', async () => {
    const dir = tempDir('viz-max');
    const f = files(dir, onePixel.source, onePixel.weights);
    const out = join(dir, 'max.png');
    const r = await run('viz', 'maximize', f.model, '--weights', f.weights, '--layer', 'fc1', '--channel', '0', '--steps', '30', '-o', out);
    expect(r.code).toBe(0);
    const m = /fc1 channel 0: mean activation (\S+) → (\S+) after 30 steps/.exec(r.out);
    expect(m, r.out).not.toBeNull();
    expect(Number(m![2])).toBeGreaterThan(Number(m![1]) + 1);
    expect(existsSync(out)).toBe(true);
  });

  it('neighbors: the image itself and its shifted copy first in feature space; the copy last in pixel space', async () => {
    const dir = tempDir('viz-nb');
    const f = files(dir, shiftInvariant.source, shiftInvariant.weights);
    const data = join(dir, 'data');
    shiftInvariant.images.forEach((img, i) => png(join(data, i < 3 ? 'a' : 'b', `${i}.png`), img, 8, 8));
    const out = join(dir, 'strip.png');
    const r = await run('viz', 'neighbors', f.model, '--weights', f.weights, '--data', `images:${data}`, join(data, 'a', '0.png'), '-k', '5', '--metric', 'l2', '--compare-pixels', '-o', out);
    expect(r.code).toBe(0);
    const [features, pixels] = r.out.split('\n\n');
    const rows = (text: string) => text.split('\n').filter((l) => /^\s+\d/.test(l)).map((l) => l.trim().split(/\s+/));
    expect(features).toContain('nearest in the output of flatten1 (3 features, l2 distance) among the first 5 train images');
    expect(rows(features).slice(0, 2)).toEqual([['1', '0', 'a', '0'], ['2', '3', 'b', '0']]);
    expect(rows(pixels).map((row) => row[1])).toEqual(['0', '4', '1', '2', '3']);
    const strip = decodePng(readFileSync(out));
    expect([strip.width, strip.height]).toEqual([1 + 6 * (56 + 1), 1 + 2 * (56 + 1)]);
  });
});
