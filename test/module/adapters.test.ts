import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'puppeteer-core';
import { compileModule } from '../../src/module/compile-module.js';
import { moduleFiles, writeModuleFiles } from '../../src/module/write-module.js';
import { numel } from '../../src/ir/graph.js';
import { randomArray, relError, seededRandom } from '../../src/ir/reference/testing.js';
import { loadModel, removeDir, run, tempModuleDir } from './helpers.js';
import { CHROMIUM, launchChromium, noBrowser, serve } from '../browser.js';

/**
 * A compiled module gives the same numbers on adapters whose subgroups differ: lavapipe's 8,
 * lavapipe at 512 bits (LP_NATIVE_VECTOR_WIDTH=512: 16) and Chromium's SwiftShader (4), for
 * every --target. The software target's subgroup kernels broadcast from lanes 0–7; on
 * SwiftShader they would read lanes that do not exist (13% off, silently, before the module
 * chose its kernels from the adapter), so there the module must pick its portable variant.
 */

const CASES = [
  { file: 'examples/lenet5.cnn', batch: 3 },
  { file: 'test/fixtures/residual.cnn', batch: 2 },
  { file: 'test/fixtures/activations.cnn', batch: 2 },
] as const;
const TARGETS = ['software', 'gpu'] as const;

interface JobResult {
  readonly variant: string;
  readonly subgroupMinSize: number | null;
  readonly adapter: string | null;
  readonly logits: number[];
  readonly losses: number[];
  readonly trainedLogits: number[];
}

interface Job {
  readonly seed: number;
  readonly batch: number;
  readonly x: number[];
  readonly target: number[];
  readonly steps: number;
  readonly variant?: string;
}

function makeJob(file: string, batch: number, seed: number): Job {
  const model = loadModel(file);
  const rand = seededRandom(seed);
  const classes = model.nodes[model.output].shape[0];
  return {
    seed,
    batch,
    steps: 2,
    x: Array.from(randomArray(rand, batch * numel(model.nodes[0].shape))),
    target: Array.from({ length: batch }, () => Math.floor(rand() * classes)),
  };
}

async function inNode(dir: string, name: string, job: Job, env: Record<string, string> = {}): Promise<JobResult> {
  const jobPath = join(dir, `job-${Math.random().toString(36).slice(2)}.json`);
  const resultPath = `${jobPath}.result.json`;
  writeFileSync(jobPath, JSON.stringify(job));
  await run(process.execPath, [resolve('test/module/run-job-node.mjs'), join(dir, `${name}.js`), jobPath, resultPath], { timeout: 280_000, env: { ...process.env, ...env } });
  return JSON.parse(readFileSync(resultPath, 'utf8')) as JobResult;
}

function expectSame(got: JobResult, want: JobResult, what: string): void {
  for (const v of [...got.logits, ...got.losses, ...got.trainedLogits]) expect(Number.isFinite(v), `${what}: finite`).toBe(true);
  expect(relError(got.logits, want.logits), `${what}: logits`).toBeLessThan(1e-4);
  expect(relError(got.losses, want.losses), `${what}: losses`).toBeLessThan(1e-4);
  expect(relError(got.trainedLogits, want.trainedLogits), `${what}: logits after training`).toBeLessThan(1e-4);
}

const seed = (Date.now() ^ (Math.random() * 1e9)) >>> 0;
const modules: { file: string; target: (typeof TARGETS)[number]; dir: string; name: string; job: Job; node?: JobResult }[] = [];

beforeAll(() => {
  for (const c of CASES) {
    for (const target of TARGETS) {
      const model = loadModel(c.file);
      const dir = tempModuleDir();
      writeModuleFiles(dir, moduleFiles(compileModule(model, { target, fusion: true, seed }), c.file));
      writeFileSync(join(dir, 'run-job.js'), readFileSync('test/module/run-job.js'));
      modules.push({ file: c.file, target, dir, name: model.name, job: makeJob(c.file, c.batch, seed) });
    }
  }
});
afterAll(() => {
  for (const m of modules) removeDir(m.dir);
});

describe(`compiled modules on lavapipe (seed ${seed})`, { timeout: 300_000 }, () => {
  it('run the subgroup kernels with 8 lanes, and the portable ones give the same numbers', async () => {
    for (const m of modules) {
      m.node = await inNode(m.dir, m.name, m.job);
      expect(m.node.subgroupMinSize, m.file).toBe(8);
      expect(m.node.variant, `${m.file} ${m.target}`).toBe(m.target === 'software' ? 'subgroups' : 'portable');
      if (m.target === 'software') expectSame(await inNode(m.dir, m.name, { ...m.job, variant: 'portable' }), m.node, `${m.file} portable vs subgroups`);
    }
  });

  it('give the same numbers with 16-lane subgroups (LP_NATIVE_VECTOR_WIDTH=512)', async () => {
    for (const m of modules.filter((x) => x.target === 'software')) {
      const wide = await inNode(m.dir, m.name, m.job, { LP_NATIVE_VECTOR_WIDTH: '512' });
      expect(wide.subgroupMinSize, m.file).toBe(16);
      expect(wide.variant).toBe('subgroups');
      expectSame(wide, m.node!, `${m.file} at 512 bits`);
    }
  });
});

const PAGE = (name: string) => `<!doctype html>
<link rel="icon" href="data:,">
<script type="module">
import { createModel } from './${name}.js';
import { runJob } from './run-job.js';
const job = await (await fetch('./job.json')).json();
runJob(createModel, job).then((r) => { window.result = r; }, (e) => { window.result = { error: String(e && e.stack || e) }; });
</script>`;

describe.skipIf(noBrowser)(`compiled modules in headless Chromium on SwiftShader (subgroups of 4; seed ${seed}; skipped only where ${CHROMIUM} is not installed: apt-get install chromium)`, { timeout: 300_000 }, () => {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it.each(CASES.flatMap((c) => TARGETS.map((target) => ({ file: c.file, target }))))('$file, --target $target: the Node logits, losses and trained logits', async ({ file, target }) => {
    const m = modules.find((x) => x.file === file && x.target === target)!;
    m.node ??= await inNode(m.dir, m.name, m.job);
    writeFileSync(join(m.dir, 'job.json'), JSON.stringify(m.job));
    writeFileSync(join(m.dir, 'index.html'), PAGE(m.name));
    const { server, url } = await serve(m.dir);
    const page = await browser!.newPage();
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(msg.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    try {
      await page.goto(`${url}/index.html`);
      await page.waitForFunction('window.result !== undefined', { timeout: 240_000, polling: 200 });
      const got = (await page.evaluate('window.result')) as JobResult & { error?: string };
      expect(got.error).toBeUndefined();
      expect(problems).toEqual([]);
      expect(got.adapter).toBe('swiftshader');
      expect(got.subgroupMinSize).toBe(4);
      expect(got.variant).toBe('portable');
      expectSame(got, m.node, `${file} ${target} in Chromium`);
    } finally {
      await page.close();
      server.close();
    }
  });
});
