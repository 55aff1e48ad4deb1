import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { encodeSafetensors } from '../../src/train/safetensors.js';
import { run } from '../cli/run.js';
import { tempDir } from '../train/data/tmp.js';
import { onePixel } from './models.js';

/**
 * `cnnc viz report`: one HTML page that opens offline — every picture a valid data: URL, no
 * scripts, nothing fetched — with every section the issue lists, and the sections it cannot make
 * named with the flag that adds them.
 */

function greyPng(path: string, value: (i: number) => number): void {
  const png = new PNG({ width: 6, height: 6 });
  for (let i = 0; i < 36; i++) png.data.set([value(i), value(i), value(i), 255], i * 4);
  writeFileSync(path, PNG.sync.write(png));
}

/** The page's data: URLs, decoded (PNG checked by decoding, SVG by its root element). */
function images(html: string): { png: number; svg: number } {
  let png = 0;
  let svg = 0;
  for (const m of html.matchAll(/src="([^"]*)"/g)) {
    const src = m[1];
    expect(src.startsWith('data:'), src.slice(0, 40)).toBe(true);
    const [head, data] = src.split(',');
    const bytes = Buffer.from(data, 'base64');
    if (head === 'data:image/png;base64') {
      const p = PNG.sync.read(bytes);
      expect(p.width * p.height).toBeGreaterThan(0);
      png++;
    } else {
      expect(head).toBe('data:image/svg+xml;base64');
      expect(bytes.toString('utf8')).toMatch(/<svg[\s\S]*<\/svg>\s*$/);
      svg++;
    }
  }
  return { png, svg };
}

describe('cnnc viz report', { timeout: 120_000 }, () => {
  it('writes one self-contained page with every section, and says which it left out and why', async () => {
    const dir = tempDir('report');
    const file = join(dir, 'eye.cnn');
    writeFileSync(file, onePixel.source);
    const weights = join(dir, 'eye.safetensors');
    writeFileSync(weights, encodeSafetensors(onePixel.weights));
    const image = join(dir, 'grey.png');
    greyPng(image, (i) => 120 + (i % 7) * 10);
    const out = join(dir, 'page', 'eye.html');
    const r = await run('viz', 'report', file, '--weights', weights, image, '--invert-steps', '10', '-o', out);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/eye\.html: \d+ sections .*self-contained.*left out: training curves, nearest neighbours/);
    const html = readFileSync(out, 'utf8');
    for (const id of ['prediction', 'summary', 'diagram', 'filters', 'activations', 'saliency', 'smoothgrad', 'gradcam', 'occlusion', 'deconv', 'inversion', 'omitted']) expect(html, id).toContain(`id="${id}"`);
    expect(html).not.toContain('id="curves"');
    expect(html).toMatch(/Training curves: give --run DIR/);
    expect(html).toMatch(/Nearest neighbours: give --data SPEC/);
    // Offline: no scripts, no links to fetch, every picture inline.
    expect(html).not.toMatch(/<script|<link|@import|url\(|https?:\/\//i);
    const n = images(html);
    expect(n.svg).toBe(1);
    expect(n.png).toBeGreaterThanOrEqual(9);
    // The summary is the checker's: conv1 has 10 parameters, fc1 74.
    expect(html).toMatch(/<td>conv1<\/td><td>conv<\/td><td class="n">3<\/td><td>1×6×6<\/td><td class="n">10<\/td>/);
  });

  it('adds the training curves from a run folder and the neighbours from a data set; a wrong run folder fails before any work', async () => {
    const dir = tempDir('report-run');
    const file = join(dir, 'eye.cnn');
    writeFileSync(file, onePixel.source);
    const weights = join(dir, 'eye.safetensors');
    writeFileSync(weights, encodeSafetensors(onePixel.weights));
    const image = join(dir, 'grey.png');
    greyPng(image, (i) => (i === 4 * 6 + 1 ? 255 : 30));
    const runDir = join(dir, 'run');
    mkdirSync(runDir);
    const metrics = {
      model: 'eye',
      steps: [0, 1, 2, 3].map((step) => ({ step, epoch: step >> 1, loss: 1 / (step + 1), accuracy: 0.5 + step / 10, lr: 0.01 })),
      epochs: [0, 1].map((epoch) => ({ epoch, trainLoss: 0.5 / (epoch + 1), trainAccuracy: 0.6 + epoch / 10, validationLoss: 0.6, validationAccuracy: 0.55 + epoch / 10, validationSplit: 'validation', seconds: 1, imagesPerSecond: 100 })),
      test: { loss: 0.4, accuracy: 0.625, count: 8 },
    };
    writeFileSync(join(runDir, 'metrics.json'), JSON.stringify(metrics));
    const data = join(dir, 'data');
    for (const cls of ['dot', 'flat']) {
      mkdirSync(join(data, cls), { recursive: true });
      for (let k = 0; k < 3; k++) greyPng(join(data, cls, `${k}.png`), (i) => (cls === 'dot' ? (i === 4 * 6 + 1 ? 255 - k : 30) : 90 + k));
    }
    const out = join(dir, 'eye.html');
    const r = await run('viz', 'report', file, '--weights', weights, image, '--run', runDir, '--data', `images:${data}`, '--invert-steps', '5', '-o', out);
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/left out/);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('id="curves"');
    expect(html).toMatch(/2 epochs, last training accuracy 70\.00%, validation 65\.00%\. Test accuracy 62\.50% on 8 images\./);
    expect(html).toContain('id="neighbors"');
    // The image is a dot at (4, 1): its nearest training images in pixel space are the dots.
    expect(html).toMatch(/<td>1<\/td><td>\d+<\/td><td>\w+<\/td><td>[^<]*<\/td><td>\d+<\/td><td>dot<\/td>/);
    expect(images(html).svg).toBe(2);
    const bad = await run('viz', 'report', file, '--weights', weights, image, '--run', join(dir, 'nowhere'), '-o', out);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--run .*nowhere: no metrics\.json there/);
  });
});
