import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { initialWeights, lowerStage } from '../../src/backend.js';
import { compileFrontEnd } from '../../src/compiler.js';
import { nodeHost } from '../../src/host.js';
import { encodeSafetensors } from '../../src/train/safetensors.js';
import { tempDir } from '../train/data/tmp.js';
import { run } from './run.js';

/**
 * Bad input a new user gives, each a clear error with a code and exit 1 (or 2 for usage), found by
 * a sweep of 35 kinds of bad input: weights holding NaN, a misspelt --set, an output folder that
 * cannot be written, and the set-up script run as root on a machine without sudo.
 */
const LENET = 'examples/lenet5.cnn';

function lenetWeights(poison?: { name: string; value: number }): Uint8Array {
  const model = compileFrontEnd(LENET, readFileSync(LENET, 'utf8'), nodeHost).models[0];
  const weights = initialWeights(lowerStage(model, { mode: 'infer' }), 1);
  if (poison) weights[poison.name].data[5] = poison.value;
  return encodeSafetensors(weights);
}

function digit(path: string): void {
  const png = new PNG({ width: 28, height: 28 });
  for (let i = 0; i < 28 * 28; i++) png.data.set([i % 7 === 0 ? 255 : 0, i % 7 === 0 ? 255 : 0, i % 7 === 0 ? 255 : 0, 255], i * 4);
  writeFileSync(path, PNG.sync.write(png));
}

describe('bad input', { timeout: 120_000 }, () => {
  it.each([
    ['NaN', NaN],
    ['Infinity', Infinity],
  ])('predict refuses weights holding %s, naming the tensor and the file', async (what, value) => {
    const dir = tempDir('nan');
    const image = join(dir, 'x.png');
    digit(image);
    const good = join(dir, 'good.safetensors');
    writeFileSync(good, lenetWeights());
    expect((await run('predict', LENET, '--weights', good, image)).code).toBe(0);
    const bad = join(dir, 'bad.safetensors');
    writeFileSync(bad, lenetWeights({ name: 'conv2.weight', value }));
    const r = await run('predict', LENET, '--weights', bad, image);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`bad.safetensors: error[E_WEIGHTS_NONFINITE]: weight conv2.weight holds ${what} (element 5)`);
    expect(r.err).toMatch(/help: .*diverged/);
    expect(r.out).toBe('');
  });

  it('a --set for a parameter no model has is an error with the near miss', async () => {
    const dir = tempDir('set');
    const file = join(dir, 'net.cnn');
    writeFileSync(file, 'model net(classes = 10, width = 8) {\n  input x: 1 x 8 x 8\n  x -> conv(width, 3) -> flatten -> dense(classes)\n}\n');
    expect((await run('check', file, '--set', 'classes=3')).code).toBe(0);
    const r = await run('check', file, '--set', 'clases=3');
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[E0117]: a value is given for `clases`');
    const pretty = await run('check', file, '--set', 'clases=3', '--format', 'pretty');
    expect(pretty.err).toContain('note: model `net` has the parameters `classes`, `width`');
    expect(pretty.err).toContain('help: did you mean `classes`? (--set classes=…)');
    // The same on every command that reads a model, before any work.
    expect((await run('summary', file, '--set', 'depth=3')).code).toBe(1);
  });

  it('train refuses an output folder it cannot write before reading data or training', async () => {
    const started = performance.now();
    const r = await run('train', LENET, '--out', '/proc/cnnc-cannot-write-here', '--epochs', '1');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^\/proc\/cnnc-cannot-write-here: error\[E_WRITE\]: cannot write/m);
    expect(r.err).toMatch(/help: choose a folder you can write with --out/);
    expect(r.err).not.toMatch(/training lenet5/);
    // Nothing was loaded: MNIST alone takes seconds to read.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('a file where the output folder should be is refused the same way', async () => {
    const dir = tempDir('outfile');
    const file = join(dir, 'taken');
    writeFileSync(file, 'x');
    const r = await run('train', LENET, '--out', file);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[E_WRITE]');
  });

  // Only as root (CI and containers, which have no sudo): as a user the script would ask sudo.
  it.runIf(process.getuid?.() === 0)('the set-up script runs as root where there is no sudo', () => {
    // lavapipe is installed by then, so the script must find it and succeed without calling sudo
    // (PATH here holds no sudo).
    const r = spawnSync('bash', ['scripts/setup-gpu.sh'], { env: { PATH: '/usr/bin:/bin:/usr/sbin:/sbin'.split(':').filter((d) => !existsSync(join(d, 'sudo'))).join(':') }, encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/sudo: command not found/);
    expect(r.status, r.stderr).toBe(0);
  });
});
