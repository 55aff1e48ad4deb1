import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/check/summary.js';
import { compileFrontEnd } from '../../src/compiler.js';
import { nodeHost } from '../../src/host.js';
import { LanguageService, shapeText } from '../../src/language/service.js';
import { memoryHost } from '../../src/memory-host.js';

/** The language service against the compiler it answers from: the same shapes, names and diagnostics. */
const read = (p: string) => readFileSync(p, 'utf8');

describe('language service', () => {
  it('hovering every layer call of ResNet-18 shows the shapes cnnc summary gives', () => {
    const path = 'examples/resnet18.cnn';
    const ls = new LanguageService(nodeHost);
    const front = compileFrontEnd(path, read(path), nodeHost);
    const model = front.models[0];
    const summary = summarize(model, front.sources);
    let checked = 0;
    for (const [i, n] of model.nodes.entries()) {
      if (n.op === 'input' || n.span.file !== path) continue;
      const h = ls.hover(path, n.span.start + 1);
      expect(h, n.name).toBeDefined();
      expect(h!.text, n.name).toContain(`\`${n.name}\` → \`${shapeText(summary.layers[i].shape)}\``);
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('inlay hints give the shapes the examples write as comments', () => {
    const path = 'examples/lenet5.cnn';
    const text = read(path);
    const hints = new LanguageService(nodeHost).inlayHints(path);
    const lines = text.split('\n');
    let compared = 0;
    lines.forEach((line, i) => {
      const comment = /#\s*(\d+(?:×\d+)*)\s*$/.exec(line);
      if (!comment) return;
      const start = lines.slice(0, i).join('\n').length + (i ? 1 : 0);
      const onLine = hints.filter((h) => h.offset >= start && h.offset <= start + line.length);
      expect(onLine.at(-1)?.label, line).toBe(comment[1]);
      compared++;
    });
    expect(compared).toBe(2);
  });

  it('one layer call inside a block used at several widths: every instance, and its argument docs', () => {
    const path = 'examples/resnet18.cnn';
    const text = read(path);
    const ls = new LanguageService(nodeHost);
    const at = text.indexOf('conv(c, 3, stride: s,');
    const h = ls.hover(path, at + 1)!;
    expect(h.text).toMatch(/layer1\.0\.conv1` → `64×56×56`/);
    expect(h.text).toMatch(/layer4\.0\.conv1` → `512×7×7`/);
    const pad = text.indexOf('pad:', at);
    expect(ls.hover(path, pad + 1)!.text).toMatch(/^`conv\(pad: …\)`: /);
  });

  it('diagnostics are the compiler\'s, for every broken example', () => {
    const ls = new LanguageService(nodeHost);
    for (const f of ['E0203-shapes-differ-at-add.cnn', 'E0101-misspelled-layer.cnn', 'E0001-missing-closing-paren.cnn']) {
      const path = `examples/errors/${f}`;
      const want = compileFrontEnd(path, read(path), nodeHost).diagnostics;
      expect(ls.diagnostics(path).map((d) => [d.code, d.span.start, d.span.end])).toEqual(want.map((d) => [d.code, d.span.start, d.span.end]));
    }
  });

  it('follows edits, and a block to its definition in an imported file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnnc-ls-'));
    writeFileSync(join(dir, 'lib.cnn'), 'block unit(c)(x) {\n  return x -> conv(c, 3, pad: 1) -> relu\n}\n');
    const net = join(dir, 'net.cnn');
    const text = 'import unit from "lib.cnn"\nmodel net {\n  input image: 3 x 8 x 8\n  image -> unit(4) -> flatten -> dense(2)\n}\n';
    writeFileSync(net, text);
    const ls = new LanguageService(nodeHost);
    const def = ls.definition(net, text.indexOf('unit(4)') + 1)!;
    expect(def.file).toBe(join(dir, 'lib.cnn'));
    expect(read(def.file).slice(def.start, def.end)).toBe('unit');
    expect(ls.diagnostics(net)).toEqual([]);
    ls.update(net, text.replace('dense(2)', 'dense(2) -> conv(3, 3)'));
    expect(ls.diagnostics(net).map((d) => d.code)).toEqual(['E0207']);
  });

  it('completes layers, the arguments not yet given, and training settings', () => {
    const text = 'model m {\n  input x: 3 x 8 x 8\n  x -> conv(4, 3, pad: 1, \n  train {\n    \n  }\n}\n';
    const ls = new LanguageService(memoryHost({ 'm.cnn': text }));
    const args = ls.completions('m.cnn', text.indexOf('pad: 1, ') + 'pad: 1, '.length).map((c) => c.label);
    expect(args).toContain('stride');
    expect(args).not.toContain('pad');
    // The two positional arguments filled the first two parameters.
    expect(args.length).toBe(ls.completions('m.cnn', text.indexOf('conv(') + 5).length - 3);
    const top = ls.completions('m.cnn', text.indexOf('x -> ') + 5).map((c) => c.label);
    for (const l of ['conv', 'maxpool', 'batchnorm', 'x']) expect(top).toContain(l);
    expect(ls.completions('m.cnn', text.indexOf('    \n') + 4).map((c) => c.label)).toContain('optimizer');
  });

  it('code actions apply the fix a diagnostic suggests, and the diagnostic goes away', () => {
    const fixed: string[] = [];
    for (const f of readdirSync('examples/errors').filter((n) => /^(E0101|E0102|E0107|E0301|W0208)-.*\.cnn$/.test(n))) {
      const path = `examples/errors/${f}`;
      const text = read(path);
      const ls = new LanguageService(memoryHost({ [path]: text }));
      const code = f.slice(0, 5);
      const target = ls.diagnostics(path).find((d) => d.code === code)!;
      const actions = ls.codeActions(path, target.span.start, target.span.end).filter((a) => a.diagnostic.code === code);
      if (!actions.length) continue;
      // Edits from the end backwards, so earlier offsets stay valid.
      const edited = [...actions[0].edits].sort((a, b) => b.span.start - a.span.start).reduce((t, e) => t.slice(0, e.span.start) + e.text + t.slice(e.span.end), text);
      ls.update(path, edited);
      expect(ls.diagnostics(path).filter((d) => d.code === code), `${f} after "${actions[0].title}":\n${edited}`).toEqual([]);
      fixed.push(f);
    }
    // A misspelt layer, argument, name and training setting, and a lossy stride.
    expect(fixed.map((f) => f.slice(0, 5)).sort()).toEqual(expect.arrayContaining(['E0101', 'E0102', 'E0301', 'W0208']));
  });

  it('the outline lists models, blocks, inputs and values', () => {
    const path = 'examples/resnet18.cnn';
    const s = new LanguageService(nodeHost).symbols(path);
    expect(s.map((x) => `${x.kind} ${x.name}`)).toEqual(expect.arrayContaining(['block basic', 'model resnet18']));
    expect(s.find((x) => x.name === 'resnet18')!.children.map((c) => c.name)).toContain('image');
  });

  it('no document, however broken, makes a question throw or answer outside the document', () => {
    const pieces = ['model', 'block', 'm', '{', '}', '(', ')', '->', 'conv', 'conv(3, 3)', 'input x: 3 x 8 x 8', 'x', ':', ',', 'pad:', '\n', ' ', '#c', '"', 'import', 'train {', 'return', '*', '2', 'relu', 'as', 'a', '=', 'add', '(a, b)'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), fc.nat(400), (parts, at) => {
        const text = parts.join(' ');
        const ls = new LanguageService(memoryHost({ 'f.cnn': text }));
        const offset = Math.min(at, text.length);
        const inside = (s: { file: string; start: number; end: number } | undefined) => !s || s.file !== 'f.cnn' || (s.start >= 0 && s.end <= text.length && s.start <= s.end);
        for (const d of ls.diagnostics('f.cnn')) expect(inside(d.span)).toBe(true);
        expect(inside(ls.hover('f.cnn', offset)?.span)).toBe(true);
        expect(inside(ls.definition('f.cnn', offset))).toBe(true);
        for (const h of ls.inlayHints('f.cnn')) expect(h.offset).toBeLessThanOrEqual(text.length);
        ls.completions('f.cnn', offset);
        for (const s of ls.symbols('f.cnn')) expect(inside(s.span)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
