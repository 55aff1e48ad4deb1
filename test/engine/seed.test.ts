import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelProbe } from '../../src/engine/probe.js';
import { ModelSession, type WeightTensor } from '../../src/engine/session.js';
import { run as cli } from '../cli/run.js';
import { loadModel, removeDir, run, tempModuleDir, type WeightsJson } from '../module/helpers.js';

/**
 * One seed, one set of initial weights, whichever way a model is built: a ModelSession, a
 * ModelProbe (the viz commands) and a module written by `cnnc compile -o --seed` and run by plain
 * node. (The probe once drew from another generator than the session.)
 */
const CASES = ['examples/lenet5.cnn', 'test/fixtures/residual.cnn'];
const plain = (w: Record<string, WeightTensor>): WeightsJson => Object.fromEntries(Object.entries(w).map(([k, v]) => [k, { shape: [...v.shape], data: Array.from(v.data) }]));
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

describe.each(CASES)('%s: initial weights by seed', { timeout: 300_000 }, (file) => {
  const seed = (Date.now() ^ (Math.random() * 1e9)) >>> 0;

  it(`are the same through ModelSession, ModelProbe and cnnc compile --seed ${seed}`, async () => {
    const model = loadModel(file);
    const session = await ModelSession.create(model, { batch: 1, seed });
    const fromSession = plain(await session.getWeights());
    await session.destroy();
    const probe = await ModelProbe.create(model, { seed });
    const fromProbe = plain(probe.getWeights());
    await probe.destroy();
    const dir = tempModuleDir();
    dirs.push(dir);
    const r = await cli('compile', file, '-o', dir, '--seed', String(seed));
    expect(r.code, r.err).toBe(0);
    // No seed given to createModel: the module's default is the one compiled in.
    const script = `const { createModel } = await import(${JSON.stringify(pathToFileURL(join(dir, `${model.name}.js`)).href)});
const m = await createModel();
const w = await m.getWeights();
await m.destroy();
process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(w).map(([k, v]) => [k, { shape: v.shape, data: Array.from(v.data) }]))));`;
    const out = await run(process.execPath, ['--input-type=module', '-e', script], { timeout: 280_000, maxBuffer: 1 << 28 });
    const fromModule = JSON.parse(out.stdout) as WeightsJson;

    expect(Object.keys(fromSession).length).toBeGreaterThan(0);
    expect(fromProbe).toEqual(fromSession);
    expect(fromModule).toEqual(fromSession);
  });

  it('differ for another seed', async () => {
    const model = loadModel(file);
    const [a, b] = await Promise.all([seed, seed + 1].map(async (s) => {
      const session = await ModelSession.create(model, { batch: 1, seed: s });
      try {
        return plain(await session.getWeights());
      } finally {
        await session.destroy();
      }
    }));
    const name = Object.keys(a).find((k) => k.endsWith('.weight'))!;
    expect(a[name].data).not.toEqual(b[name].data);
  });
});
