import type { Span } from '../diagnostics/source.js';

/**
 * The abstract syntax of a .cnn file. Every node carries the span of the text it came from.
 * Parts the parser could not read become `Missing` nodes, so later stages can keep going.
 */
export interface Program {
  readonly kind: 'Program';
  readonly file: string;
  readonly items: readonly TopItem[];
  readonly span: Span;
}

export type TopItem = ImportDecl | BlockDecl | ModelDecl;

export interface Name {
  readonly text: string;
  readonly span: Span;
}

export interface ImportDecl {
  readonly kind: 'Import';
  /** Empty when the whole file is imported. */
  readonly names: readonly Name[];
  readonly path: string;
  readonly pathSpan: Span;
  readonly span: Span;
}

export interface Param {
  readonly name: Name;
  readonly default?: Expr;
  readonly span: Span;
}

export interface BlockDecl {
  readonly kind: 'Block';
  readonly name: Name;
  readonly params: readonly Param[];
  /** The tensors the block consumes, e.g. `(x)` or `(a, b)`. */
  readonly inputs: readonly Name[];
  readonly body: readonly Stmt[];
  readonly span: Span;
}

export interface ModelDecl {
  readonly kind: 'Model';
  readonly name: Name;
  readonly params: readonly Param[];
  readonly body: readonly Stmt[];
  readonly span: Span;
}

export type Stmt = InputStmt | AssignStmt | ExprStmt | ReturnStmt | TrainStmt;

export interface InputStmt {
  readonly kind: 'Input';
  readonly name: Name;
  readonly shape: Expr;
  readonly span: Span;
}

export interface AssignStmt {
  readonly kind: 'Assign';
  readonly name: Name;
  readonly value: Expr;
  readonly span: Span;
}

export interface ExprStmt {
  readonly kind: 'ExprStmt';
  readonly expr: Expr;
  readonly span: Span;
}

export interface ReturnStmt {
  readonly kind: 'Return';
  readonly value: Expr;
  readonly span: Span;
}

export interface TrainEntry {
  readonly key: Name;
  readonly value: Expr;
  readonly span: Span;
}

export interface TrainStmt {
  readonly kind: 'Train';
  readonly entries: readonly TrainEntry[];
  readonly span: Span;
}

export type Expr =
  | NumberLit
  | SizeLit
  | StringLit
  | BoolLit
  | Ident
  | TupleExpr
  | ListExpr
  | CallExpr
  | MemberExpr
  | UnaryExpr
  | BinaryExpr
  | IfExpr
  | PipeExpr
  | Missing;

export interface NumberLit { readonly kind: 'Number'; readonly value: number; readonly text: string; readonly span: Span }
export interface SizeLit { readonly kind: 'Size'; readonly dims: readonly number[]; readonly span: Span }
export interface StringLit { readonly kind: 'String'; readonly value: string; readonly span: Span }
export interface BoolLit { readonly kind: 'Bool'; readonly value: boolean; readonly span: Span }
export interface Ident { readonly kind: 'Ident'; readonly name: string; readonly span: Span }
/** `(a, b)`: several tensors fed to one layer, e.g. `(a, b) -> concat`. */
export interface TupleExpr { readonly kind: 'Tuple'; readonly items: readonly Expr[]; readonly span: Span }
export interface ListExpr { readonly kind: 'List'; readonly items: readonly Expr[]; readonly span: Span }

export interface Arg {
  readonly name?: Name;
  readonly value: Expr;
  readonly span: Span;
}

export interface CallExpr {
  readonly kind: 'Call';
  readonly callee: Expr;
  readonly args: readonly Arg[];
  readonly span: Span;
}

export interface MemberExpr {
  readonly kind: 'Member';
  readonly object: Expr;
  readonly member: Name;
  readonly span: Span;
}

export interface UnaryExpr {
  readonly kind: 'Unary';
  readonly op: '-' | 'not';
  readonly operand: Expr;
  readonly span: Span;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | 'x' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or';

export interface BinaryExpr {
  readonly kind: 'Binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  readonly opSpan: Span;
  readonly span: Span;
}

export interface IfExpr {
  readonly kind: 'If';
  readonly cond: Expr;
  readonly then: Expr;
  readonly else: Expr;
  readonly span: Span;
}

/** One step of a pipeline: a layer, optionally repeated (`* n`) and named (`as conv1`). */
export interface Stage {
  readonly layer: Expr;
  readonly repeat?: Expr;
  readonly alias?: Name;
  readonly span: Span;
}

export interface PipeExpr {
  readonly kind: 'Pipe';
  readonly source: Expr;
  readonly stages: readonly Stage[];
  readonly span: Span;
}

/** Stands in for text the parser could not read; it has already been reported. */
export interface Missing { readonly kind: 'Missing'; readonly span: Span }
