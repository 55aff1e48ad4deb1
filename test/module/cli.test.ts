import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModuleManifest } from '../../src/module/manifest.js';
import { compileModule } from '../../src/module/compile-module.js';
import { run } from '../cli/run.js';
import { loadModel, removeDir, tempModuleDir } from './helpers.js';

const dirs: string[] = [];
function fresh(): string {
  const d = tempModuleDir();
  dirs.push(d);
  return d;
}
afterAll(() => dirs.forEach(removeDir));

const manifestOf = (dir: string, name: string) => JSON.parse(readFileSync(join(dir, `${name}.manifest.json`), 'utf8')) as ModuleManifest;

describe('cnnc compile -o DIR', { timeout: 60_000 }, () => {
  it('writes the module, its types, manifest, WGSL and runtime, one line each, then the dispatch counts', async () => {
    const dir = fresh();
    const r = await run('compile', 'examples/lenet5.cnn', '-o', dir);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const lines = r.out.trim().split('\n');
    const { dispatches } = compileModule(loadModel('examples/lenet5.cnn'), { target: 'software', fusion: true, seed: 0 }).manifest;
    expect(lines.at(-1)).toBe(`${dispatches.forward} kernels per forward pass, ${dispatches.trainStep} per training step`);
    const written = lines.slice(0, -1).map((l) => {
      expect(l).toMatch(/^wrote /);
      return l.slice('wrote '.length);
    });
    for (const f of ['lenet5.js', 'lenet5.d.ts', 'lenet5.manifest.json', 'cnnc-runtime.js', 'cnnc-runtime.d.ts', 'package.json']) expect(written).toContain(join(dir, f));
    for (const path of written) expect(existsSync(path), path).toBe(true);
    const m = manifestOf(dir, 'lenet5');
    expect(m.shaderFiles.length).toBeGreaterThan(0);
    for (const f of m.shaderFiles) expect(readFileSync(join(dir, f), 'utf8')).toMatch(/@compute @workgroup_size/);
    expect(written.filter((p) => p.endsWith('.wgsl'))).toHaveLength(m.shaderFiles.length);
    expect(m.variants.map((v) => [v.name, v.features, v.minSubgroupSize])).toEqual([['subgroups', ['subgroups'], 8], ['portable', [], undefined]]);
    expect(m).toMatchObject({ model: 'lenet5', target: 'software', input: { shape: [1, 28, 28] }, output: { shape: [10] }, loss: 'cross_entropy' });
    expect(m.optimizer.name).toBe('adam');
    expect(m.dispatches).toEqual(dispatches);
    expect(m.weights.map((w) => w.name)).toEqual(['conv1.weight', 'conv1.bias', 'conv2.weight', 'conv2.bias', 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias', 'fc3.weight', 'fc3.bias']);
    expect(m.weights[0]).toMatchObject({ shape: [6, 1, 5, 5], role: 'param', init: { kind: 'uniform', bound: 0.2 } });
  });

  it('keeps a package.json already in DIR', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'package.json'), '{"name":"mine"}\n');
    const r = await run('compile', 'test/fixtures/residual.cnn', '-o', dir);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain(join(dir, 'package.json'));
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe('{"name":"mine"}\n');
  });

  it('--target gpu needs no subgroups; --no-fusion dispatches more kernels; --seed sets the default seed', async () => {
    const dir = fresh();
    expect((await run('compile', 'test/fixtures/residual.cnn', '-o', join(dir, 'gpu'), '--target', 'gpu', '--seed', '7')).code).toBe(0);
    expect((await run('compile', 'test/fixtures/residual.cnn', '-o', join(dir, 'fused'))).code).toBe(0);
    expect((await run('compile', 'test/fixtures/residual.cnn', '-o', join(dir, 'unfused'), '--no-fusion')).code).toBe(0);
    const gpu = manifestOf(join(dir, 'gpu'), 'residual');
    expect(gpu.variants.map((v) => [v.name, v.features])).toEqual([['portable', []]]);
    expect(gpu.seed).toBe(7);
    expect(gpu.weights.find((w) => w.name === 'basic1.bn1.running_var')).toMatchObject({ role: 'state', init: { kind: 'const', value: 1 } });
    const fused = manifestOf(join(dir, 'fused'), 'residual').dispatches;
    const unfused = manifestOf(join(dir, 'unfused'), 'residual').dispatches;
    expect(unfused.forward).toBeGreaterThan(fused.forward);
    expect(unfused.trainStep).toBeGreaterThan(fused.trainStep);
  });

  it('--emit still prints a stage, alone or beside -o', async () => {
    const r = await run('compile', 'examples/lenet5.cnn', '--emit', 'ir');
    expect(r.code).toBe(0);
    expect(r.out).toContain('lenet5 (infer)');
    const dir = fresh();
    const both = await run('compile', 'examples/lenet5.cnn', '--emit', 'wgsl', '-o', dir);
    expect(both.code).toBe(0);
    expect(both.out).toMatch(/^\/\/ lenet5 \(infer, software\): \d+ kernels/);
    expect(both.out).toContain(`wrote ${join(dir, 'lenet5.js')}`);
  });

  it('usage errors are one line and exit 2', async () => {
    const neither = await run('compile', 'examples/lenet5.cnn');
    expect(neither).toEqual({ code: 2, out: '', err: 'cnnc: compile needs -o DIR (a runnable module) or --emit ast|ir|folded|fusion|wgsl|plan|manifest (a stage on stdout)\n' });
    const seed = await run('compile', 'examples/lenet5.cnn', '-o', fresh(), '--seed', '-1');
    expect(seed).toMatchObject({ code: 2, err: "cnnc: --seed expects an integer from 0 to 4294967295, got '-1'\n" });
    const file = join(fresh(), 'a-file');
    writeFileSync(file, '');
    const blocked = await run('compile', 'examples/lenet5.cnn', '-o', file);
    expect(blocked.code).toBe(2);
    expect(blocked.err).toMatch(/^cnnc: cannot write to .*a-file \(E(EXIST|NOTDIR)/);
    expect(blocked.err.trim().split('\n')).toHaveLength(1);
    expect((await run('compile', 'examples/lenet5.cnn', '-o', fresh(), '--target', 'tpu')).code).toBe(2);
  });

  it('a file with errors writes nothing and exits 1', async () => {
    const dir = fresh();
    const r = await run('compile', 'examples/errors/E0203-shapes-differ-at-add.cnn', '-o', join(dir, 'out'), '--format', 'short');
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[E0203]');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
