import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawn, type ChildProcess } from 'node:child_process';
import { unzipSync } from 'fflate';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlayground } from '../../scripts/playground.js';
import { compileFrontEnd } from '../../src/compiler.js';
import { renderPretty } from '../../src/diagnostics/render.js';
import { memoryHost } from '../../src/memory-host.js';
import { acquireDevice } from '../../src/runtime/device.js';
import { loadMnist } from '../../src/train/data/mnist.js';
import { decodeWeightFile, weightsOf } from '../../src/train/weight-file.js';
import { launchChromium, noBrowser, serve } from '../browser.js';

/**
 * The web playground (playground/, scripts/playground.ts) as a person uses it: the built site
 * served from 127.0.0.1 in headless Chromium (WebGPU on SwiftShader), driven by puppeteer-core.
 * Screenshots go to out/playground/ (docs/images/playground.png is one of them).
 */

const SHOTS = 'out/playground';
const LENET = readFileSync('examples/lenet5.cnn', 'utf8');
const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe.skipIf(noBrowser)('the playground in headless Chromium (SwiftShader; skipped only where Debian\'s chromium is not installed)', { timeout: 300_000 }, () => {
  let site: string;
  let browser: Browser;
  let url: string;
  let close: () => void;

  beforeAll(async () => {
    site = mkdtempSync(join(tmpdir(), 'cnnc-playground-'));
    await buildPlayground(site);
    const s = await serve(site);
    url = s.url;
    close = () => s.server.close();
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    close?.();
    if (site) rmSync(site, { recursive: true, force: true });
  });

  /** A page at `hash`, once the first analysis is shown; `problems` collects console errors. */
  async function openPage(hash = '', setup?: (p: Page) => Promise<unknown>): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage();
    await page.setViewport({ width: 1400, height: 900 });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(String(e)));
    await setup?.(page);
    await page.goto(`${url}/${hash}`);
    await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
    return { page, problems };
  }

  it('loads with no console errors: LeNet-5 with 61,706 parameters, its diagram, colours, inlay shapes and WebGPU from SwiftShader', async () => {
    const { page, problems } = await openPage();
    try {
      expect(await page.$eval('#param-count', (e) => e.textContent)).toBe('61,706');
      expect(await page.$eval('#summary h3', (e) => e.textContent)).toBe('model lenet5: 1×28×28 → 10');
      expect(await page.$$eval('#summary tbody tr', (rows) => rows.length)).toBe(13); // the input and 12 layers
      expect(await page.$eval('#diagram', (e) => e.querySelector('svg') !== null)).toBe(true);
      expect(await page.$eval('#adapter', (e) => e.textContent)).toMatch(/swiftshader/i);
      expect(await page.$$eval('.tok-cnn-layer', (es) => es.map((e) => e.textContent))).toEqual(['conv', 'relu', 'maxpool', 'conv', 'relu', 'maxpool', 'flatten', 'dense', 'relu', 'dense', 'relu', 'dense']);
      expect(await page.$$eval('.cm-inlay', (es) => es.slice(0, 3).map((e) => e.textContent))).toEqual(['6×28×28', '6×28×28', '6×14×14']);
      expect(await page.$eval('#diagnostics', (e) => (e as HTMLElement).hidden)).toBe(true);
      // Every example is offered, and opening one shows its own summary.
      const offered = await page.$$eval('#examples option', (os) => os.map((o) => (o as HTMLOptionElement).value));
      expect(offered).toEqual(readdirSync('examples').filter((f) => f.endsWith('.cnn')).sort().map((f) => `examples/${f}`));
      await page.select('#examples', 'examples/resnet18.cnn');
      await page.waitForFunction(() => document.querySelector('#summary h3')?.textContent?.startsWith('model resnet18'), { timeout: 20_000 });
      expect(await page.$eval('#param-count', (e) => e.textContent)).toBe('11,689,512');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('opens a #code= link holding a broken model with the CLI\'s diagnostic, squiggled on the right line', async () => {
    const broken = LENET.replace('conv(16, 5)', 'conv(16, 15)');
    const line = broken.split('\n').findIndex((l) => l.includes('conv(16, 15)')) + 1;
    const { page, problems } = await openPage(`#code=${base64url(broken)}`);
    try {
      // What `cnnc check` prints for the same text, rendered by the same function.
      const expected = compileFrontEnd('examples/linked.cnn', broken, memoryHost({ 'examples/linked.cnn': broken }));
      expect(expected.diagnostics.length).toBeGreaterThan(0);
      const shown = await page.$$eval('#diagnostics pre', (es) => es.map((e) => e.textContent));
      expect(shown).toEqual(expected.diagnostics.map((d) => renderPretty(d, expected.sources)));
      expect(shown[0]).toContain(`examples/linked.cnn:${line}:`);
      // The squiggle is on that line of the editor.
      const squiggled = await page.$$eval('.cm-lintRange-error', (es) => es.map((e) => [...document.querySelectorAll('.cm-content > .cm-line')].indexOf(e.closest('.cm-line')!) + 1));
      expect(squiggled).toContain(line);
      // No model checks yet, so there is nothing to summarise.
      expect(await page.$eval('body', (b) => b.classList.contains('stale'))).toBe(true);
      expect(await page.$eval('#summary', (e) => e.textContent)).toBe('Nothing to show until the error on the left is fixed.');
      await page.screenshot({ path: `${SHOTS}/broken-link.png` });
      // Fixing the text clears it, and the link in the address bar follows the text. A locator
      // waits for the diagnostic to be visible and stable and retries if it is re-rendered (a
      // plain click on a loaded machine found it detached once: "not clickable").
      await page.locator('#diagnostics pre').click();
      await page.keyboard.type('5');
      await page.waitForFunction(() => document.querySelector<HTMLElement>('#diagnostics')!.hidden, { timeout: 20_000 });
      expect(await page.$eval('#param-count', (e) => e.textContent)).toBe('61,706');
      const hash = await page.evaluate(() => location.hash);
      expect(hash).toMatch(/^#z=/);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shares links both ways: #z= from the address bar opens the same text; an unreadable link says so', async () => {
    const edited = LENET.replace('dense(120)', 'dense(100)');
    const first = await openPage(`#code=${base64url(edited)}`);
    const hash = await first.page.evaluate(() => location.hash);
    await first.page.close();
    const { page, problems } = await openPage(hash);
    try {
      expect(await editorText(page)).toBe(edited);
      expect(await page.$eval('#param-count', (e) => e.textContent)).toBe((61_706 - (400 * 120 + 120) - (120 * 84 + 84) + (400 * 100 + 100) + (100 * 84 + 84)).toLocaleString('en-US'));
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
    const bad = await openPage('#code=%%%');
    try {
      expect(await bad.page.$eval('#link-problem', (e) => (e as HTMLElement).hidden)).toBe(false);
      expect(await bad.page.$eval('#param-count', (e) => e.textContent)).toBe('61,706');
    } finally {
      await bad.page.close();
    }
  });

  it('hovers and completes from the language service', async () => {
    const { page, problems } = await openPage();
    try {
      await page.hover('.tok-cnn-layer');
      await page.waitForSelector('.cm-hover-doc', { timeout: 10_000 });
      expect(await page.$eval('.cm-hover-doc', (e) => e.textContent)).toContain('2-D convolution');
      // Type the start of a layer on a new line of the model and ask for completions.
      await page.click('.cm-content');
      await page.evaluate(() => {
        const line = [...document.querySelectorAll('.cm-line')].find((l) => l.textContent!.includes('-> dense(classes)'))!;
        const r = document.createRange();
        r.selectNodeContents(line);
        r.collapse(false);
        getSelection()!.removeAllRanges();
        getSelection()!.addRange(r);
      });
      await page.keyboard.type(' -> maxp');
      await page.waitForSelector('.cm-tooltip-autocomplete', { timeout: 10_000 });
      expect(await page.$$eval('.cm-tooltip-autocomplete li', (es) => es.map((e) => e.textContent))).toContainEqual(expect.stringContaining('maxpool'));
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('trains LeNet-5 one epoch over 2,000 images above 80% on 500 held-out ones, predicts a drawn 1, and downloads a module that runs in Node with the trained weights', async () => {
    const downloads = mkdtempSync(join(tmpdir(), 'cnnc-playground-downloads-'));
    const context = await browser.createBrowserContext({ downloadBehavior: { policy: 'allow', downloadPath: downloads } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(String(e)));
    try {
      await page.setViewport({ width: 1400, height: 900 });
      await page.goto(`${url}/`);
      await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
      await page.click('button[data-tab=train]');
      await page.select('#images', '2000');
      await page.select('#test-images', '500');
      await page.select('#batch', '16');
      await page.$eval('#epochs', (e) => ((e as HTMLInputElement).value = '1'));
      await page.click('#train');
      await page.waitForFunction(() => ['done', 'failed'].includes(document.getElementById('train-status')!.dataset.state ?? ''), { timeout: 240_000, polling: 250 });
      const status = await page.$eval('#train-status', (e) => ({ state: (e as HTMLElement).dataset.state, text: e.textContent, accuracy: Number((e as HTMLElement).dataset.accuracy) }));
      expect(status.state, status.text ?? '').toBe('done');
      expect(status.text).toContain('on 500 held-out images');
      expect(status.accuracy).toBeGreaterThan(0.8);
      expect(await page.$eval('#loss-chart', (e) => e.querySelector('path')?.getAttribute('d')?.length ?? 0)).toBeGreaterThan(50);
      await page.screenshot({ path: `${SHOTS}/trained.png` });

      // A vertical stroke, drawn with the mouse, is a 1.
      await page.click('button[data-tab=draw]');
      const box = (await (await page.$('#pad'))!.boundingBox())!;
      await page.mouse.move(box.x + 140, box.y + 50);
      await page.mouse.down();
      for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + 140 + i, box.y + 50 + i * 18);
      await page.mouse.up();
      await page.waitForFunction(() => document.body.dataset.predicted, { timeout: 60_000 });
      expect(await page.evaluate(() => document.body.dataset.predicted)).toBe('1');
      expect(await page.$$eval('#probabilities .bar', (es) => es.length)).toBe(10);
      expect(await page.$eval('#saliency', (e) => (e as HTMLCanvasElement).width)).toBeGreaterThan(28 * 3);
      await page.screenshot({ path: `${SHOTS}/drawn.png` });

      // The compiled module and the trained weights, downloaded, give the page's accuracy in Node.
      await page.click('button[data-tab=train]');
      await page.click('#download-module');
      const zip = await waitForFile(join(downloads, 'lenet5.zip'));
      const files = unzipSync(zip);
      expect(Object.keys(files).sort()).toEqual(expect.arrayContaining(['lenet5/lenet5.js', 'lenet5/lenet5.d.ts', 'lenet5/lenet5.manifest.json', 'lenet5/cnnc-runtime.js', 'lenet5/lenet5.safetensors']));
      const dir = join(downloads, 'unzipped');
      for (const [name, bytes] of Object.entries(files)) {
        mkdirSync(join(dir, name, '..'), { recursive: true });
        writeFileSync(join(dir, name), bytes);
      }
      const weights = weightsOf(decodeWeightFile(files['lenet5/lenet5.safetensors']));
      expect(Object.keys(weights)).toContain('conv1.weight');
      const { createModel } = await import(pathToFileURL(join(dir, 'lenet5/lenet5.js')).href);
      const gpu = await acquireDevice();
      const model = await createModel({ device: gpu.device, weights });
      const test = loadMnist(undefined, 'test');
      const n = 500;
      const x = test.images.slice(0, n * 784).map((v) => (v - 0.1307) / 0.3081);
      const logits: Float32Array = await model.forward(x, n);
      let right = 0;
      for (let i = 0; i < n; i++) {
        const row = logits.subarray(i * 10, i * 10 + 10);
        if (row.indexOf(Math.max(...row)) === test.labels[i]) right++;
      }
      expect(right / n).toBeCloseTo(status.accuracy, 5);
      await model.destroy();
      await gpu.destroy();
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      rmSync(downloads, { recursive: true, force: true });
    }
  });

  it('stops a run after the step in flight and continues it from there, to the same number of steps', async () => {
    const { page, problems } = await openPage();
    try {
      await page.click('button[data-tab=train]');
      await page.select('#images', '2000');
      await page.select('#test-images', '500');
      await page.$eval('#epochs', (e) => ((e as HTMLInputElement).value = '2'));
      await page.click('#train');
      await page.waitForFunction(() => /step [1-9]/.test(document.getElementById('train-status')!.textContent ?? ''), { timeout: 120_000, polling: 50 });
      await page.click('#stop');
      await page.waitForFunction(() => document.getElementById('train-status')!.dataset.state === 'stopped', { timeout: 60_000, polling: 100 });
      const stoppedAt = Number(/step (\d+)/.exec((await page.$eval('#train-status', (e) => e.textContent))!)![1]);
      // 2,000 images in batches of 64 (the model's) are 31 steps an epoch: 62 in all.
      expect(stoppedAt).toBeGreaterThan(0);
      expect(stoppedAt).toBeLessThan(62);
      expect(await page.$eval('#train', (e) => e.textContent)).toBe('Continue');
      await page.click('#train');
      await page.waitForFunction(() => document.getElementById('train-status')!.dataset.state === 'done', { timeout: 120_000, polling: 100 });
      const text = (await page.$eval('#train-status', (e) => e.textContent))!;
      expect(text).toContain('epoch 2/2, batch 31/31, step 62');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('says what to enable where the browser has no WebGPU, and still checks and draws the model', async () => {
    const { page, problems } = await openPage('', (p) => p.evaluateOnNewDocument(() => {
      Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });
    }));
    try {
      expect(await page.$eval('#no-webgpu', (e) => (e as HTMLElement).hidden)).toBe(false);
      const text = await page.$eval('#no-webgpu', (e) => e.textContent);
      expect(text).toContain('navigator.gpu is missing');
      expect(text).toContain('--enable-unsafe-webgpu');
      expect(await page.$eval('#param-count', (e) => e.textContent)).toBe('61,706');
      expect(await page.$eval('#train', (e) => (e as HTMLButtonElement).disabled)).toBe(true);
      await page.screenshot({ path: `${SHOTS}/no-webgpu.png` });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('is served by `npm run playground`\'s server too (scripts/playground.ts serve), built from the sources', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const server: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/playground.ts', 'serve', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const address = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout!.on('data', (d) => {
          out += String(d);
          const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
          if (m) resolve(m[0]);
        });
        server.stderr!.on('data', (d) => (out += String(d)));
        server.on('exit', (code) => reject(new Error(`playground server exited (${code}): ${out}`)));
      });
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      try {
        await page.goto(address);
        await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
        expect(await page.$eval('#param-count', (e) => e.textContent)).toBe('61,706');
        expect(problems).toEqual([]);
      } finally {
        await page.close();
      }
    } finally {
      server.kill();
    }
  });
});

/** The editor's text as shown, line by line, without the inlay hints between the words. */
function editorText(page: Page): Promise<string> {
  return page.evaluate(() => [...document.querySelectorAll('.cm-content > .cm-line')].map((l) => {
    const copy = l.cloneNode(true) as HTMLElement;
    for (const hint of copy.querySelectorAll('.cm-inlay')) hint.remove();
    return copy.textContent;
  }).join('\n'));
}

async function waitForFile(path: string): Promise<Uint8Array> {
  for (let i = 0; i < 200; i++) {
    try {
      const bytes = readFileSync(path);
      if (bytes.length > 0) return bytes;
    } catch {
      // not there yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${path} was not downloaded`);
}
