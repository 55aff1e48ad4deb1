import { LAYERS } from '../src/check/layers/index.js';
import { COMMENT_PATTERN, KEYWORDS, NumberLiteral, SizeLiteral, StringLiteral } from '../src/syntax/tokens.js';

/**
 * The TextMate grammar of the VS Code extension (editors/vscode/syntaxes/cnn.tmLanguage.json),
 * made from the lexer's own token patterns, keywords and the built-in layer names, so
 * highlighting cannot drift from the language; `npm run grammar` writes it and
 * test/syntax/textmate.test.ts fails when the committed copy is stale.
 */
export function textmateGrammar(): string {
  const source = (t: { PATTERN?: unknown }) => (t.PATTERN as RegExp).source;
  const words = (list: readonly string[]) => `\\b(?:${list.join('|')})\\b`;
  const control = KEYWORDS.filter((k) => !['and', 'or', 'not', 'true', 'false'].includes(k));
  const layers = [...LAYERS.keys()].sort((a, b) => b.length - a.length);
  const grammar = {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'CNN (cnnc)',
    scopeName: 'source.cnn',
    fileTypes: ['cnn'],
    comment: 'Generated from src/syntax/tokens.ts and src/check/layers by `npm run grammar` (scripts/textmate.ts). Do not edit.',
    patterns: [
      { include: '#comment' },
      { include: '#string' },
      { include: '#declaration' },
      { include: '#keyword' },
      { include: '#size' },
      { include: '#number' },
      { include: '#layer' },
      { include: '#argument' },
      { include: '#operator' },
    ],
    repository: {
      comment: { name: 'comment.line.number-sign.cnn', match: COMMENT_PATTERN.source },
      string: { name: 'string.quoted.double.cnn', match: source(StringLiteral) },
      declaration: {
        match: `\\b(model|block)\\s+([A-Za-z_][A-Za-z0-9_]*)`,
        captures: { 1: { name: 'keyword.control.cnn' }, 2: { name: 'entity.name.function.cnn' } },
      },
      keyword: {
        patterns: [
          { name: 'keyword.control.cnn', match: words(control) },
          { name: 'keyword.operator.logical.cnn', match: words(['and', 'or', 'not']) },
          { name: 'constant.language.boolean.cnn', match: words(['true', 'false']) },
        ],
      },
      size: { name: 'constant.numeric.size.cnn', match: `\\b${source(SizeLiteral)}\\b` },
      number: { name: 'constant.numeric.cnn', match: `(?<![A-Za-z_])${source(NumberLiteral)}` },
      layer: { name: 'support.function.layer.cnn', match: words(layers) },
      argument: { match: '\\b([A-Za-z_][A-Za-z0-9_]*)\\s*(?=:)', captures: { 1: { name: 'variable.parameter.cnn' } } },
      operator: {
        patterns: [
          { name: 'keyword.operator.arrow.cnn', match: '->' },
          { name: 'keyword.operator.size.cnn', match: '(?<=[0-9)])\\s*\\bx\\b(?=\\s*[0-9(])|×' },
          { name: 'keyword.operator.cnn', match: '==|!=|<=|>=|//|[<>=+\\-*/%]' },
        ],
      },
    },
  };
  return JSON.stringify(grammar, null, 2) + '\n';
}
