import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FrontEndResult } from '../../src/compiler.js';
import { renderAll } from '../../src/diagnostics/render.js';
import { checkText } from '../helpers.js';

/**
 * No input, however broken, may make the parser or checker throw or hang, and every diagnostic
 * must point inside its file. Inputs: random text over the language's alphabet, and real examples
 * mutated by deleting, duplicating, swapping and inserting tokens.
 */
const examples = readdirSync('examples')
  .filter((f) => f.endsWith('.cnn'))
  .map((f) => readFileSync(`examples/${f}`, 'utf8'));

const fragments = [
  'model', 'block', 'input', 'train', 'return', 'import', 'if', 'then', 'else', 'and', 'or', 'not', 'as', 'from',
  'conv', 'maxpool', 'dense', 'flatten', 'relu', 'concat', 'batchnorm', 'basic', 'x', 'y', 'c', 'stride', 'pad', 'same',
  '(', ')', '{', '}', '[', ']', ',', ':', '=', '->', '+', '-', '*', '/', '//', '%', '.', '==', '<', '"', '"s"',
  '0', '1', '3', '-1', '2.5', '1e9', '3x3', '999999999', '\n', ' ', '#c\n', ';', '×', '$', '\t',
];

function assertSane(text: string, r: FrontEndResult): void {
  for (const d of r.diagnostics) {
    const src = r.sources.get(d.span.file);
    expect(src, `diagnostic in unknown file ${d.span.file}`).toBeDefined();
    const len = src!.text.length;
    expect(d.span.start).toBeGreaterThanOrEqual(0);
    expect(d.span.end).toBeGreaterThanOrEqual(d.span.start);
    expect(d.span.end).toBeLessThanOrEqual(len);
    for (const n of d.notes) if (n.span) expect(n.span.end).toBeLessThanOrEqual(r.sources.get(n.span.file)!.text.length);
    expect(d.message.length).toBeGreaterThan(0);
  }
  // Rendering must not throw either.
  renderAll(r.diagnostics, r.sources, 'pretty');
  expect(text).toBeTypeOf('string');
}

const tokenSoup = fc.array(fc.constantFrom(...fragments), { maxLength: 120 }).map((parts) => parts.join(' '));

const mutated = fc
  .tuple(fc.constantFrom(...examples), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...fragments), fc.nat(3)), { minLength: 1, maxLength: 6 }))
  .map(([base, edits]) => {
    const toks = base.split(/(\s+|[(){}[\],:])/).filter((t) => t !== '');
    for (const [at, other, frag, kind] of edits) {
      const i = at % Math.max(1, toks.length);
      const j = other % Math.max(1, toks.length);
      if (kind === 0) toks.splice(i, 1);
      else if (kind === 1) toks.splice(i, 0, frag);
      else if (kind === 2) [toks[i], toks[j]] = [toks[j], toks[i]];
      else toks.splice(i, 0, ...toks.slice(j, j + 5));
    }
    return toks.join('');
  });

describe('front end robustness', { timeout: 300_000 }, () => {
  it('never throws on random token soup', () => {
    fc.assert(fc.property(tokenSoup, (text) => assertSane(text, checkText(text))), { numRuns: 1500 });
  });

  it('never throws on mutated real examples', () => {
    fc.assert(fc.property(mutated, (text) => assertSane(text, checkText(text))), { numRuns: 1500 });
  });

  it('never throws on arbitrary unicode text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => assertSane(text, checkText(text))), { numRuns: 1000 });
  });

  it('stays fast on huge repetition counts and deep nesting', () => {
    const deep = `model t {\n input x: 4\n x -> ${'relu('.repeat(300)}x${')'.repeat(300)}\n}`;
    assertSane(deep, checkText(deep));
    const nested = `model t {\n input x: 4\n ${'relu('.repeat(40)}x${')'.repeat(40)}\n}`;
    expect(checkText(nested).diagnostics).toEqual([]);
    const chain = `model t {\n input x: 4\n y = ${Array.from({ length: 3000 }, () => '1').join(' + ')}\n x -> dense(y)\n}`;
    expect(checkText(chain).models[0].nodes.at(-1)!.shape).toEqual([3000]);
    const many = 'model t {\n input x: 8 x 8 x 8\n x -> conv(8, 3, pad: 1) * 1000 -> conv(8, 3, pad: 1) * 1000\n}';
    const r = checkText(many);
    assertSane(many, r);
    expect(r.models[0].nodes).toHaveLength(2001);
  });
});
