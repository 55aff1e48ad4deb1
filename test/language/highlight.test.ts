import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { highlight, type TokenClass } from '../../src/language/highlight.js';

const colours = (text: string): [string, TokenClass][] => highlight(text).map((t) => [text.slice(t.start, t.end), t.kind]);

describe('highlight (the playground editor colours, from the lexer)', () => {
  it('colours every kind of token in a model', () => {
    const text = 'import "blocks/fire.cnn"\n# a comment\nmodel tiny(k = 3) {\n  input x: 1 x 28 x 28\n  x -> conv(8, k, pad: 1) -> relu -> dense(10)  # tail\n  train { data: mnist, flip: false }\n}\n';
    expect(colours(text)).toEqual([
      ['import', 'keyword'], ['"blocks/fire.cnn"', 'string'], ['# a comment', 'comment'],
      ['model', 'keyword'], ['tiny', 'declaration'], ['=', 'operator'], ['3', 'number'],
      ['input', 'keyword'], ['x', 'argument'], ['1', 'number'], ['x', 'operator'], ['28', 'number'], ['x', 'operator'], ['28', 'number'],
      ['->', 'operator'], ['conv', 'layer'], ['8', 'number'], ['pad', 'argument'], ['1', 'number'], ['->', 'operator'], ['relu', 'layer'], ['->', 'operator'], ['dense', 'layer'], ['10', 'number'], ['# tail', 'comment'],
      ['train', 'keyword'], ['data', 'argument'], ['flip', 'argument'], ['false', 'boolean'],
    ]);
  });

  it('gives sizes, unterminated strings and text that does not lex their due', () => {
    expect(colours('input x: 3x224x224')).toContainEqual(['3x224x224', 'size']);
    expect(colours('import "open')).toContainEqual(['"open', 'string']);
    // `$` does not lex: it is left uncoloured, and what follows still is coloured.
    expect(colours('x -> $ relu')).toEqual([['->', 'operator'], ['relu', 'layer']]);
  });

  it('covers every example with ordered, non-overlapping spans', () => {
    for (const f of readdirSync('examples').filter((n) => n.endsWith('.cnn'))) {
      const text = readFileSync(`examples/${f}`, 'utf8');
      const spans = highlight(text);
      expect(spans.length, f).toBeGreaterThan(10);
      for (let i = 1; i < spans.length; i++) expect(spans[i].start, f).toBeGreaterThanOrEqual(spans[i - 1].end);
      expect(spans.some((s) => s.kind === 'layer'), f).toBe(true);
    }
  });
});
