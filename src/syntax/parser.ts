import { CstParser, type CstNode, type IToken } from 'chevrotain';
import * as T from './tokens.js';
import { messages } from './messages.js';

/**
 * The .cnn grammar as a chevrotain parser producing a concrete syntax tree. grammar/cnn.ebnf is
 * the human-readable form of these rules; test/syntax/grammar.test.ts keeps the two in step.
 * Error recovery is on: the parser resynchronises and keeps going, so every error is reported.
 */
class CnnParser extends CstParser {
  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3, nodeLocationTracking: 'none', errorMessageProvider: messages });
    this.performSelfAnalysis();
  }

  file = this.RULE('file', () => {
    this.MANY(() => this.CONSUME(T.Newline));
    this.MANY2(() => {
      this.SUBRULE(this.item);
      this.MANY3(() => this.CONSUME2(T.Newline));
    });
  });

  item = this.RULE('item', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.importDecl) },
      { ALT: () => this.SUBRULE(this.blockDecl) },
      { ALT: () => this.SUBRULE(this.modelDecl) },
    ]);
  });

  importDecl = this.RULE('importDecl', () => {
    this.CONSUME(T.Import);
    this.OPTION(() => {
      this.CONSUME(T.Identifier);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.CONSUME2(T.Identifier);
      });
      this.CONSUME(T.From);
    });
    this.CONSUME(T.StringLiteral);
  });

  blockDecl = this.RULE('blockDecl', () => {
    this.CONSUME(T.Block);
    this.CONSUME(T.Identifier);
    this.SUBRULE(this.paramList);
    this.SUBRULE(this.inputList);
    this.SUBRULE(this.body);
  });

  modelDecl = this.RULE('modelDecl', () => {
    this.CONSUME(T.Model);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.paramList));
    this.SUBRULE(this.body);
  });

  paramList = this.RULE('paramList', () => {
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.param) });
    this.CONSUME(T.RParen);
  });

  param = this.RULE('param', () => {
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.Assign);
      this.SUBRULE(this.expr);
    });
  });

  inputList = this.RULE('inputList', () => {
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.Identifier) });
    this.CONSUME(T.RParen);
  });

  body = this.RULE('body', () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => this.CONSUME(T.Newline));
    this.MANY2(() => {
      this.SUBRULE(this.statement);
      this.MANY3(() => this.CONSUME2(T.Newline));
    });
    this.CONSUME(T.RBrace);
  });

  statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.inputStmt) },
      { ALT: () => this.SUBRULE(this.trainStmt) },
      { ALT: () => this.SUBRULE(this.returnStmt) },
      { GATE: () => this.LA(2).tokenType === T.Assign, ALT: () => this.SUBRULE(this.assignStmt) },
      { ALT: () => this.SUBRULE(this.exprStmt) },
    ]);
  });

  inputStmt = this.RULE('inputStmt', () => {
    this.CONSUME(T.Input);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.expr);
  });

  trainStmt = this.RULE('trainStmt', () => {
    this.CONSUME(T.Train);
    this.CONSUME(T.LBrace);
    this.MANY(() => this.CONSUME(T.Newline));
    this.MANY2(() => {
      this.SUBRULE(this.trainEntry);
      this.MANY3(() => this.CONSUME2(T.Newline));
    });
    this.CONSUME(T.RBrace);
  });

  trainEntry = this.RULE('trainEntry', () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.expr);
  });

  returnStmt = this.RULE('returnStmt', () => {
    this.CONSUME(T.Return);
    this.SUBRULE(this.expr);
  });

  assignStmt = this.RULE('assignStmt', () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Assign);
    this.SUBRULE(this.expr);
  });

  exprStmt = this.RULE('exprStmt', () => {
    this.SUBRULE(this.expr);
  });

  expr = this.RULE('expr', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.ifExpr) },
      { ALT: () => this.SUBRULE(this.orExpr) },
    ]);
  });

  ifExpr = this.RULE('ifExpr', () => {
    this.CONSUME(T.If);
    this.SUBRULE(this.expr);
    this.CONSUME(T.Then);
    this.SUBRULE2(this.expr);
    this.CONSUME(T.Else);
    this.SUBRULE3(this.expr);
  });

  orExpr = this.RULE('orExpr', () => {
    this.SUBRULE(this.andExpr);
    this.MANY(() => {
      this.CONSUME(T.Or);
      this.SUBRULE2(this.andExpr);
    });
  });

  andExpr = this.RULE('andExpr', () => {
    this.SUBRULE(this.notExpr);
    this.MANY(() => {
      this.CONSUME(T.And);
      this.SUBRULE2(this.notExpr);
    });
  });

  notExpr = this.RULE('notExpr', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Not);
          this.SUBRULE(this.notExpr);
        },
      },
      { ALT: () => this.SUBRULE(this.compareExpr) },
    ]);
  });

  compareExpr = this.RULE('compareExpr', () => {
    this.SUBRULE(this.sizeExpr);
    this.OPTION(() => {
      this.CONSUME(T.Compare);
      this.SUBRULE2(this.sizeExpr);
    });
  });

  sizeExpr = this.RULE('sizeExpr', () => {
    this.SUBRULE(this.addExpr);
    this.MANY(() => {
      this.CONSUME(T.Cross);
      this.SUBRULE2(this.addExpr);
    });
  });

  addExpr = this.RULE('addExpr', () => {
    this.SUBRULE(this.mulExpr);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]);
      this.SUBRULE2(this.mulExpr);
    });
  });

  mulExpr = this.RULE('mulExpr', () => {
    this.SUBRULE(this.unaryExpr);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Star) },
        { ALT: () => this.CONSUME(T.Slash) },
        { ALT: () => this.CONSUME(T.FloorDiv) },
        { ALT: () => this.CONSUME(T.Percent) },
      ]);
      this.SUBRULE2(this.unaryExpr);
    });
  });

  unaryExpr = this.RULE('unaryExpr', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Minus);
          this.SUBRULE(this.unaryExpr);
        },
      },
      { ALT: () => this.SUBRULE(this.pipeExpr) },
    ]);
  });

  pipeExpr = this.RULE('pipeExpr', () => {
    this.SUBRULE(this.postfixExpr);
    this.MANY(() => {
      this.CONSUME(T.Arrow);
      this.SUBRULE(this.stage);
    });
  });

  /** Inside a pipeline, `* n` repeats the stage: `-> basic(64) * 2`. */
  stage = this.RULE('stage', () => {
    this.SUBRULE(this.postfixExpr);
    this.OPTION(() => {
      this.CONSUME(T.Star);
      this.SUBRULE2(this.postfixExpr);
    });
    this.OPTION2(() => {
      this.CONSUME(T.As);
      // A quoted name may hold dots and digits, to match PyTorch names such as "downsample.0".
      this.OR([{ ALT: () => this.CONSUME(T.Identifier) }, { ALT: () => this.CONSUME(T.StringLiteral) }]);
    });
  });

  postfixExpr = this.RULE('postfixExpr', () => {
    this.SUBRULE(this.primary);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.argList) },
        {
          ALT: () => {
            this.CONSUME(T.Dot);
            this.CONSUME(T.Identifier);
          },
        },
      ]);
    });
  });

  argList = this.RULE('argList', () => {
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.arg) });
    this.CONSUME(T.RParen);
  });

  arg = this.RULE('arg', () => {
    this.OPTION({
      GATE: () => this.LA(2).tokenType === T.Colon,
      DEF: () => {
        this.CONSUME(T.Identifier);
        this.CONSUME(T.Colon);
      },
    });
    this.SUBRULE(this.expr);
  });

  primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.SizeLiteral) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.SUBRULE(this.parenExpr) },
      { ALT: () => this.SUBRULE(this.listExpr) },
    ]);
  });

  parenExpr = this.RULE('parenExpr', () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expr);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.expr);
    });
    this.CONSUME(T.RParen);
  });

  listExpr = this.RULE('listExpr', () => {
    this.CONSUME(T.LBracket);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expr) });
    this.CONSUME(T.RBracket);
  });
}

/** One parser instance, reused: chevrotain parsers are built once and fed new input each time. */
export const parser = new CnnParser();

export interface CstResult {
  readonly cst: CstNode;
  readonly errors: typeof parser.errors;
}

export function parseTokens(tokens: IToken[]): CstResult {
  parser.input = tokens;
  const cst = parser.file();
  return { cst, errors: parser.errors };
}
