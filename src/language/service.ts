import type { CheckedModel, ModelNode } from '../check/model.js';
import { LAYERS } from '../check/layers/index.js';
import type { ParamSpec } from '../check/layers/types.js';
import type { SourceHost } from '../check/modules.js';
import { TRAINING_KEYS } from '../check/training.js';
import { compileFrontEnd, type FrontEndResult } from '../compiler.js';
import type { Diagnostic, Edit } from '../diagnostics/diagnostic.js';
import type { SourceFile, Span } from '../diagnostics/source.js';
import type * as A from '../syntax/ast.js';
import type { BlockDecl, CallExpr, ModelDecl, Param, Program, Stmt } from '../syntax/ast.js';
import { formatSource } from '../syntax/format.js';
import { KEYWORDS } from '../syntax/tokens.js';
import { referencesOf, renameProblem, targetAt } from './references.js';

/**
 * What an editor asks about a .cnn document, answered from the compiler's own front end: the
 * checker's diagnostics, and the shapes, weights and names it computed. Plain data in and out
 * (paths and character offsets); no editor or protocol types, so the language server
 * (src/cli/commands/lsp.ts) and a browser front end both use it.
 */

export interface Hover {
  /** Markdown. */
  readonly text: string;
  readonly span: Span;
}

export interface InlayHint {
  /** Offset the hint is shown at (just after a layer call). */
  readonly offset: number;
  readonly label: string;
}

export type SymbolKind = 'model' | 'block' | 'input' | 'value' | 'layer';

export interface DocumentSymbol {
  readonly name: string;
  readonly kind: SymbolKind;
  readonly detail: string;
  readonly span: Span;
  readonly nameSpan: Span;
  readonly children: readonly DocumentSymbol[];
}

/** A fix for a diagnostic the editor can apply (a code action). */
export interface CodeAction {
  readonly title: string;
  readonly diagnostic: Diagnostic;
  readonly edits: readonly Edit[];
}

/** A layer's or block's signature while its arguments are typed. */
export interface SignatureHelp {
  /** `conv(out, kernel, stride = 1, …)` */
  readonly label: string;
  readonly documentation?: string;
  readonly parameters: readonly { readonly label: string; readonly documentation?: string }[];
  /** The parameter being typed: the next positional one, or the one named before the cursor. */
  readonly active: number;
}

export type CompletionKind = 'layer' | 'block' | 'argument' | 'value' | 'keyword' | 'setting' | 'file';

export interface Completion {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  readonly documentation?: string;
  /** What to insert, when it differs from the label (`pad: `). */
  readonly insert?: string;
}

/** One analysis of a document: what compileFrontEnd computes, kept for the questions that follow. */
interface Analysis extends FrontEndResult {
  readonly text: string;
}


export class LanguageService {
  private readonly open = new Map<string, string>();
  private readonly cache = new Map<string, Analysis>();

  /** `host` reads files that are not open (imports); open documents are read from the editor's text. */
  constructor(private readonly host: SourceHost) {}

  /** The editor's text of a document, which imports of it see too. */
  update(path: string, text: string): void {
    this.open.set(path, text);
    this.cache.clear();
  }

  close(path: string): void {
    this.open.delete(path);
    this.cache.clear();
  }

  /** The checker's diagnostics for a document and the files it imports (each has its span's file). */
  diagnostics(path: string): readonly Diagnostic[] {
    return this.analyse(path).diagnostics;
  }

  /** The checked models of a document (none of those with errors), for summaries and diagrams. */
  models(path: string): readonly CheckedModel[] {
    return this.analyse(path).models;
  }

  /** Every file the last analysis of `path` read, for rendering and position mapping. */
  sources(path: string): ReadonlyMap<string, SourceFile> {
    return this.analyse(path).sources;
  }

  /** The document in `cnnc fmt`'s layout, or undefined when it has syntax errors (nothing to change then). */
  format(path: string): string | undefined {
    const a = this.analyse(path);
    if (a.diagnostics.some((d) => d.span.file === path && d.code <= 'E0003')) return undefined;
    return formatSource(a.text).text;
  }

  /** The fixes of the diagnostics of `path` that touch [start, end]. */
  codeActions(path: string, start: number, end: number): readonly CodeAction[] {
    return this.diagnostics(path)
      .filter((d) => d.span.file === path && d.span.start <= end && start <= d.span.end)
      .flatMap((d) => (d.fixes ?? []).map((f) => ({ title: f.title, diagnostic: d, edits: f.edits })));
  }

  hover(path: string, offset: number): Hover | undefined {
    const a = this.analyse(path);
    const decl = declarationAt(a.program, offset);
    if (decl) return { text: signatureOf(decl, a.text), span: decl.name.span };
    const arg = argumentAt(a.program, offset);
    if (arg) {
      const p = LAYERS.get(arg.layer)?.params.find((q) => q.name === arg.name);
      if (p) return { text: `\`${arg.layer}(${p.name}: …)\`: ${p.doc}${defaultText(p)}`, span: arg.span };
    }
    const named = this.nameHover(a, path, offset);
    if (named) return named;
    const nodes = nodesAt(a, path, offset);
    if (nodes.length) return { text: layerHover(nodes), span: nodes[0].span };
    return undefined;
  }

  /** A value's shape (every instance of its block), an input's, a parameter's value, or a block's signature where it is used. */
  private nameHover(a: Analysis, path: string, offset: number): Hover | undefined {
    const target = targetAt(a, path, offset);
    const word = wordAt(a.text, offset);
    if (!target || !word) return undefined;
    const span = { file: path, start: word.start, end: word.start + word.text.length };
    if (target.kind === 'block') {
      const src = a.sources.get(target.decl.span.file)?.text ?? '';
      return { text: signatureOf(target.decl, src), span };
    }
    const { decl, name } = target;
    const param = decl.params.find((p) => p.name.text === name);
    if (param) {
      const given = param.default ? ` (default \`${textOf(a, param.default.span)}\`)` : '';
      return { text: `\`${name}\`: parameter of ${decl.kind === 'Block' ? 'block' : 'model'} \`${decl.name.text}\`${given}`, span };
    }
    // The value's shape is its defining expression's: the nodes its last layer call made, in every model that uses this declaration.
    const def = decl.body.find((s): s is A.AssignStmt | A.InputStmt => (s.kind === 'Assign' || s.kind === 'Input') && s.name.text === name);
    const input = decl.kind === 'Block' && decl.inputs.some((i) => i.text === name);
    const shapes = new Set<string>();
    // A block file checks no model itself: the documents open beside it that use it give its shapes.
    const models = [a, ...[...this.open.keys()].filter((d) => d !== path).map((d) => this.analyse(d))].flatMap((x) => x.models);
    for (const m of models) {
      for (const n of m.nodes) {
        if (def?.kind === 'Input' && n.op === 'input' && n.span.file === def.name.span.file && n.span.start === def.name.span.start) shapes.add(shapeText(n.shape));
        if (def?.kind === 'Assign' && n.span.file === path && n.span.end === endOfValue(def.value)) shapes.add(shapeText(n.shape));
      }
    }
    const what = input ? 'input of block' : def?.kind === 'Input' ? 'input of model' : 'value in';
    return { text: `\`${name}\`: ${what} \`${decl.name.text}\`${shapes.size ? ` → ${[...shapes].map((x) => `\`${x}\``).join(' | ')}` : ''}`, span };
  }

  /** The output shape after each layer call of the document, as the examples' `# 6×14×14` comments. */
  inlayHints(path: string): readonly InlayHint[] {
    const a = this.analyse(path);
    const bySpan = new Map<string, { span: Span; shapes: string[] }>();
    for (const m of a.models) {
      for (const n of m.nodes) {
        if (n.op === 'input' || n.span.file !== path) continue;
        const key = `${n.span.start}:${n.span.end}`;
        const entry = bySpan.get(key) ?? { span: n.span, shapes: [] };
        const s = shapeText(n.shape);
        if (!entry.shapes.includes(s)) entry.shapes.push(s);
        bySpan.set(key, entry);
      }
    }
    return [...bySpan.values()].sort((x, y) => x.span.end - y.span.end).map((e) => ({ offset: e.span.end, label: e.shapes.join(' | ') }));
  }

  symbols(path: string): readonly DocumentSymbol[] {
    const a = this.analyse(path);
    return a.program.items.flatMap((item): DocumentSymbol[] => {
      if (item.kind === 'Import' || !item.name.text) return [];
      const children = item.body.flatMap((s): DocumentSymbol[] => {
        if (s.kind === 'Input') return [{ name: s.name.text, kind: 'input', detail: 'input', span: s.span, nameSpan: s.name.span, children: [] }];
        const layers = namedLayers(s);
        if (s.kind === 'Assign') return [{ name: s.name.text, kind: 'value', detail: '', span: s.span, nameSpan: s.name.span, children: layers }];
        return layers;
      });
      return [{ name: item.name.text, kind: item.kind === 'Model' ? 'model' : 'block', detail: headerOf(item), span: item.span, nameSpan: item.name.span, children }];
    });
  }

  /** Where the name at `offset` is defined: a block (in this file or an imported one), a value, a parameter, an imported file. */
  definition(path: string, offset: number): Span | undefined {
    const a = this.analyse(path);
    const imp = a.program.items.find((i) => i.kind === 'Import' && within(i.pathSpan, offset));
    if (imp?.kind === 'Import') {
      const target = a.programs.find((p) => p.file !== path && p.file.endsWith(imp.path.replace(/^\.\//, '')));
      return target ? { file: target.file, start: 0, end: 0 } : undefined;
    }
    const word = wordAt(a.text, offset);
    if (!word) return undefined;
    const decl = enclosingDecl(a.program, offset);
    if (decl) {
      const local = localDefinition(decl, word.text, offset);
      if (local) return local;
    }
    for (const p of a.programs) {
      const block = p.items.find((i): i is BlockDecl => i.kind === 'Block' && i.name.text === word.text);
      if (block) return block.name.span;
    }
    return undefined;
  }

  completions(path: string, offset: number): readonly Completion[] {
    const a = this.analyse(path);
    const lineStart = a.text.lastIndexOf('\n', offset - 1) + 1;
    if (/^\s*import\b[^"\n]*"[^"\n]*$/.test(a.text.slice(lineStart, offset))) {
      return (this.host.list?.(path) ?? []).map((f): Completion => ({ label: f, kind: 'file' }));
    }
    const call = openCall(a.text, offset);
    if (call) {
      const layer = LAYERS.get(call.callee);
      if (layer) return layer.params.filter((p, i) => i >= call.positional && !call.given.includes(p.name)).map((p) => ({ label: p.name, kind: 'argument', insert: `${p.name}: `, detail: `${call.callee}(${p.name}: …)`, documentation: `${p.doc}${defaultText(p)}` }));
      const block = a.programs.flatMap((p) => p.items).find((i): i is BlockDecl => i.kind === 'Block' && i.name.text === call.callee);
      if (block) return block.params.filter((p, i) => i >= call.positional && !call.given.includes(p.name.text)).map((p) => ({ label: p.name.text, kind: 'argument', insert: `${p.name.text}: `, detail: `${block.name.text}(${p.name.text}: …)` }));
    }
    const decl = enclosingDecl(a.program, offset);
    const inTrain = decl?.body.some((s) => s.kind === 'Train' && within(s.span, offset));
    if (inTrain) return TRAINING_KEYS.map((k) => ({ label: k, kind: 'setting', insert: `${k}: ` }));
    const layers = [...LAYERS.values()].map((d): Completion => ({ label: d.name, kind: 'layer', detail: `${d.name}(${d.params.filter((p) => p.default === undefined).map((p) => p.name).join(', ')})`, documentation: d.summary }));
    const blocks = a.programs.flatMap((p) => p.items).filter((i): i is BlockDecl => i.kind === 'Block' && Boolean(i.name.text)).map((b): Completion => ({ label: b.name.text, kind: 'block', detail: headerOf(b) }));
    const values = decl ? scopeNames(decl, offset).map((n): Completion => ({ label: n, kind: 'value' })) : [];
    const keywords = KEYWORDS.map((k): Completion => ({ label: k, kind: 'keyword' }));
    return [...values, ...layers, ...blocks, ...keywords];
  }

  /** Every place the name at `offset` stands for the same block or value: this file, its imports, and every open document. */
  references(path: string, offset: number): readonly Span[] {
    const a = this.analyse(path);
    const target = targetAt(a, path, offset);
    if (!target) return [];
    const key = declKey(target.decl);
    const out = new Map<string, Span>();
    for (const doc of new Set([path, ...this.open.keys()])) {
      const d = this.analyse(doc);
      const same = d.programs.flatMap((p) => p.items).find((i): i is BlockDecl | ModelDecl => i.kind !== 'Import' && declKey(i) === key);
      if (!same) continue;
      const t = target.kind === 'block' ? (same.kind === 'Block' ? { kind: 'block' as const, decl: same } : undefined) : { kind: 'local' as const, decl: same, name: target.name };
      if (!t) continue;
      for (const span of referencesOf(d, t)) out.set(`${span.file}:${span.start}:${span.end}`, span);
    }
    return [...out.values()];
  }

  /** The span of the name at `offset` when it can be renamed (a block or a local value). */
  renameSpan(path: string, offset: number): Span | undefined {
    const a = this.analyse(path);
    const target = targetAt(a, path, offset);
    if (!target) return undefined;
    return referencesOf(a, target).find((s) => s.file === path && within(s, offset));
  }

  /** The edits that rename the name at `offset` everywhere it is used, or why it cannot be. */
  rename(path: string, offset: number, name: string): { readonly edits: readonly Edit[] } | { readonly error: string } {
    const a = this.analyse(path);
    const target = targetAt(a, path, offset);
    if (!target) return { error: 'there is no block or value name here to rename' };
    const problem = renameProblem(a, target, name);
    if (problem) return { error: problem };
    return { edits: this.references(path, offset).map((span) => ({ span, text: name })) };
  }

  /** The signature of the layer or block whose parentheses are open at `offset`. */
  signatureHelp(path: string, offset: number): SignatureHelp | undefined {
    const a = this.analyse(path);
    const call = openCall(a.text, offset);
    if (!call) return undefined;
    const typing = /(\w+)\s*:\s*[^,]*$/.exec(splitTopLevel(a.text.slice(call.open + 1, offset)).pop() ?? '')?.[1];
    const layer = LAYERS.get(call.callee);
    if (layer) {
      const params = layer.params.map((p) => ({ label: p.default === undefined || typeof p.default === 'function' ? p.name : `${p.name} = ${Array.isArray(p.default) ? (p.default[0] === p.default[1] ? p.default[0] : p.default.join('x')) : String(p.default)}`, documentation: p.doc }));
      const active = typing ? layer.params.findIndex((p) => p.name === typing) : Math.min(call.positional, layer.params.length - 1);
      return { label: `${layer.name}(${params.map((p) => p.label).join(', ')})`, documentation: layer.summary, parameters: params, active };
    }
    const block = a.programs.flatMap((p) => p.items).find((i): i is BlockDecl => i.kind === 'Block' && i.name.text === call.callee);
    if (!block) return undefined;
    const params = block.params.map((p) => ({ label: p.default ? `${p.name.text} = ${textOf(a, p.default.span)}` : p.name.text }));
    const active = typing ? block.params.findIndex((p) => p.name.text === typing) : Math.min(call.positional, block.params.length - 1);
    return { label: `${block.name.text}(${params.map((p) => p.label).join(', ')})`, documentation: commentAbove(a.sources.get(block.span.file)?.text ?? '', block.span.start) || undefined, parameters: params, active };
  }

  private analyse(path: string): Analysis {
    const known = this.cache.get(path);
    if (known) return known;
    const text = this.read(path) ?? '';
    const host: SourceHost = { read: (p) => this.read(p), resolve: (from, spec) => this.host.resolve(from, spec) };
    const a: Analysis = { ...compileFrontEnd(path, text, host), text };
    this.cache.set(path, a);
    return a;
  }

  private read(path: string): string | undefined {
    return this.open.get(path) ?? this.host.read(path);
  }
}

const within = (s: Span, offset: number) => s.start <= offset && offset <= s.end;

/** The same declaration in another analysis: its file and where its name is. */
const declKey = (d: BlockDecl | ModelDecl) => `${d.name.span.file}:${d.name.span.start}`;

/** Where the last layer call of an expression ends: a pipeline's last stage, else the expression. */
function endOfValue(e: A.Expr): number {
  if (e.kind === 'Pipe') return e.stages[e.stages.length - 1].layer.span.end;
  if (e.kind === 'If') return e.span.end;
  return e.span.end;
}

function textOf(a: Analysis, span: Span): string {
  return a.sources.get(span.file)?.text.slice(span.start, span.end) ?? '';
}

export function shapeText(shape: readonly number[]): string {
  return shape.join('×');
}

function defaultText(p: ParamSpec): string {
  if (p.default === undefined) return ' (required)';
  if (typeof p.default === 'function') return '';
  return ` (default \`${Array.isArray(p.default) ? `[${p.default.join(', ')}]` : String(p.default)}\`)`;
}

/** The layers a statement names (`as conv1`), for the outline. */
function namedLayers(s: Stmt): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  walk(s, (node) => {
    if (node.kind !== 'Pipe') return;
    for (const st of (node as A.PipeExpr).stages) {
      if (!st.alias) continue;
      const call = st.layer.kind === 'Call' ? st.layer.callee : st.layer;
      out.push({ name: st.alias.text, kind: 'layer', detail: call.kind === 'Ident' ? call.name : '', span: st.span, nameSpan: st.alias.span, children: [] });
    }
  });
  return out;
}

/** The model or block whose name is at `offset`. */
function declarationAt(program: Program, offset: number): BlockDecl | ModelDecl | undefined {
  return program.items.find((i): i is BlockDecl | ModelDecl => i.kind !== 'Import' && within(i.name.span, offset));
}

function enclosingDecl(program: Program, offset: number): BlockDecl | ModelDecl | undefined {
  return program.items.find((i): i is BlockDecl | ModelDecl => i.kind !== 'Import' && within(i.span, offset));
}

function headerOf(d: BlockDecl | ModelDecl): string {
  const params = d.params.map((p: Param) => p.name.text + (p.default ? ' = …' : '')).join(', ');
  return d.kind === 'Block' ? `block ${d.name.text}(${params})(${d.inputs.map((i) => i.text).join(', ')})` : `model ${d.name.text}${d.params.length ? `(${params})` : ''}`;
}

/** The declaration's header with its parameters' defaults as written, and the comment above it. */
function signatureOf(d: BlockDecl | ModelDecl, text: string): string {
  const params = d.params.map((p) => (p.default ? `${p.name.text} = ${text.slice(p.default.span.start, p.default.span.end)}` : p.name.text)).join(', ');
  const head = d.kind === 'Block' ? `block ${d.name.text}(${params})(${d.inputs.map((i) => i.text).join(', ')})` : `model ${d.name.text}${d.params.length ? `(${params})` : ''}`;
  const comment = commentAbove(text, d.span.start);
  return ['```cnn', head, '```', ...(comment ? ['', comment] : [])].join('\n');
}

function commentAbove(text: string, start: number): string {
  const lines = text.slice(0, start).split('\n');
  lines.pop();
  const out: string[] = [];
  for (let l = lines.pop(); l !== undefined && /^\s*#/.test(l); l = lines.pop()) out.unshift(l.replace(/^\s*#\s?/, ''));
  return out.join('\n');
}

/** Every node of the checked models made by the innermost layer call at `offset`. */
function nodesAt(a: Analysis, path: string, offset: number): ModelNode[] {
  let best: ModelNode[] = [];
  for (const m of a.models) {
    for (const n of m.nodes) {
      if (n.op === 'input' || n.span.file !== path || !within(n.span, offset)) continue;
      const width = n.span.end - n.span.start;
      const bestWidth = best.length ? best[0].span.end - best[0].span.start : Infinity;
      if (width < bestWidth) best = [n];
      else if (width === bestWidth && best[0].span.start === n.span.start) best.push(n);
    }
  }
  return best;
}

function layerHover(nodes: readonly ModelNode[]): string {
  const first = nodes[0];
  const def = LAYERS.get(first.op);
  const facts = (n: ModelNode) => {
    const params = n.weights.filter((w) => w.trainable).reduce((s, w) => s + w.shape.reduce((x, y) => x * y, 1), 0);
    const parts = [`→ \`${shapeText(n.shape)}\``];
    if (params) parts.push(`${params.toLocaleString('en-US')} parameters`);
    if (n.macs) parts.push(`${n.macs.toLocaleString('en-US')} MACs`);
    if (n.rf) parts.push(`receptive field ${n.rf.size.join('×')} (jump ${n.rf.jump.join('×')})`);
    return parts.join(' · ');
  };
  const lines = [`**${first.op}**${def ? `: ${def.summary}` : ''}`, ''];
  const shown = nodes.slice(0, 12);
  for (const n of shown) lines.push(`- \`${n.name}\` ${facts(n)}`);
  if (nodes.length > shown.length) lines.push(`- … and ${nodes.length - shown.length} more uses`);
  return lines.join('\n');
}

/** A named argument of a layer call at `offset`: `pad` in `conv(6, 5, pad: 2)`. */
function argumentAt(program: Program, offset: number): { layer: string; name: string; span: Span } | undefined {
  let found: { layer: string; name: string; span: Span } | undefined;
  walk(program, (node) => {
    if (node.kind !== 'Call') return;
    const call = node as CallExpr;
    if (call.callee.kind !== 'Ident') return;
    const callee = call.callee.name;
    for (const arg of call.args) if (arg.name && within(arg.name.span, offset)) found = { layer: callee, name: arg.name.text, span: arg.name.span };
  });
  return found;
}

/** Calls every AST node (anything with a `kind`) below `root`. */
function walk(root: unknown, visit: (node: { readonly kind: string }) => void): void {
  if (Array.isArray(root)) {
    for (const r of root) walk(r, visit);
    return;
  }
  if (!root || typeof root !== 'object') return;
  const node = root as { kind?: unknown };
  if (typeof node.kind === 'string') visit(node as { kind: string });
  for (const [k, v] of Object.entries(root)) if (k !== 'span' && typeof v === 'object') walk(v, visit);
}

function wordAt(text: string, offset: number): { text: string; start: number } | undefined {
  let s = offset;
  let e = offset;
  while (s > 0 && /\w/.test(text[s - 1])) s--;
  while (e < text.length && /\w/.test(text[e])) e++;
  return e > s && !/^\d/.test(text.slice(s, e)) ? { text: text.slice(s, e), start: s } : undefined;
}

/** A value, input or parameter of the declaration named `name`, defined before `offset`. */
function localDefinition(d: BlockDecl | ModelDecl, name: string, offset: number): Span | undefined {
  const param = d.params.find((p) => p.name.text === name);
  if (param) return param.name.span;
  if (d.kind === 'Block') {
    const input = d.inputs.find((i) => i.text === name);
    if (input) return input.span;
  }
  let found: Span | undefined;
  for (const s of d.body as readonly Stmt[]) {
    if ((s.kind === 'Assign' || s.kind === 'Input') && s.name.text === name && s.name.span.start <= offset) found = s.name.span;
  }
  return found;
}

function scopeNames(d: BlockDecl | ModelDecl, offset: number): string[] {
  const names = [...d.params.map((p) => p.name.text), ...(d.kind === 'Block' ? d.inputs.map((i) => i.text) : [])];
  for (const s of d.body) if ((s.kind === 'Assign' || s.kind === 'Input') && s.span.end <= offset) names.push(s.name.text);
  return [...new Set(names.filter(Boolean))];
}

/**
 * The call whose parentheses are open at `offset`, from the text (so it works while the line does
 * not parse): its callee and the argument names already written.
 */
function openCall(text: string, offset: number): { callee: string; given: string[]; positional: number; open: number } | undefined {
  let depth = 0;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  for (let i = offset - 1; i >= lineStart; i--) {
    const c = text[i];
    if (c === ')') depth++;
    else if (c === '(') {
      if (depth === 0) {
        const callee = /(\w+)\s*$/.exec(text.slice(lineStart, i))?.[1];
        if (!callee) return undefined;
        const inside = text.slice(i + 1, offset);
        // Arguments before the one being typed: positional ones fill the first parameters.
        const done = splitTopLevel(inside).slice(0, -1);
        return { callee, given: [...inside.matchAll(/(\w+)\s*:/g)].map((m) => m[1]), positional: done.filter((a) => !/^\s*\w+\s*:/.test(a)).length, open: i };
      }
      depth--;
    }
  }
  return undefined;
}

/** `6, 5, pad: [1, 2]` → ['6', ' 5', ' pad: [1, 2]']: commas outside brackets and parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
