import type { BlockTable } from '../check/evaluate.js';
import { LAYERS } from '../check/layers/index.js';
import type { Span } from '../diagnostics/source.js';
import type * as A from '../syntax/ast.js';
import { KEYWORDS } from '../syntax/tokens.js';

/**
 * What a name in a .cnn document refers to, and everywhere it does: the basis of find-references
 * and rename. A name is a block (declared in a file, used in pipelines and calls, listed in
 * imports) or a local of one declaration (a parameter, an input, a value), which also appears as
 * the key of named arguments where the block is called (`basic(c: 64)`). Resolution follows the
 * checker's: a local hides a block of the same name.
 */

export type NameTarget =
  | { readonly kind: 'block'; readonly decl: A.BlockDecl }
  | { readonly kind: 'local'; readonly decl: A.BlockDecl | A.ModelDecl; readonly name: string };

/** The parsed files of one analysis and the blocks each sees. */
export interface Files {
  readonly programs: readonly A.Program[];
  readonly blocks: ReadonlyMap<string, BlockTable>;
}

const within = (s: Span, offset: number) => s.start <= offset && offset <= s.end;
type Decl = A.BlockDecl | A.ModelDecl;

/** The name at `offset` in `path`, or undefined where there is none (a number, a layer, a keyword). */
export function targetAt(files: Files, path: string, offset: number): NameTarget | undefined {
  const program = files.programs.find((p) => p.file === path);
  if (!program) return undefined;
  const table = files.blocks.get(path) ?? new Map();
  for (const item of program.items) {
    if (item.kind === 'Import') {
      const n = item.names.find((x) => within(x.span, offset));
      const b = n && table.get(n.text);
      if (b) return { kind: 'block', decl: b.decl };
      continue;
    }
    if (within(item.name.span, offset)) return item.kind === 'Block' ? { kind: 'block', decl: item } : undefined;
    if (!within(item.span, offset)) continue;
    const locals = localNames(item);
    for (const p of item.params) if (within(p.name.span, offset)) return { kind: 'local', decl: item, name: p.name.text };
    if (item.kind === 'Block') for (const i of item.inputs) if (within(i.span, offset)) return { kind: 'local', decl: item, name: i.text };
    for (const s of item.body) if ((s.kind === 'Assign' || s.kind === 'Input') && within(s.name.span, offset)) return { kind: 'local', decl: item, name: s.name.text };
    let found: NameTarget | undefined;
    visitDecl(item, (node) => {
      if (node.kind === 'Ident' && within(node.span, offset)) {
        if (locals.has(node.name)) found = { kind: 'local', decl: item, name: node.name };
        else {
          const b = table.get(node.name);
          if (b) found = { kind: 'block', decl: b.decl };
        }
      }
      if (node.kind === 'Call' && node.callee.kind === 'Ident') {
        const callee = locals.has(node.callee.name) ? undefined : table.get(node.callee.name);
        for (const a of node.args) if (a.name && within(a.name.span, offset) && callee) found = { kind: 'local', decl: callee.decl, name: a.name.text };
      }
    });
    return found;
  }
  return undefined;
}

/** Every span that names the target in these files, the declaration first. */
export function referencesOf(files: Files, target: NameTarget): Span[] {
  const out: Span[] = [];
  if (target.kind === 'block') {
    out.push(target.decl.name.span);
    for (const p of files.programs) {
      const table = files.blocks.get(p.file) ?? new Map();
      if (table.get(target.decl.name.text)?.decl !== target.decl) continue;
      for (const item of p.items) {
        if (item.kind === 'Import') {
          for (const n of item.names) if (n.text === target.decl.name.text) out.push(n.span);
          continue;
        }
        const locals = localNames(item);
        visitDecl(item, (node) => {
          if (node.kind === 'Ident' && node.name === target.decl.name.text && !locals.has(node.name)) out.push(node.span);
        });
      }
    }
    return dedupe(out);
  }
  const { decl, name } = target;
  for (const p of decl.params) if (p.name.text === name) out.push(p.name.span);
  if (decl.kind === 'Block') for (const i of decl.inputs) if (i.text === name) out.push(i.span);
  for (const s of decl.body) if ((s.kind === 'Assign' || s.kind === 'Input') && s.name.text === name) out.push(s.name.span);
  visitDecl(decl, (node) => {
    if (node.kind === 'Ident' && node.name === name) out.push(node.span);
  });
  // A block's parameter is also the key of named arguments where the block is called.
  if (decl.kind === 'Block' && decl.params.some((p) => p.name.text === name)) {
    for (const p of files.programs) {
      const table = files.blocks.get(p.file) ?? new Map();
      for (const item of p.items) {
        if (item.kind === 'Import') continue;
        const locals = localNames(item);
        visitDecl(item, (node) => {
          if (node.kind !== 'Call' || node.callee.kind !== 'Ident' || locals.has(node.callee.name)) return;
          if (table.get(node.callee.name)?.decl !== decl) return;
          for (const a of node.args) if (a.name?.text === name) out.push(a.name.span);
        });
      }
    }
  }
  return dedupe(out);
}

/** Why `name` cannot replace the target's, or undefined when it can. */
export function renameProblem(files: Files, target: NameTarget, name: string): string | undefined {
  if (!/^[A-Za-z_]\w*$/.test(name)) return `\`${name}\` is not a name: letters, digits and _, not starting with a digit`;
  if ((KEYWORDS as readonly string[]).includes(name)) return `\`${name}\` is a keyword`;
  if (target.kind === 'block') {
    if (LAYERS.has(name)) return `\`${name}\` is a built-in layer; a block of that name would hide it`;
    for (const [, table] of files.blocks) {
      const other = table.get(name);
      if (other && other.decl !== target.decl && [...table.values()].some((b) => b.decl === target.decl)) return `a block \`${name}\` is already visible where \`${target.decl.name.text}\` is used`;
    }
    return undefined;
  }
  if (localNames(target.decl).has(name)) return `\`${name}\` is already a name in ${target.decl.kind === 'Block' ? 'block' : 'model'} \`${target.decl.name.text}\``;
  return undefined;
}

/** Parameters, inputs and assigned values of a declaration. */
function localNames(d: Decl): Set<string> {
  const names = new Set(d.params.map((p) => p.name.text));
  if (d.kind === 'Block') for (const i of d.inputs) names.add(i.text);
  for (const s of d.body) if (s.kind === 'Assign' || s.kind === 'Input') names.add(s.name.text);
  return names;
}

type Visited = A.Expr;

/** Every expression of a declaration: parameter defaults and the body. */
function visitDecl(d: Decl, visit: (node: Visited) => void): void {
  for (const p of d.params) if (p.default) visitExpr(p.default, visit);
  for (const s of d.body) {
    if (s.kind === 'Assign') visitExpr(s.value, visit);
    else if (s.kind === 'ExprStmt') visitExpr(s.expr, visit);
    else if (s.kind === 'Return') visitExpr(s.value, visit);
    else if (s.kind === 'Input') visitExpr(s.shape, visit);
    else if (s.kind === 'Train') for (const e of s.entries) visitExpr(e.value, visit);
  }
}

function visitExpr(e: A.Expr, visit: (node: Visited) => void): void {
  visit(e);
  switch (e.kind) {
    case 'Tuple': case 'List': e.items.forEach((i) => visitExpr(i, visit)); return;
    case 'Call': visitExpr(e.callee, visit); e.args.forEach((a) => visitExpr(a.value, visit)); return;
    case 'Member': visitExpr(e.object, visit); return;
    case 'Unary': visitExpr(e.operand, visit); return;
    case 'Binary': visitExpr(e.left, visit); visitExpr(e.right, visit); return;
    case 'If': visitExpr(e.cond, visit); visitExpr(e.then, visit); visitExpr(e.else, visit); return;
    case 'Pipe':
      visitExpr(e.source, visit);
      for (const st of e.stages) {
        visitExpr(st.layer, visit);
        if (st.repeat) visitExpr(st.repeat, visit);
      }
      return;
    default:
      return;
  }
}

function dedupe(spans: readonly Span[]): Span[] {
  const seen = new Set<string>();
  return spans.filter((s) => {
    const k = `${s.file}:${s.start}:${s.end}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
