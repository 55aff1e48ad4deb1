import { createToken, Lexer, type IToken, type TokenType } from 'chevrotain';

/**
 * Tokens of the .cnn language. Newlines are significant (they end statements) but a pass after
 * lexing drops the ones that cannot end a statement (see `significantNewlines`), so a pipeline
 * may continue on the next line with `->`.
 */
export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: 'a name' });

function keyword(word: string): TokenType {
  return createToken({ name: word[0].toUpperCase() + word.slice(1), pattern: new RegExp(`${word}\\b`), longer_alt: Identifier, label: `'${word}'` });
}

export const Import = keyword('import');
export const From = keyword('from');
export const Block = keyword('block');
export const Model = keyword('model');
export const Input = keyword('input');
export const Train = keyword('train');
export const Return = keyword('return');
export const If = keyword('if');
export const Then = keyword('then');
export const Else = keyword('else');
export const And = keyword('and');
export const Or = keyword('or');
export const Not = keyword('not');
export const True = keyword('true');
export const False = keyword('false');
export const As = keyword('as');

/** Every keyword of the language, as written (editors complete them). */
export const KEYWORDS: readonly string[] = [Import, From, Block, Model, Input, Train, Return, If, Then, Else, And, Or, Not, True, False, As].map((t) => t.name.toLowerCase());

/** `3x224x224` written without spaces: one token, so it is not read as `3` then a name `x224x224`. */
export const SizeLiteral = createToken({ name: 'SizeLiteral', pattern: /\d+(?:[x×]\d+)+/, label: 'a size' });
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/, label: 'a number' });
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /"(?:[^"\\\n]|\\.)*"/, label: 'a string' });
/** A string missing its closing quote: reported (E0003), then read as if closed at the line's end. */
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /"(?:[^"\\\n]|\\.)*/, label: 'a string' });
/** The size operator in `3 x 224 x 224`; produced from an identifier `x` by `markCrosses`. */
export const Cross = createToken({ name: 'Cross', pattern: /×/, label: "'x'" });

export const Arrow = createToken({ name: 'Arrow', pattern: /->/, label: "'->'" });
export const Compare = createToken({ name: 'Compare', pattern: /==|!=|<=|>=|<|>/, label: 'a comparison' });
export const Assign = createToken({ name: 'Assign', pattern: /=/, label: "'='" });
export const Plus = createToken({ name: 'Plus', pattern: /\+/, label: "'+'" });
export const Minus = createToken({ name: 'Minus', pattern: /-/, label: "'-'" });
export const FloorDiv = createToken({ name: 'FloorDiv', pattern: /\/\//, label: "'//'" });
export const Star = createToken({ name: 'Star', pattern: /\*/, label: "'*'" });
export const Slash = createToken({ name: 'Slash', pattern: /\//, label: "'/'" });
export const Percent = createToken({ name: 'Percent', pattern: /%/, label: "'%'" });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'" });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/, label: "']'" });
export const LBrace = createToken({ name: 'LBrace', pattern: /\{/, label: "'{'" });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/, label: "'}'" });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: "':'" });
export const Dot = createToken({ name: 'Dot', pattern: /\./, label: "'.'" });
export const Newline = createToken({ name: 'Newline', pattern: /\r?\n|;/, label: 'end of line' });

const Whitespace = createToken({ name: 'Whitespace', pattern: /[ \t\r\f]+/, group: Lexer.SKIPPED });
/** A comment runs to the end of its line (the formatter lexes the same pattern into a group it keeps). */
export const COMMENT_PATTERN = /#[^\n]*/;
const Comment = createToken({ name: 'Comment', pattern: COMMENT_PATTERN, group: Lexer.SKIPPED });

export const allTokens: TokenType[] = [
  Whitespace, Comment, Newline,
  Import, From, Block, Model, Input, Train, Return, If, Then, Else, And, Or, Not, True, False, As,
  SizeLiteral, NumberLiteral, StringLiteral, UnterminatedString,
  Arrow, Compare, Assign, Plus, Minus, FloorDiv, Star, Slash, Percent,
  LParen, RParen, LBracket, RBracket, LBrace, RBrace, Comma, Colon, Dot, Cross,
  Identifier,
];

export const cnnLexer = new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: false });

/** The same tokens with the comments kept (in `groups.comments`): for the formatter and highlighting. */
const KeptComment = createToken({ name: 'Comment', pattern: COMMENT_PATTERN, group: 'comments' });
export const commentLexer = new Lexer(
  allTokens.map((t) => (t === Comment ? KeptComment : t)),
  { positionTracking: 'full', ensureOptimizations: false },
);

const ENDS_OPERAND = new Set([Identifier, NumberLiteral, SizeLiteral, RParen, RBracket]);
const STARTS_OPERAND = new Set([Identifier, NumberLiteral, SizeLiteral, LParen]);

/**
 * In `c x h x w` the `x` is the size operator, but `x` is also a popular tensor name. Nothing in
 * the language puts two operands side by side, so an `x` between two operands is the operator.
 */
export function markCrosses(tokens: IToken[]): IToken[] {
  return tokens.map((t, i) => {
    if (t.tokenType !== Identifier || t.image !== 'x') return t;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    if (prev && next && ENDS_OPERAND.has(prev.tokenType) && STARTS_OPERAND.has(next.tokenType)) {
      return { ...t, tokenType: Cross, tokenTypeIdx: Cross.tokenTypeIdx! };
    }
    return t;
  });
}

/** After these a statement cannot end, so a newline is only layout. */
const CONTINUES = new Set<TokenType>([
  Arrow, Compare, Assign, Plus, Minus, FloorDiv, Star, Slash, Percent, Comma, Colon, Dot, Cross,
  LBrace, If, Then, Else, And, Or, Not, As, Newline,
]);
/** Before these a statement cannot start, so the newline joins the lines. */
const JOINS_PREVIOUS = new Set<TokenType>([Arrow, Then, Else, And, Or, RBrace]);

/**
 * Keeps only the newlines that end a statement: none inside (), [], none after a token that needs
 * more, none before `->`, `then`, `else`, `and`, `or`, `}`, and at most one in a row.
 */
export function significantNewlines(tokens: IToken[]): IToken[] {
  const out: IToken[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const type = t.tokenType;
    if (type === LParen || type === LBracket) depth++;
    if ((type === RParen || type === RBracket) && depth > 0) depth--;
    if (type !== Newline) {
      out.push(t);
      continue;
    }
    const prev = out[out.length - 1];
    let j = i + 1;
    while (j < tokens.length && tokens[j].tokenType === Newline) j++;
    const next = tokens[j];
    if (depth > 0 || !prev || CONTINUES.has(prev.tokenType)) continue;
    if (!next || JOINS_PREVIOUS.has(next.tokenType)) continue;
    out.push(t);
  }
  return out;
}
