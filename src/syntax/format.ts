import type { IToken, TokenType } from 'chevrotain';
import * as T from './tokens.js';

/**
 * `cnnc fmt`: one layout for .cnn files, from the lexer's tokens (so nothing a statement means can
 * change, and every comment is kept): two spaces per block level, spaces around `->`, `=`,
 * comparisons and arithmetic, after `,` and `:`, none inside brackets or before a call's `(`;
 * a pipeline continued on the next line has its `->` under the first one of the statement (or four
 * spaces in), `then`/`else`/`and`/`or` continuations two spaces in; trailing comments of
 * consecutive lines aligned; at most one blank line; no trailing spaces. Line breaks are the
 * author's, except that a pipeline line longer than WIDTH is broken before its stages' `->`, as
 * many stages to a line as fit, the continuation lines' `->` under the first (a trailing comment
 * stays with the last stage). Idempotent.
 */

/** The longest line of code a pipeline is left on, before it is broken at its `->`. */
export const WIDTH = 100;


const BINARY = new Set<TokenType>([T.Arrow, T.Compare, T.Assign, T.Plus, T.FloorDiv, T.Star, T.Slash, T.Percent, T.Cross]);
const WORDS = new Set<TokenType>([T.If, T.Then, T.Else, T.And, T.Or, T.As, T.From]);
/** After these a `-` is a sign, not a subtraction. */
const BEFORE_SIGN = new Set<TokenType>([T.LParen, T.LBracket, T.Comma, T.Colon, T.Assign, T.Compare, T.Plus, T.Minus, T.Star, T.Slash, T.FloorDiv, T.Percent, T.Arrow, T.Cross, T.If, T.Then, T.Else, T.And, T.Or, T.Not, T.Return]);
const OPENS = new Set<TokenType>([T.LParen, T.LBracket]);
const CLOSES = new Set<TokenType>([T.RParen, T.RBracket]);

export interface FormatResult {
  /** The formatted text, or undefined when the file does not lex (it has syntax errors). */
  readonly text?: string;
}

export function formatSource(text: string): FormatResult {
  const lexed = T.commentLexer.tokenize(text);
  if (lexed.errors.length || lexed.tokens.some((t) => t.tokenType === T.UnterminatedString)) return {};
  const tokens = T.markCrosses(lexed.tokens.filter((t) => t.tokenType !== T.Newline || t.image === ';'));
  const comments = lexed.groups.comments ?? [];
  const lines = text.split('\n');
  const byLine = new Map<number, IToken[]>();
  for (const t of tokens) byLine.set(t.startLine!, [...(byLine.get(t.startLine!) ?? []), t]);
  const commentOf = new Map<number, string>();
  for (const c of comments) commentOf.set(c.startLine!, c.image.replace(/\s+$/, ''));

  const out: Line[] = [];
  let braces = 0;
  let brackets = 0;
  /** The statement being continued: its indent and the column of its first `->`. */
  let statement: { indent: number; arrow?: number } | undefined;
  let previous: IToken | undefined;
  for (let n = 1; n <= lines.length; n++) {
    const toks = byLine.get(n) ?? [];
    const comment = commentOf.get(n);
    if (!toks.length) {
      if (comment) out.push({ code: ' '.repeat(2 * braces + (brackets ? 4 : 0)), comment, own: true });
      else if (out.length && !out[out.length - 1].blank) out.push({ code: '', blank: true });
      continue;
    }
    const first = toks[0].tokenType;
    const closingFirst = first === T.RBrace ? 1 : 0;
    const continues = statement !== undefined && (brackets > 0 || first === T.Arrow || WORDS.has(first) || continuesAfter(previous));
    let indent = 2 * (braces - closingFirst);
    if (continues && statement) {
      if (brackets > 0) indent = statement.indent + 4;
      else if (first === T.Arrow) indent = statement.arrow ?? statement.indent + 2;
      else indent = statement.indent + 2;
    }
    const code = ' '.repeat(Math.max(0, indent)) + join(toks, previous);
    if (!continues) {
      const arrow = toks.findIndex((t) => t.tokenType === T.Arrow);
      statement = { indent, arrow: arrow >= 0 ? code.indexOf('->', indent) : undefined };
    } else if (statement && statement.arrow === undefined && first === T.Arrow) statement.arrow = indent;
    const wrapped = code.length > WIDTH && brackets === 0 && statement?.arrow !== undefined ? wrap(toks, previous, indent, statement.arrow) : [code];
    for (const t of toks) {
      if (t.tokenType === T.LBrace) braces++;
      if (t.tokenType === T.RBrace) braces = Math.max(0, braces - 1);
      if (OPENS.has(t.tokenType)) brackets++;
      if (CLOSES.has(t.tokenType)) brackets = Math.max(0, brackets - 1);
    }
    previous = toks[toks.length - 1];
    wrapped.forEach((c, i) => out.push({ code: c, comment: i === wrapped.length - 1 ? comment : undefined }));
  }
  while (out.length && out[out.length - 1].blank) out.pop();
  return { text: alignComments(out).join('\n') + '\n' };
}

/**
 * A long pipeline line as several: split before each `->` outside brackets, stages filled greedily
 * up to WIDTH, each further line starting with its `->` at the statement's arrow column.
 */
function wrap(toks: readonly IToken[], before: IToken | undefined, indent: number, arrowColumn: number): string[] {
  const segments: IToken[][] = [[]];
  let depth = 0;
  toks.forEach((t, i) => {
    if (t.tokenType === T.Arrow && depth === 0 && i > 0) segments.push([]);
    if (OPENS.has(t.tokenType) || t.tokenType === T.LBrace) depth++;
    if (CLOSES.has(t.tokenType) || t.tokenType === T.RBrace) depth--;
    segments[segments.length - 1].push(t);
  });
  if (segments.length < 2 || toks.some((t) => t.tokenType === T.LBrace || t.tokenType === T.RBrace)) return [' '.repeat(indent) + join(toks, before)];
  const lines: string[] = [];
  let current = ' '.repeat(indent) + join(segments[0], before);
  let last = segments[0][segments[0].length - 1];
  for (const seg of segments.slice(1)) {
    const text = join(seg, last);
    if (current.length + 1 + text.length > WIDTH && current.trim().length > 0) {
      lines.push(current);
      current = ' '.repeat(arrowColumn) + text;
    } else current += ' ' + text;
    last = seg[seg.length - 1];
  }
  lines.push(current);
  return lines;
}

/** A line ending with one of these goes on on the next. */
function continuesAfter(t: IToken | undefined): boolean {
  if (!t) return false;
  return BINARY.has(t.tokenType) || t.tokenType === T.Minus || t.tokenType === T.Comma || t.tokenType === T.Colon || t.tokenType === T.Dot || WORDS.has(t.tokenType) || t.tokenType === T.Not;
}

/** The tokens of one line with the canonical spaces between them. */
function join(toks: readonly IToken[], before: IToken | undefined): string {
  let s = '';
  toks.forEach((t, i) => {
    if (i > 0) s += space(toks[i - 1], t, i > 1 ? toks[i - 2] : before) ? ' ' : '';
    s += t.tokenType === T.Newline ? ';' : t.image;
  });
  return s;
}

function space(a: IToken, b: IToken, beforeA: IToken | undefined): boolean {
  const [x, y] = [a.tokenType, b.tokenType];
  if (y === T.Comma || y === T.Colon || y === T.Newline || CLOSES.has(y) || y === T.Dot || x === T.Dot) return false;
  if (OPENS.has(x)) return false;
  if (x === T.Comma || x === T.Colon || x === T.Newline) return true;
  // A sign sticks to its operand.
  if (x === T.Minus && (!beforeA || BEFORE_SIGN.has(beforeA.tokenType))) return false;
  if (y === T.LParen) return !(x === T.Identifier || x === T.RParen || x === T.RBracket);
  if (y === T.LBracket) return !(x === T.Identifier || x === T.RParen || x === T.RBracket);
  return true;
}

interface Line {
  readonly code: string;
  readonly comment?: string;
  /** A comment on a line of its own (`code` is its indent). */
  readonly own?: boolean;
  readonly blank?: boolean;
}

/**
 * Trailing comments start in one column per paragraph (lines of code between blank lines and
 * comment lines): two spaces after the longest line that has one.
 */
function alignComments(lines: readonly Line[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    const code = (l: Line) => !l.blank && !l.own;
    if (!code(lines[i])) {
      const l = lines[i++];
      out.push(l.comment !== undefined ? `${l.code}${l.comment}` : l.code);
      continue;
    }
    let j = i;
    while (j < lines.length && code(lines[j])) j++;
    const commented = lines.slice(i, j).filter((l) => l.comment !== undefined);
    const column = commented.length ? Math.max(...commented.map((l) => l.code.length)) + 2 : 0;
    for (; i < j; i++) out.push(lines[i].comment !== undefined ? lines[i].code.padEnd(column) + lines[i].comment : lines[i].code);
  }
  return out.map((l) => l.replace(/\s+$/, ''));
}
