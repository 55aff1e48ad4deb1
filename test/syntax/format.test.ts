import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/check/summary.js';
import { compileFrontEnd } from '../../src/compiler.js';
import { memoryHost } from '../../src/memory-host.js';
import { lowerModel } from '../../src/ir/lower.js';
import { printGraph } from '../../src/ir/print.js';
import { formatSource, WIDTH } from '../../src/syntax/format.js';
import { run } from '../cli/run.js';
import { tempDir } from '../train/data/tmp.js';

/**
 * `cnnc fmt`: the layout changes nothing a file means (the same checked models, layer for layer,
 * the same graph IR), keeps every comment, and formats its own output to itself.
 */
const files = [
  ...readdirSync('examples').filter((f) => f.endsWith('.cnn')).map((f) => `examples/${f}`),
  'examples/blocks/fire.cnn',
  ...readdirSync('test/fixtures').filter((f) => f.endsWith('.cnn')).map((f) => `test/fixtures/${f}`),
];

/** What a file means: every model's layers (names, shapes, parameters) and its lowered graph. */
function meaning(path: string, text: string, blocks: Record<string, string>): string {
  const r = compileFrontEnd(path, text, memoryHost({ ...blocks, [path]: text }));
  // Line numbers aside: breaking a long pipeline moves the layers after it down.
  const layers = (m: (typeof r.models)[number]) => ({ ...summarize(m, r.sources), layers: summarize(m, r.sources).layers.map(({ line: _line, ...l }) => l) });
  return JSON.stringify({ diagnostics: r.diagnostics.map((d) => d.code), models: r.models.map((m) => [layers(m), printGraph(lowerModel(m, { mode: 'train' }), m.name)]) });
}

const comments = (text: string) => [...text.matchAll(/#[^\n]*/g)].map((m) => m[0].trimEnd());

describe('cnnc fmt', () => {
  const blocks = { 'examples/blocks/fire.cnn': readFileSync('examples/blocks/fire.cnn', 'utf8') };
  it.each(files)('%s: same meaning, every comment, idempotent', (path) => {
    const text = readFileSync(path, 'utf8');
    const out = formatSource(text).text!;
    expect(out).toBeDefined();
    expect(meaning(path, out, blocks)).toBe(meaning(path, text, blocks));
    expect(comments(out)).toEqual(comments(text));
    expect(formatSource(out).text).toBe(out);
  });

  it('lays out a messy file canonically', () => {
    const messy = [
      '# a net',
      'block  unit(c,stride=1)( x ){',
      '        return x->conv( c ,3 ,stride:stride,pad : 1)->relu   # one conv',
      '}',
      '',
      '',
      '',
      'model   tiny( classes=10 ){',
      '    input image : 3 x 16  x 16',
      '  y = image',
      '        ->unit(8)*2 -> maxpool(2)      # 8×8×8',
      '     -> flatten->dense(classes*2 - -1) # logits',
      ' train { optimizer : sgd(lr:0.1) ;batch:8 }   ',
      '}',
    ].join('\n');
    expect(formatSource(messy).text).toBe(
      [
        '# a net',
        'block unit(c, stride = 1)(x) {',
        '  return x -> conv(c, 3, stride: stride, pad: 1) -> relu  # one conv',
        '}',
        '',
        'model tiny(classes = 10) {',
        '  input image: 3 x 16 x 16',
        '  y = image',
        '    -> unit(8) * 2 -> maxpool(2)           # 8×8×8',
        '    -> flatten -> dense(classes * 2 - -1)  # logits',
        '  train { optimizer: sgd(lr: 0.1); batch: 8 }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('breaks a pipeline longer than the width before its stages, keeping its meaning and its comment', () => {
    const long = 'model m {\n  input x: 3 x 32 x 32\n  y = x -> conv(16, 3, pad: 1, bias: false) -> batchnorm(eps: 0.001) -> relu -> conv(32, 3, stride: 2, pad: 1, round: floor) -> batchnorm -> relu  # 32×16×16\n  y -> globalavgpool -> flatten -> dense(10)\n}\n';
    const out = formatSource(long).text!;
    const lines = out.split('\n');
    expect(lines.slice(2, 5)).toEqual([
      '  y = x -> conv(16, 3, pad: 1, bias: false) -> batchnorm(eps: 0.001) -> relu',
      '        -> conv(32, 3, stride: 2, pad: 1, round: floor) -> batchnorm -> relu  # 32×16×16',
      '  y -> globalavgpool -> flatten -> dense(10)',
    ]);
    expect(lines.every((l) => l.replace(/\s+#.*$/, '').length <= WIDTH)).toBe(true);
    expect(formatSource(out).text).toBe(out);
    expect(meaning('m.cnn', out, {})).toBe(meaning('m.cnn', long, {}));
  });

  it('--check lists what would change and exits 1; without it, the file is rewritten', async () => {
    const dir = tempDir('fmt');
    const good = join(dir, 'good.cnn');
    const bad = join(dir, 'bad.cnn');
    writeFileSync(good, formatSource(readFileSync('examples/lenet5.cnn', 'utf8')).text!);
    writeFileSync(bad, 'model m {\n input x: 1 x 4 x 4\n x->flatten->dense(2)\n}\n');
    const check = await run('fmt', '--check', good, bad);
    expect([check.code, check.out]).toEqual([1, `${bad}\n`]);
    expect((await run('fmt', good, bad)).code).toBe(0);
    expect(readFileSync(bad, 'utf8')).toBe('model m {\n  input x: 1 x 4 x 4\n  x -> flatten -> dense(2)\n}\n');
    expect((await run('fmt', '--check', good, bad)).code).toBe(0);
    const broken = join(dir, 'broken.cnn');
    writeFileSync(broken, 'model m {\n  input x: 1 x 4 x 4\n  x -> dense(2\n}\n');
    const r = await run('fmt', broken);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/E0001/);
    expect(readFileSync(broken, 'utf8')).toBe('model m {\n  input x: 1 x 4 x 4\n  x -> dense(2\n}\n');
  });
});
