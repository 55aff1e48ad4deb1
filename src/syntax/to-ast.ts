import type { CstElement, CstNode, IToken } from 'chevrotain';
import type { Span } from '../diagnostics/source.js';
import type * as A from './ast.js';

/**
 * Concrete syntax tree → AST. The CST may be partial after error recovery (missing children,
 * tokens with NaN offsets); everything here tolerates that and yields `Missing` nodes instead.
 */
export function toAst(cst: CstNode, file: string, textLength: number): A.Program {
  const b = new Builder(file, textLength);
  const items: A.TopItem[] = [];
  for (const item of nodes(cst, 'item')) {
    const decl = b.item(item);
    if (decl) items.push(decl);
  }
  return { kind: 'Program', file, items, span: { file, start: 0, end: textLength } };
}

function isToken(e: CstElement): e is IToken {
  return (e as IToken).image !== undefined;
}

function nodes(n: CstNode, key: string): CstNode[] {
  return (n.children[key] ?? []).filter((e): e is CstNode => !isToken(e));
}

function tokens(n: CstNode, key: string): IToken[] {
  return (n.children[key] ?? []).filter(isToken).filter((t) => !Number.isNaN(t.startOffset) && !t.isInsertedInRecovery);
}

function allTokensOf(n: CstNode, out: IToken[] = []): IToken[] {
  for (const list of Object.values(n.children)) {
    for (const e of list) {
      if (isToken(e)) {
        if (!Number.isNaN(e.startOffset) && !e.isInsertedInRecovery) out.push(e);
      } else allTokensOf(e, out);
    }
  }
  return out;
}

class Builder {
  /** End of the last real token seen: where a missing piece is reported. */
  private lastEnd = 0;

  constructor(
    private readonly file: string,
    private readonly textLength: number,
  ) {}

  tokenSpan(t: IToken): Span {
    const end = (t.endOffset ?? t.startOffset) + 1;
    this.lastEnd = Math.max(this.lastEnd, end);
    return { file: this.file, start: t.startOffset, end };
  }

  span(n: CstNode): Span {
    const ts = allTokensOf(n);
    if (ts.length === 0) {
      const at = Math.min(this.lastEnd, this.textLength);
      return { file: this.file, start: at, end: at };
    }
    let start = Infinity;
    let end = -Infinity;
    for (const t of ts) {
      start = Math.min(start, t.startOffset);
      end = Math.max(end, (t.endOffset ?? t.startOffset) + 1);
    }
    this.lastEnd = Math.max(this.lastEnd, end);
    return { file: this.file, start, end };
  }

  name(t: IToken | undefined, owner: CstNode): A.Name {
    if (!t) return { text: '', span: this.span(owner) };
    return { text: t.image, span: this.tokenSpan(t) };
  }

  missing(owner: CstNode): A.Missing {
    const s = this.span(owner);
    return { kind: 'Missing', span: { file: this.file, start: s.end, end: s.end } };
  }

  item(n: CstNode): A.TopItem | undefined {
    const [imp] = nodes(n, 'importDecl');
    if (imp) return this.importDecl(imp);
    const [blk] = nodes(n, 'blockDecl');
    if (blk) return this.blockDecl(blk);
    const [mdl] = nodes(n, 'modelDecl');
    if (mdl) return this.modelDecl(mdl);
    return undefined;
  }

  importDecl(n: CstNode): A.ImportDecl | undefined {
    const [path] = tokens(n, 'StringLiteral');
    if (!path) return undefined;
    return {
      kind: 'Import',
      names: tokens(n, 'Identifier').map((t) => this.name(t, n)),
      path: unquote(path.image),
      pathSpan: this.tokenSpan(path),
      span: this.span(n),
    };
  }

  params(n: CstNode | undefined): A.Param[] {
    if (!n) return [];
    return nodes(n, 'param').map((p) => {
      const [e] = nodes(p, 'expr');
      return { name: this.name(tokens(p, 'Identifier')[0], p), default: e ? this.expr(e) : undefined, span: this.span(p) };
    });
  }

  blockDecl(n: CstNode): A.BlockDecl {
    const [inputs] = nodes(n, 'inputList');
    return {
      kind: 'Block',
      name: this.name(tokens(n, 'Identifier')[0], n),
      params: this.params(nodes(n, 'paramList')[0]),
      inputs: inputs ? tokens(inputs, 'Identifier').map((t) => this.name(t, inputs)) : [],
      body: this.body(nodes(n, 'body')[0]),
      span: this.span(n),
    };
  }

  modelDecl(n: CstNode): A.ModelDecl {
    return {
      kind: 'Model',
      name: this.name(tokens(n, 'Identifier')[0], n),
      params: this.params(nodes(n, 'paramList')[0]),
      body: this.body(nodes(n, 'body')[0]),
      span: this.span(n),
    };
  }

  body(n: CstNode | undefined): A.Stmt[] {
    if (!n) return [];
    return nodes(n, 'statement').flatMap((s) => {
      const st = this.statement(s);
      return st ? [st] : [];
    });
  }

  statement(n: CstNode): A.Stmt | undefined {
    const [child] = Object.values(n.children).flat().filter((e): e is CstNode => !isToken(e));
    if (!child) return undefined;
    const span = this.span(child);
    const exprIn = (c: CstNode): A.Expr => {
      const [e] = nodes(c, 'expr');
      return e ? this.expr(e) : this.missing(c);
    };
    switch (child.name) {
      case 'inputStmt':
        return { kind: 'Input', name: this.name(tokens(child, 'Identifier')[0], child), shape: exprIn(child), span };
      case 'trainStmt':
        return {
          kind: 'Train',
          entries: nodes(child, 'trainEntry').map((e) => ({
            key: this.name(tokens(e, 'Identifier')[0], e),
            value: exprIn(e),
            span: this.span(e),
          })),
          span,
        };
      case 'returnStmt':
        return { kind: 'Return', value: exprIn(child), span };
      case 'assignStmt':
        return { kind: 'Assign', name: this.name(tokens(child, 'Identifier')[0], child), value: exprIn(child), span };
      case 'exprStmt':
        return { kind: 'ExprStmt', expr: exprIn(child), span };
      default:
        return undefined;
    }
  }

  expr(n: CstNode): A.Expr {
    const [ife] = nodes(n, 'ifExpr');
    if (ife) {
      const parts = nodes(ife, 'expr').map((e) => this.expr(e));
      return {
        kind: 'If',
        cond: parts[0] ?? this.missing(ife),
        then: parts[1] ?? this.missing(ife),
        else: parts[2] ?? this.missing(ife),
        span: this.span(ife),
      };
    }
    const [or] = nodes(n, 'orExpr');
    return or ? this.orExpr(or) : this.missing(n);
  }

  /** Folds `a op b op c` left to right; the operator tokens sit between the operands. */
  private leftAssoc(n: CstNode, operandKey: string, opKeys: string[], operand: (c: CstNode) => A.Expr): A.Expr {
    const operands = nodes(n, operandKey);
    const ops = opKeys.flatMap((k) => tokens(n, k)).sort((a, b) => a.startOffset - b.startOffset);
    if (operands.length === 0) return this.missing(n);
    let acc = operand(operands[0]);
    for (let i = 1; i < operands.length; i++) {
      const right = operand(operands[i]);
      const opTok = ops[i - 1];
      const op = (opTok ? normaliseOp(opTok.image) : '+') as A.BinaryOp;
      acc = {
        kind: 'Binary',
        op,
        left: acc,
        right,
        opSpan: opTok ? this.tokenSpan(opTok) : right.span,
        span: { file: this.file, start: acc.span.start, end: Math.max(acc.span.end, right.span.end) },
      };
    }
    return acc;
  }

  orExpr(n: CstNode): A.Expr {
    return this.leftAssoc(n, 'andExpr', ['Or'], (c) => this.andExpr(c));
  }

  andExpr(n: CstNode): A.Expr {
    return this.leftAssoc(n, 'notExpr', ['And'], (c) => this.notExpr(c));
  }

  notExpr(n: CstNode): A.Expr {
    const [inner] = nodes(n, 'notExpr');
    if (inner) return { kind: 'Unary', op: 'not', operand: this.notExpr(inner), span: this.span(n) };
    const [cmp] = nodes(n, 'compareExpr');
    return cmp ? this.leftAssoc(cmp, 'sizeExpr', ['Compare'], (c) => this.sizeExpr(c)) : this.missing(n);
  }

  sizeExpr(n: CstNode): A.Expr {
    return this.leftAssoc(n, 'addExpr', ['Cross'], (c) => this.leftAssoc(c, 'mulExpr', ['Plus', 'Minus'], (m) => this.mulExpr(m)));
  }

  mulExpr(n: CstNode): A.Expr {
    return this.leftAssoc(n, 'unaryExpr', ['Star', 'Slash', 'FloorDiv', 'Percent'], (c) => this.unaryExpr(c));
  }

  unaryExpr(n: CstNode): A.Expr {
    const [inner] = nodes(n, 'unaryExpr');
    if (inner) return { kind: 'Unary', op: '-', operand: this.unaryExpr(inner), span: this.span(n) };
    const [pipe] = nodes(n, 'pipeExpr');
    return pipe ? this.pipeExpr(pipe) : this.missing(n);
  }

  pipeExpr(n: CstNode): A.Expr {
    const [src] = nodes(n, 'postfixExpr');
    const source = src ? this.postfixExpr(src) : this.missing(n);
    const stages = nodes(n, 'stage').map((s) => this.stage(s));
    if (stages.length === 0) return source;
    return { kind: 'Pipe', source, stages, span: this.span(n) };
  }

  stage(n: CstNode): A.Stage {
    const [layer, repeat] = nodes(n, 'postfixExpr');
    const [alias] = [...tokens(n, 'Identifier'), ...tokens(n, 'StringLiteral')];
    const aliasName = alias && this.name(alias, n);
    return {
      layer: layer ? this.postfixExpr(layer) : this.missing(n),
      repeat: repeat ? this.postfixExpr(repeat) : undefined,
      alias: aliasName && (alias.tokenType.name === 'StringLiteral' ? { ...aliasName, text: unquote(alias.image) } : aliasName),
      span: this.span(n),
    };
  }

  postfixExpr(n: CstNode): A.Expr {
    const [prim] = nodes(n, 'primary');
    let acc: A.Expr = prim ? this.primary(prim) : this.missing(n);
    // Calls and member accesses interleave in source order.
    const suffixes: Array<{ at: number; apply: (e: A.Expr) => A.Expr }> = [];
    for (const args of nodes(n, 'argList')) {
      const s = this.span(args);
      suffixes.push({
        at: s.start,
        apply: (callee) => ({
          kind: 'Call',
          callee,
          args: nodes(args, 'arg').map((a) => this.arg(a)),
          span: { file: this.file, start: callee.span.start, end: s.end },
        }),
      });
    }
    for (const id of tokens(n, 'Identifier')) {
      const name = this.name(id, n);
      suffixes.push({
        at: name.span.start,
        apply: (object) => ({ kind: 'Member', object, member: name, span: { file: this.file, start: object.span.start, end: name.span.end } }),
      });
    }
    suffixes.sort((a, b) => a.at - b.at);
    for (const s of suffixes) acc = s.apply(acc);
    return acc;
  }

  arg(n: CstNode): A.Arg {
    const [id] = tokens(n, 'Identifier');
    const [e] = nodes(n, 'expr');
    return { name: id ? this.name(id, n) : undefined, value: e ? this.expr(e) : this.missing(n), span: this.span(n) };
  }

  primary(n: CstNode): A.Expr {
    const span = this.span(n);
    const tok = (key: string): IToken | undefined => tokens(n, key)[0];
    let t: IToken | undefined;
    if ((t = tok('NumberLiteral'))) return { kind: 'Number', value: Number(t.image), text: t.image, span };
    if ((t = tok('SizeLiteral'))) return { kind: 'Size', dims: t.image.split(/[x×]/).map(Number), span };
    if ((t = tok('StringLiteral'))) return { kind: 'String', value: unquote(t.image), span };
    if (tok('True')) return { kind: 'Bool', value: true, span };
    if (tok('False')) return { kind: 'Bool', value: false, span };
    if ((t = tok('Identifier'))) return { kind: 'Ident', name: t.image, span };
    const [paren] = nodes(n, 'parenExpr');
    if (paren) {
      const items = nodes(paren, 'expr').map((e) => this.expr(e));
      if (items.length === 1) return items[0];
      if (items.length === 0) return this.missing(paren);
      return { kind: 'Tuple', items, span };
    }
    const [list] = nodes(n, 'listExpr');
    if (list) return { kind: 'List', items: nodes(list, 'expr').map((e) => this.expr(e)), span };
    return this.missing(n);
  }
}

function normaliseOp(image: string): string {
  return image === '×' ? 'x' : image;
}

function unquote(s: string): string {
  return s.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}
