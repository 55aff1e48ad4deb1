import type { IToken } from 'chevrotain';
import { LAYERS } from '../check/layers/index.js';
import * as T from '../syntax/tokens.js';

/** What a stretch of source text is, for an editor's colours. */
export type TokenClass = 'comment' | 'string' | 'keyword' | 'boolean' | 'number' | 'size' | 'layer' | 'declaration' | 'argument' | 'operator';

export interface HighlightToken {
  /** Character offsets, end exclusive. */
  readonly start: number;
  readonly end: number;
  readonly kind: TokenClass;
}

const OPERATORS = new Set([T.Arrow, T.Compare, T.Assign, T.Plus, T.Minus, T.FloorDiv, T.Star, T.Slash, T.Percent, T.Cross]);
const WORDS = new Map(T.allTokens.filter((t) => T.KEYWORDS.includes(t.name.toLowerCase())).map((t) => [t, t === T.True || t === T.False ? ('boolean' as const) : ('keyword' as const)]));

/**
 * The colours of a document from the compiler's own lexer (the VS Code grammar is generated from
 * the same tokens, scripts/textmate.ts): keywords, literals, comments, built-in layer names, the
 * name a `model` or `block` declares, and names before a `:` (arguments, settings). Text that
 * does not lex is left uncoloured; the diagnostics say why.
 */
export function highlight(text: string): HighlightToken[] {
  const lexed = T.commentLexer.tokenize(text);
  const tokens = T.markCrosses(lexed.tokens.filter((t) => t.tokenType !== T.Newline));
  const out: HighlightToken[] = (lexed.groups.comments ?? []).map((t) => span(t, 'comment'));
  tokens.forEach((t, i) => {
    const kind = classOf(t, tokens[i - 1], tokens[i + 1]);
    if (kind) out.push(span(t, kind));
  });
  return out.sort((a, b) => a.start - b.start);
}

function classOf(t: IToken, prev: IToken | undefined, next: IToken | undefined): TokenClass | undefined {
  const type = t.tokenType;
  const word = WORDS.get(type);
  if (word) return word;
  if (type === T.StringLiteral || type === T.UnterminatedString) return 'string';
  if (type === T.SizeLiteral) return 'size';
  if (type === T.NumberLiteral) return 'number';
  if (OPERATORS.has(type)) return 'operator';
  if (type !== T.Identifier) return undefined;
  if (prev && (prev.tokenType === T.Model || prev.tokenType === T.Block)) return 'declaration';
  if (next?.tokenType === T.Colon) return 'argument';
  return LAYERS.has(t.image) ? 'layer' : undefined;
}

const span = (t: IToken, kind: TokenClass): HighlightToken => ({ start: t.startOffset, end: t.endOffset! + 1, kind });
