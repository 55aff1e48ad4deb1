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
        for (const s of ls.references('f.cnn', offset)) expect(inside(s)).toBe(true);
        const r = ls.rename('f.cnn', offset, 'renamed');
        if ('edits' in r) for (const e of r.edits) expect(inside(e.span)).toBe(true);
        const sig = ls.signatureHelp('f.cnn', offset);
        if (sig) expect(sig.active).toBeLessThan(Math.max(1, sig.parameters.length));
      }),
      { numRuns: 300 },
    );
  });

  it('references and rename of a block across an import, of a value, and of a parameter with its named arguments', () => {
    const files = {
      'lib.cnn': 'block unit(c, k = 3)(x) {\n  y = x -> conv(c, k, pad: k // 2) -> relu\n  return y\n}\n',
      'net.cnn': 'import unit from "lib.cnn"\nmodel net {\n  input image: 3 x 8 x 8\n  h = image -> unit(4, k: 1) -> unit(c: 6)\n  h -> flatten -> dense(2)\n}\n',
    };
    const ls = new LanguageService(memoryHost(files));
    const net = files['net.cnn'];
    const lib = files['lib.cnn'];
    const at = (file: string, text: string) => (s: { file: string; start: number; end: number }) => `${s.file}:${text.slice(s.start, s.end)}@${s.start}`;
    // The block: its declaration in lib.cnn, the import's name list and both uses.
    const refs = ls.references('net.cnn', net.indexOf('unit(4') + 1);
    expect(refs.map((s) => s.file).sort()).toEqual(['lib.cnn', 'net.cnn', 'net.cnn', 'net.cnn']);
    const renamed = ls.rename('net.cnn', net.indexOf('unit(c: 6)') + 2, 'cell');
    expect('edits' in renamed).toBe(true);
    const apply = (file: string, text: string, edits: readonly { span: { file: string; start: number; end: number }; text: string }[]) =>
      [...edits].filter((e) => e.span.file === file).sort((x, y) => y.span.start - x.span.start).reduce((t, e) => t.slice(0, e.span.start) + e.text + t.slice(e.span.end), text);
    const edits = (renamed as { edits: { span: { file: string; start: number; end: number }; text: string }[] }).edits;
    const net2 = apply('net.cnn', net, edits);
    const lib2 = apply('lib.cnn', lib, edits);
    expect(net2).toContain('import cell from "lib.cnn"');
    expect(net2).toContain('image -> cell(4, k: 1) -> cell(c: 6)');
    expect(lib2).toContain('block cell(c, k = 3)(x)');
    // The renamed files check clean, as before.
    const after = new LanguageService(memoryHost({ 'lib.cnn': lib2, 'net.cnn': net2 }));
    expect(after.diagnostics('net.cnn').filter((d) => d.severity === 'error')).toEqual([]);
    // A parameter: its declaration, its uses in the body and in defaults, and the named arguments at the call sites.
    const k = ls.references('lib.cnn', lib.indexOf('k = 3'));
    expect(k.filter((s) => s.file === 'lib.cnn').map(at('lib.cnn', lib))).toEqual([`lib.cnn:k@${lib.indexOf('k = 3')}`, `lib.cnn:k@${lib.indexOf('k, pad')}`, `lib.cnn:k@${lib.indexOf('k // 2')}`]);
    const byNet = new LanguageService(memoryHost(files)).references('net.cnn', net.indexOf('k: 1'));
    expect(byNet.map((s) => `${s.file}@${s.start}`)).toContain(`net.cnn@${net.indexOf('k: 1')}`);
    expect(byNet.map((s) => s.file)).toContain('lib.cnn');
    // A value: renamed in its assignment and its use, and names that cannot be are refused with a reason.
    const h = ls.rename('net.cnn', net.indexOf('h -> flatten'), 'features');
    expect(apply('net.cnn', net, (h as { edits: { span: { file: string; start: number; end: number }; text: string }[] }).edits)).toContain('features = image ->');
    expect(ls.rename('net.cnn', net.indexOf('h -> flatten'), 'image')).toEqual({ error: '`image` is already a name in model `net`' });
    expect(ls.rename('net.cnn', net.indexOf('unit(4'), 'conv')).toEqual({ error: '`conv` is a built-in layer; a block of that name would hide it' });
    expect(ls.rename('net.cnn', net.indexOf('h -> flatten'), '2x')).toEqual({ error: '`2x` is not a name: letters, digits and _, not starting with a digit' });
    expect(ls.rename('net.cnn', net.indexOf('flatten'), 'f')).toEqual({ error: 'there is no block or value name here to rename' });
  });

  it('signature help shows the parameters and the one being typed', () => {
    const text = 'model m {\n  input x: 3 x 8 x 8\n  x -> conv(8, 3, pad: 1, \n}\n';
    const ls = new LanguageService(memoryHost({ 'f.cnn': text }));
    const conv = ls.signatureHelp('f.cnn', text.indexOf('3, pad'))!;
    expect(conv.label).toBe('conv(out, kernel, stride = 1, pad = 0, dilation = 1, groups = 1, bias = true, pad_mode = zeros, round = floor)');
    expect(conv.parameters[conv.active].label).toBe('kernel');
    expect(conv.parameters[ls.signatureHelp('f.cnn', text.indexOf('pad: 1') + 6)!.active].label).toBe('pad = 0');
    expect(ls.signatureHelp('f.cnn', text.indexOf('x ->'))).toBeUndefined();
  });

  it('hover on a value gives its shape in every instance, on a block where it is used its signature; imports complete to files; the outline has the named layers', () => {
    const files = {
      'lib/unit.cnn': '# A 3×3 unit.\nblock unit(c)(x) {\n  y = x -> conv(c, 3, pad: 1) -> relu as act\n  return y\n}\n',
      'lib/other.cnn': 'block other(c)(x) {\n  return x\n}\n',
      'lib/net.cnn': 'import unit from "unit.cnn"\nmodel net {\n  input image: 3 x 8 x 8\n  h = image -> unit(4) -> unit(6)\n  h -> flatten -> dense(2) as fc\n}\n',
    };
    const ls = new LanguageService(memoryHost(files));
    const net = files['lib/net.cnn'];
    const unit = files['lib/unit.cnn'];
    expect(ls.hover('lib/unit.cnn', unit.indexOf('return y') + 7)!.text).toBe('`y`: value in `unit`');
    // With a model that uses the block open in the editor, its shapes.
    ls.update('lib/net.cnn', net);
    expect(ls.hover('lib/unit.cnn', unit.indexOf('return y') + 7)!.text).toBe('`y`: value in `unit` → `4×8×8` | `6×8×8`');
    expect(ls.hover('lib/net.cnn', net.indexOf('image ->') + 1)!.text).toBe('`image`: input of model `net` → `3×8×8`');
    expect(ls.hover('lib/unit.cnn', unit.indexOf('c, 3'))!.text).toBe('`c`: parameter of block `unit`');
    const use = ls.hover('lib/net.cnn', net.indexOf('unit(6)') + 1)!;
    expect(use.text).toContain('block unit(c)(x)');
    expect(use.text).toContain('A 3×3 unit.');
    const line = 'import other from "';
    const doc = `${line}\n${net}`;
    ls.update('lib/net.cnn', doc);
    expect(ls.completions('lib/net.cnn', line.length).map((c) => c.label)).toEqual(['other.cnn', 'unit.cnn']);
    ls.update('lib/net.cnn', net);
    const outline = ls.symbols('lib/net.cnn');
    expect(outline[0].children.map((c) => `${c.kind}:${c.name}`)).toEqual(['input:image', 'value:h', 'layer:fc']);
    expect(ls.symbols('lib/unit.cnn')[0].children[0].children.map((c) => c.name)).toEqual(['act']);
  });
});
