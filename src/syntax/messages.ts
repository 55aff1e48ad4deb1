import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import { tokenLabel } from 'chevrotain';

/** What each grammar rule stands for, in the words an error message should use. */
const RULE_WORDS: Record<string, string> = {
  file: '`model`, `block` or `import`',
  item: '`model`, `block` or `import`',
  statement: 'a statement',
  expr: 'an expression',
  primary: 'an expression',
  postfixExpr: 'an expression',
  unaryExpr: 'an expression',
  notExpr: 'an expression',
  stage: 'a layer',
  param: 'a parameter name',
  arg: 'an argument',
};

export function describeToken(t: IToken): string {
  if (t.tokenType.name === 'EOF') return 'end of file';
  if (t.tokenType.name === 'Newline') return 'end of line';
  return `'${t.image}'`;
}

function labels(types: TokenType[]): string {
  // Quoted labels are punctuation and keywords; others ('a string') are already words.
  const uniq = [...new Set(types.map((t) => tokenLabel(t)))];
  if (uniq.length <= 1) return uniq[0] ?? 'something else';
  return `${uniq.slice(0, -1).join(', ')} or ${uniq[uniq.length - 1]}`;
}

/** Messages in the project's voice ("expected ')', found '}'") instead of chevrotain's defaults. */
export const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${labels([expected])}, found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${describeToken(firstRedundant)}`;
  },
  buildNoViableAltMessage({ actual, ruleName }) {
    const what = RULE_WORDS[ruleName] ?? ruleName;
    return `expected ${what}, found ${describeToken(actual[0])}`;
  },
  buildEarlyExitMessage({ actual, ruleName }) {
    const what = RULE_WORDS[ruleName] ?? ruleName;
    return `expected ${what}, found ${describeToken(actual[0])}`;
  },
};
