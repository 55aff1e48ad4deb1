import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { grammarEbnf, syntaxDiagramHtml } from '../../scripts/grammar.js';
import { parser } from '../../src/syntax/parser.js';
import { allTokens } from '../../src/syntax/tokens.js';

/** grammar/ holds copies derived from the parser; they must match it exactly. */
describe('grammar reference', () => {
  it('grammar/cnn.ebnf is what the parser accepts (regenerate with `npm run grammar`)', () => {
    expect(readFileSync('grammar/cnn.ebnf', 'utf8')).toBe(grammarEbnf());
  });

  it('grammar/syntax-diagram.html is generated from the parser', () => {
    expect(readFileSync('grammar/syntax-diagram.html', 'utf8')).toBe(syntaxDiagramHtml());
  });

  it('grammar/README.md documents every rule and every token', () => {
    const doc = readFileSync('grammar/README.md', 'utf8');
    for (const r of Object.keys(parser.getGAstProductions())) expect(doc, `rule ${r}`).toContain(`\`${r}\``);
    for (const t of allTokens) if (t.name !== 'Whitespace') expect(doc, `token ${t.name}`).toContain(`\`${t.name}\``);
  });
});
