import type { IRecognitionException, IToken } from 'chevrotain';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile, Span } from '../diagnostics/source.js';
import type { Program } from './ast.js';
import { parseTokens } from './parser.js';
import { toAst } from './to-ast.js';
import { cnnLexer, markCrosses, significantNewlines, StringLiteral, UnterminatedString } from './tokens.js';

export interface ParseResult {
  readonly program: Program;
  readonly diagnostics: readonly Diagnostic[];
}

/** Text → AST plus every lexical and syntax error found (the parser recovers and continues). */
export function parse(src: SourceFile): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const lexed = cnnLexer.tokenize(src.text);
  for (const e of lexed.errors) {
    diagnostics.push({
      severity: 'error',
      code: 'E0002',
      message: `invalid character '${src.text.slice(e.offset, e.offset + e.length)}'`,
      span: { file: src.path, start: e.offset, end: e.offset + e.length },
      notes: [],
      help: undefined,
    });
  }
  const closed = lexed.tokens.map((t) => {
    if (t.tokenType !== UnterminatedString) return t;
    diagnostics.push({
      severity: 'error',
      code: 'E0003',
      message: 'unterminated string',
      span: { file: src.path, start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 },
      notes: [],
      help: 'add the closing `"`; strings end on the line they start',
    });
    return { ...t, image: `${t.image}"`, tokenType: StringLiteral, tokenTypeIdx: StringLiteral.tokenTypeIdx! };
  });
  const tokens = significantNewlines(markCrosses(closed));
  const tooDeep = firstTooDeep(tokens);
  if (tooDeep) {
    // A recursive-descent parser needs stack per level; refuse rather than overflow.
    diagnostics.push({
      severity: 'error',
      code: 'E0001',
      message: `brackets nested more than ${MAX_DEPTH} deep`,
      span: { file: src.path, start: tooDeep.startOffset, end: tooDeep.startOffset + 1 },
      notes: [],
      help: 'split the expression with named values (`y = …`)',
    });
    return { program: { kind: 'Program', file: src.path, items: [], span: { file: src.path, start: 0, end: src.text.length } }, diagnostics };
  }
  const { cst, errors } = parseTokens(tokens);
  for (const e of errors) diagnostics.push(syntaxError(e, src));
  return { program: toAst(cst, src.path, src.text.length), diagnostics };
}

const MAX_DEPTH = 64;

function firstTooDeep(tokens: readonly IToken[]): IToken | undefined {
  let depth = 0;
  for (const t of tokens) {
    const n = t.tokenType.name;
    if (n === 'LParen' || n === 'LBracket' || n === 'LBrace') {
      if (++depth > MAX_DEPTH) return t;
    } else if (n === 'RParen' || n === 'RBracket' || n === 'RBrace') depth = Math.max(0, depth - 1);
  }
  return undefined;
}

function syntaxError(e: IRecognitionException, src: SourceFile): Diagnostic {
  const t = e.token;
  let span: Span;
  if (Number.isNaN(t.startOffset) || t.tokenType.name === 'EOF') {
    span = { file: src.path, start: src.text.length, end: src.text.length };
  } else {
    span = { file: src.path, start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 };
  }
  return { severity: 'error', code: 'E0001', message: e.message, span, notes: [], help: hintFor(e) };
}

/** The usual reasons behind a syntax error, from habits of other languages. */
function hintFor(e: IRecognitionException): string | undefined {
  const image = e.token.image;
  const inArgs = e.context.ruleStack.includes('argList');
  if (image === '=' && inArgs) return 'named arguments use `:`, as in `pad: 1`';
  if (image === '>' ) return 'pipelines use `->`';
  return undefined;
}
