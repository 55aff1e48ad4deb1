import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from './run.js';

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cnnc-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

afterEach(() => vi.restoreAllMocks());

describe('cnnc check', () => {
  it('prints nothing and exits 0 for clean files', async () => {
    expect(await run('check', 'examples/lenet5.cnn', 'examples/resnet18.cnn')).toEqual({ code: 0, out: '', err: '' });
  });

  it('exits 1 with one line per error in short form', async () => {
    const path = tempFile('bad.cnn', 'model m {\n  input x: 3 x 32 x 32\n  x -> conv(8, 3) -> maxpol(2) -> flatten -> dense(10, bais: true)\n}\n');
    const r = await run('check', '--format', 'short', path);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toEqual([
      `${path}:3:22: error[E0101]: unknown layer \`maxpol\``,
      `${path}:3:56: error[E0102]: \`dense\` has no parameter \`bais\``,
    ]);
  });

  it('pretty form shows the line, a marker and the help', async () => {
    const path = tempFile('bad.cnn', 'model m {\n  input x: 3 x 32 x 32\n  x -> conv(8, 3) -> maxpol(2)\n}\n');
    const r = await run('check', '--format', 'pretty', path);
    expect(r.err).toContain('error[E0101]: unknown layer `maxpol`');
    expect(r.err).toContain('3 |   x -> conv(8, 3) -> maxpol(2)');
    expect(r.err).toContain('  |                      ^^^^^^');
    expect(r.err).toContain('help: did you mean `maxpool`?');
    expect(r.err).toContain('1 error');
  });

  it('warnings pass, unless --strict', async () => {
    const path = tempFile('w.cnn', 'model m {\n  input x: 3 x 224 x 224\n  x -> conv(96, 11, stride: 4)\n}\n');
    const warn = await run('check', '--format', 'short', path);
    expect(warn.code).toBe(0);
    expect(warn.err).toContain('warning[W0208]');
    const strict = await run('check', '--strict', '--format', 'short', path);
    expect(strict.code).toBe(1);
    expect(strict.err).toContain('error[W0208]');
  });

  it('usage errors exit 2 without a stack trace', async () => {
    const missing = await run('check', 'no/such/file.cnn');
    expect(missing.code).toBe(2);
    expect(missing.err).toBe('cnnc: no such file: no/such/file.cnn\n');
    expect((await run('check', '--frobnicate', 'x.cnn')).code).toBe(2);
    expect((await run('summary', 'examples/lenet5.cnn', '--set', 'classes')).code).toBe(2);
    expect((await run('summary', 'examples/lenet5.cnn', '--model', 'nope')).code).toBe(2);
    expect((await run('bogus-command')).code).toBe(2);
  });
});

describe('cnnc summary', () => {
  it('prints a table with totals', async () => {
    const r = await run('summary', 'examples/lenet5.cnn');
    expect(r.code).toBe(0);
    expect(r.out).toContain('model lenet5: 1×28×28 → 10');
    expect(r.out).toMatch(/conv1\s*│ conv\s*│\s*6 │ 6×28×28\s*│\s*156 │/);
    expect(r.out).toContain('Trainable params:     61,706');
  });

  it('--json gives totals and layers', async () => {
    const r = await run('summary', '--json', 'examples/resnet18.cnn');
    const s = JSON.parse(r.out);
    expect(s.totalParams).toBe(11_689_512);
    expect(s.nonTrainableParams).toBe(9_600);
    expect(s.totalMacs / 1e9).toBeCloseTo(1.81, 2);
    expect(s.layers[0]).toMatchObject({ op: 'input', shape: [3, 224, 224] });
    expect(s.layers.at(-1).shape).toEqual([1000]);
  });

  it('--set overrides a model parameter, and the result is checked again', async () => {
    const s = JSON.parse((await run('summary', '--json', '--set', 'classes=7', 'examples/alexnet.cnn')).out);
    expect(s.output).toEqual([7]);
    // LeNet-5 trains on MNIST: 7 classes no longer fit its data set.
    const r = await run('summary', '--format', 'short', '--set', 'classes=7', 'examples/lenet5.cnn');
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[E0303]: mnist has 10 classes but the model outputs 7 scores');
  });
});

describe('cnnc compile --emit', () => {
  it('prints the AST with spans', async () => {
    const r = await run('compile', '--emit', 'ast', 'examples/lenet5.cnn');
    expect(r.code).toBe(0);
    const ast = JSON.parse(r.out);
    expect(ast.items[0]).toMatchObject({ kind: 'Model', name: { text: 'lenet5' } });
    expect(ast.items[0].body[0].span.start).toBeGreaterThan(0);
  });

  it('prints the training graph with gradients', async () => {
    const r = await run('compile', '--emit', 'ir', '--mode', 'train', 'examples/lenet5.cnn');
    expect(r.code).toBe(0);
    expect(r.out).toContain('param conv1.weight [6, 1, 5, 5]');
    expect(r.out).toMatch(/= conv2d_grad_weight\(%\d+, %\d+\) \{[^}]*\}\s+: \[6, 1, 5, 5\]\s+# conv1/);
    expect(r.out).toContain('d fc3.bias = %');
  });

  it('prints the WGSL kernels of the plan', async () => {
    const r = await run('compile', '--emit', 'wgsl', 'examples/lenet5.cnn');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\/\/ lenet5 \(infer, software\): \d+ kernels/);
    expect(r.out).toContain('// ---- conv2d_fwd+relu:conv1');
    expect(r.out).toContain('@compute @workgroup_size(');
  });

  it('needs --emit, and refuses broken input with exit 1', async () => {
    expect((await run('compile', 'examples/lenet5.cnn')).code).toBe(2);
    expect((await run('compile', '--emit', 'ir', 'examples/errors/E0101-unknown-layer.cnn')).code).toBe(1);
  });
});

describe('cnnc diagram', () => {
  it('writes an SVG with a box per layer group', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'cnnc-')), 'sub', 'net.svg');
    const r = await run('diagram', 'examples/resnet18.cnn', '-o', out);
    expect(r.code).toBe(0);
    const svg = readFileSync(out, 'utf8');
    expect(svg.startsWith('<svg') || svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain('layer4.1: basic');
    expect(svg).toContain('11,689,512');
  });

  it('rejects a bad --expand', async () => {
    expect((await run('diagram', 'examples/lenet5.cnn', '--expand', 'some')).code).toBe(2);
  });
});

describe('the installed binary', () => {
  it('runs from bin/cnnc.js with the right exit codes', () => {
    expect(execFileSync('node', ['bin/cnnc.js', 'check', 'examples/lenet5.cnn'], { encoding: 'utf8' })).toBe('');
    const bad = spawnSync('node', ['bin/cnnc.js', 'check', 'examples/errors/E0203-shapes-differ-at-add.cnn'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('error[E0203]');
    expect(bad.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });
});
