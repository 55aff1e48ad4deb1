import { readFileSync } from 'node:fs';
import type { BlockTable } from '../check/evaluate.js';
import { LAYERS } from '../check/layers/index.js';
import type { AttrValue, LayerDef } from '../check/layers/types.js';
import type { CheckedModel } from '../check/model.js';
import { positionOf, type SourceFile } from '../diagnostics/source.js';
import type * as A from '../syntax/ast.js';

/**
 * A checked model as PyTorch source (`model.py`): one class per block and per model, named after
 * them, whose constructor takes the .cnn parameters (defaults kept) and whose forward() is the
 * .cnn body line for line — pipelines, `if`, `* n`, `as` names, shape queries — over a small
 * runtime (src/export/pytorch-runtime.py, copied in) that builds the layers on a zero image and
 * names them with cnnc's counters, so `state_dict()` keys are exactly cnnc's weight names. Each
 * layer kind's semantics (padding, ceil-mode windows, count_pad, min and L2 pooling …) live in
 * the runtime's BUILD table; each statement carries its source line.
 */

export interface PyTorchExport {
  /** The Python class name of the model. */
  readonly className: string;
  readonly source: string;
}

export interface FrontEndPart {
  readonly programs: readonly A.Program[];
  readonly blocks: ReadonlyMap<string, BlockTable>;
  readonly sources: ReadonlyMap<string, SourceFile>;
}

type BlockEntry = { readonly decl: A.BlockDecl; readonly module: BlockTable };

export function exportPyTorch(model: CheckedModel, front: FrontEndPart, params: Readonly<Record<string, number>> = {}): PyTorchExport {
  const decl = front.programs.flatMap((p) => p.items).find((i): i is A.ModelDecl => i.kind === 'Model' && i.span.file === model.span.file && i.span.start === model.span.start);
  if (!decl) throw new Error(`internal: no declaration for model ${model.name}`);
  const table = front.blocks.get(model.span.file) ?? new Map();
  const w = new Writer(front.sources);
  const blocks = reachableBlocks(decl.body, table, paramNames(decl.params));
  for (const b of blocks) w.nameBlock(b.decl);
  const className = w.className(decl.name.text, true);
  const classes = blocks.map((b) => w.blockClass(b));
  const modelClass = w.modelClass(decl, table, className, params);
  const runtime = readFileSync(new URL('./pytorch-runtime.py', import.meta.url), 'utf8');
  const file = model.span.file.split('/').pop();
  const source = `"""${model.name}, exported by cnnc from ${file}; needs only torch.

    model = build_model()                       # ${decl.params.length ? `or build_model(${decl.params.map((p) => `${p.name.text}=…`).join(', ')})` : 'the .cnn model'}
    model = build_model('model.safetensors')    # with cnnc's weights, loaded by name

One class per block and model, named after them, with the .cnn parameters as constructor
arguments; forward() is the .cnn body, line for line. state_dict() keys are cnnc's weight names, so
cnnc's safetensors load by name (num_batches_tracked, which cnnc does not keep, aside).
"""
${runtime.trim()}


# ---------------------------------------------------------------- the layers this model uses

${w.layerFactories()}


# ---------------------------------------------------------------- blocks and the model

${[...classes, modelClass].join('\n\n\n')}


def build_model(weights=None, **params):
    """${className}(**params), with PyTorch's initialisation or, given a path, the weights of a cnnc safetensors file."""
    model = ${className}(**params)
    if weights is not None:
        state = {k: v for k, v in load_safetensors(weights).items() if not k.startswith('optimizer.')}
        missing, unexpected = model.load_state_dict(state, strict=False)
        missing = [k for k in missing if not k.endswith('num_batches_tracked')]
        if missing or unexpected:
            raise KeyError(f'{weights} does not fit ${className}: missing {missing}, unexpected {unexpected}')
    return model
`;
  return { className, source };
}

/** The blocks a body uses, directly or through other blocks, each once, callees first. */
function reachableBlocks(body: readonly A.Stmt[], table: BlockTable, locals: Set<string>): BlockEntry[] {
  const out: BlockEntry[] = [];
  const seen = new Set<A.BlockDecl>();
  const visit = (stmts: readonly A.Stmt[], t: BlockTable, scope: Set<string>) => {
    const names = new Set(scope);
    const walk = (e: A.Expr | undefined): void => {
      if (!e) return;
      switch (e.kind) {
        case 'Ident': {
          const b = names.has(e.name) ? undefined : t.get(e.name);
          if (b && !seen.has(b.decl)) {
            seen.add(b.decl);
            visit(b.decl.body, b.module, new Set([...paramNames(b.decl.params), ...b.decl.inputs.map((i) => i.text)]));
            b.decl.params.forEach((p) => walk(p.default));
            out.push(b);
          }
          return;
        }
        case 'Tuple': case 'List': e.items.forEach(walk); return;
        case 'Call': walk(e.callee); e.args.forEach((a) => walk(a.value)); return;
        case 'Member': walk(e.object); return;
        case 'Unary': walk(e.operand); return;
        case 'Binary': walk(e.left); walk(e.right); return;
        case 'If': walk(e.cond); walk(e.then); walk(e.else); return;
        case 'Pipe': walk(e.source); e.stages.forEach((s) => { walk(s.layer); walk(s.repeat); }); return;
        default: return;
      }
    };
    for (const s of stmts) {
      if (s.kind === 'Assign') { walk(s.value); names.add(s.name.text); }
      else if (s.kind === 'ExprStmt') walk(s.expr);
      else if (s.kind === 'Return') walk(s.value);
      else if (s.kind === 'Input') names.add(s.name.text);
    }
  };
  visit(body, table, locals);
  return out;
}

function paramNames(params: readonly A.Param[]): Set<string> {
  return new Set(params.map((p) => p.name.text));
}

const PYTHON_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except',
  'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try',
  'while', 'with', 'yield',
]);

/** Python's keywords and the names model.py defines: a .cnn local equal to one gets a trailing _. */
const RESERVED = new Set([
  ...PYTHON_KEYWORDS, 'self', 'torch', 'nn', 'F', 'Spec', 'Stage', 'Body', 'Names', 'Shape', 'BUILD', 'shape', 'size', 'example',
  'layer', 'block', 'build_model', 'load_safetensors', 'super', 'print', 'len', 'range', 'sum', 'tuple', 'list', 'dict', 'float', 'int',
]);

/** Scope of one body being translated: what each name means there. */
interface Scope {
  readonly table: BlockTable;
  readonly locals: Set<string>;
}

class Writer {
  private readonly blockNames = new Map<A.BlockDecl, { cls: string; factory: string }>();
  private readonly takenClasses = new Set(['Spec', 'Stage', 'Body', 'Names', 'Shape']);
  private readonly usedLayers = new Set<string>(['add']);

  constructor(private readonly sources: ReadonlyMap<string, SourceFile>) {}

  className(name: string, isModel = false): string {
    const camel = name.split(/[^A-Za-z0-9]+/).filter(Boolean).map((p) => p[0].toUpperCase() + p.slice(1)).join('') || 'Model';
    let base = /^\d/.test(camel) ? `M${camel}` : camel;
    if (isModel && this.takenClasses.has(base)) base = `${base}Model`;
    let cls = base;
    for (let i = 2; this.takenClasses.has(cls); i++) cls = `${base}${i}`;
    this.takenClasses.add(cls);
    return cls;
  }

  nameBlock(decl: A.BlockDecl): void {
    const taken = new Set([...this.blockNames.values()].map((b) => b.factory));
    let factory = py(decl.name.text);
    for (let i = 2; taken.has(factory); i++) factory = `${py(decl.name.text)}${i}`;
    this.blockNames.set(decl, { cls: this.className(decl.name.text), factory });
  }

  blockClass(b: BlockEntry): string {
    const { decl, module } = b;
    const names = this.blockNames.get(decl)!;
    const inputs = decl.inputs.map((i) => py(i.text));
    const scope: Scope = { table: module, locals: new Set([...decl.inputs.map((i) => i.text), ...decl.params.map((p) => p.name.text)]) };
    const { signature, setup } = this.parameters(decl.params, scope);
    const doc = this.doc(decl.span, `block ${decl.name.text}(${decl.params.map((p) => this.paramText(p)).join(', ')})(${decl.inputs.map((i) => i.text).join(', ')})`);
    const own = decl.params.map((p) => py(p.name.text));
    const lines = [
      `class ${names.cls}(Body):`,
      `    """${doc}"""`,
      '',
      `    def __init__(self, ${[...inputs, ...signature].join(', ')}):`,
      `        """${inputs.join(', ')}: example input${inputs.length === 1 ? '' : 's'} (any batch), for the layers' sizes."""`,
      '        super().__init__()',
      ...setup,
      ...keep(own),
      `        self.build(${inputs.join(', ')})`,
      '',
      `    def forward(self, ${inputs.join(', ')}):`,
      ...unpack(own),
      '        self.begin()',
      ...this.body(decl.body, scope),
    ];
    const factoryArgs = signature.join(', ');
    return `${lines.join('\n')}\n\n\n@block(${names.cls}, '${decl.name.text}')\ndef ${names.factory}(${factoryArgs}):\n    """${decl.name.text}(…) in a pipeline: a ${names.cls}, made when it is applied."""`;
  }

  modelClass(decl: A.ModelDecl, table: BlockTable, cls: string, given: Readonly<Record<string, number>>): string {
    const inputs = decl.body.filter((s): s is A.InputStmt => s.kind === 'Input');
    const scope: Scope = { table, locals: new Set([...inputs.map((i) => i.name.text), ...decl.params.map((p) => p.name.text)]) };
    const { signature, setup } = this.parameters(decl.params, scope, given);
    const own = decl.params.map((p) => py(p.name.text));
    const paramScope: Scope = { table, locals: new Set(decl.params.map((p) => p.name.text)) };
    const examples = inputs.map((i) => `example(${this.sizeArgs(i.shape, paramScope)})`);
    const doc = this.doc(decl.span, `model ${decl.name.text}(${decl.params.map((p) => this.paramText(p)).join(', ')})`);
    const setSome = Object.keys(given).filter((k) => decl.params.some((p) => p.name.text === k));
    return [
      `class ${cls}(Body):`,
      `    """${doc}${setSome.length ? `\n\n    Defaults of ${setSome.join(', ')} are the values given to cnnc (--set).` : ''}"""`,
      '',
      `    def __init__(self${signature.length ? `, ${signature.join(', ')}` : ''}):`,
      '        super().__init__()',
      ...setup,
      ...keep(own),
      `        self.build(${examples.join(', ')})`,
      '',
      `    def forward(self, ${inputs.map((i) => py(i.name.text)).join(', ')}):`,
      ...unpack(own),
      `        self.begin(${inputs.map((i) => `'${i.name.text}'`).join(', ')})`,
      ...this.body(decl.body, scope),
    ].join('\n');
  }

  /**
   * Python parameters with their defaults: literals as they are, others computed in __init__ from
   * the earlier ones. A name that is a Python keyword gets a trailing _ everywhere; one that would
   * hide a name model.py uses is renamed inside the class only.
   */
  private parameters(params: readonly A.Param[], scope: Scope, given: Readonly<Record<string, number>> = {}): { signature: string[]; setup: string[] } {
    const signature: string[] = [];
    const setup: string[] = [];
    const seen: Scope = { table: scope.table, locals: new Set() };
    for (const p of params) {
      const name = pub(p.name.text);
      const local = py(p.name.text);
      const v = given[p.name.text];
      const computed = v === undefined && p.default && !isLiteral(p.default, seen);
      if (v !== undefined) signature.push(`${name}=${number(v)}`);
      else if (!p.default) signature.push(name);
      else if (!computed) signature.push(`${name}=${this.expr(p.default, seen)}`);
      else signature.push(`${name}=None`);
      if (local !== name) setup.push(`        ${local} = ${name}`);
      if (computed) setup.push(`        if ${local} is None:`, `            ${local} = ${this.expr(p.default!, seen)}`);
      seen.locals.add(p.name.text);
    }
    return { signature, setup };
  }

  private body(stmts: readonly A.Stmt[], scope: Scope): string[] {
    const out: string[] = [];
    stmts.forEach((s, i) => {
      const at = this.where(s.span);
      switch (s.kind) {
        case 'Assign':
          out.push(...this.statement(`${py(s.name.text)} = `, s.value, scope, at));
          scope.locals.add(s.name.text);
          return;
        case 'ExprStmt': {
          const last = stmts.slice(i + 1).every((t) => t.kind === 'Train' || t.kind === 'Input');
          out.push(...this.statement(last ? 'return ' : '', s.expr, scope, at));
          return;
        }
        case 'Return':
          out.push(...this.statement('return ', s.value, scope, at));
          return;
        default:
          return;
      }
    });
    return out;
  }

  /** One statement; a pipeline gets a line per stage, each with its source line. */
  private statement(lead: string, e: A.Expr, scope: Scope, at: string): string[] {
    if (e.kind !== 'Pipe') return [`        ${lead}${this.expr(e, scope)}  # ${at}`];
    return [
      `        ${lead}self.pipe(  # ${at}`,
      `            ${this.expr(e.source, scope)},`,
      ...e.stages.map((st) => `            ${this.stage(st, scope)},  # ${this.where(st.span)}`),
      '        )',
    ];
  }

  private stage(st: A.Stage, scope: Scope): string {
    let s = st.layer.kind === 'Call' && this.factoryOf(st.layer.callee, scope) ? this.factoryCall(st.layer, scope) : this.expr(st.layer, scope);
    // A bare layer name (`-> batchnorm as bn1`) is called to be named or repeated.
    if ((st.repeat || st.alias) && st.layer.kind === 'Ident' && this.factoryOf(st.layer, scope)) s += '()';
    if (st.repeat) s += `.times(${this.expr(st.repeat, scope)})`;
    if (st.alias) s += `.named('${st.alias.text}')`;
    return s;
  }

  /** The Python factory an identifier names (a block or a built-in layer), unless a local value hides it. */
  private factoryOf(e: A.Expr, scope: Scope): string | undefined {
    if (e.kind !== 'Ident' || scope.locals.has(e.name)) return undefined;
    const b = scope.table.get(e.name);
    if (b) return this.blockNames.get(b.decl)!.factory;
    if (LAYERS.has(e.name)) {
      this.usedLayers.add(e.name);
      return e.name;
    }
    return undefined;
  }

  private factoryCall(e: A.CallExpr, scope: Scope): string {
    return `${this.factoryOf(e.callee, scope)}(${this.args(e.args, scope)})`;
  }

  private args(args: readonly A.Arg[], scope: Scope): string {
    return args.map((a) => (a.name ? `${pub(a.name.text)}=${this.expr(a.value, scope)}` : this.expr(a.value, scope))).join(', ');
  }

  expr(e: A.Expr, scope: Scope): string {
    switch (e.kind) {
      case 'Number': return number(e.value);
      case 'Size': return `(${e.dims.map(number).join(', ')})`;
      case 'String': return JSON.stringify(e.value);
      case 'Bool': return e.value ? 'True' : 'False';
      case 'Ident':
        if (scope.locals.has(e.name)) return py(e.name);
        return this.factoryOf(e, scope) ?? `'${e.name}'`;
      case 'Tuple': return `(${e.items.map((i) => this.expr(i, scope)).join(', ')}${e.items.length === 1 ? ',' : ''})`;
      case 'List': return `[${e.items.map((i) => this.expr(i, scope)).join(', ')}]`;
      case 'Call':
        return this.factoryOf(e.callee, scope) ? `self.call(${this.factoryCall(e, scope)})` : `self.call(${[this.expr(e.callee, scope), this.args(e.args, scope)].filter(Boolean).join(', ')})`;
      case 'Member': return `shape(${this.expr(e.object, scope)}).${e.member.text}`;
      case 'Unary': return e.op === 'not' ? `(not ${this.expr(e.operand, scope)})` : `(-${this.expr(e.operand, scope)})`;
      case 'Binary': {
        const l = this.expr(e.left, scope);
        const r = this.expr(e.right, scope);
        if (e.op === 'x') return `size(${l}, ${r})`;
        if (e.op === '+' && !(isNumeric(e.left, scope) && isNumeric(e.right, scope))) return `self.plus(${l}, ${r})`;
        return `(${l} ${e.op} ${r})`;
      }
      case 'If': return `(${this.expr(e.then, scope)} if ${this.expr(e.cond, scope)} else ${this.expr(e.else, scope)})`;
      case 'Pipe': return `self.pipe(${[this.expr(e.source, scope), ...e.stages.map((s) => this.stage(s, scope))].join(', ')})`;
      case 'Missing': throw new Error('internal: exporting a model with syntax errors');
    }
  }

  /** An input's shape as example()'s arguments: `3 x 224 x 224` → 3, 224, 224. */
  private sizeArgs(e: A.Expr, scope: Scope): string {
    if (e.kind === 'Size') return e.dims.map(number).join(', ');
    if (e.kind === 'Binary' && e.op === 'x') return `${this.sizeArgs(e.left, scope)}, ${this.sizeArgs(e.right, scope)}`;
    return this.expr(e, scope);
  }

  /** One factory per built-in layer the model uses: the .cnn signature with cnnc's defaults. */
  layerFactories(): string {
    return [...LAYERS.values()].filter((d) => this.usedLayers.has(d.name)).map(factory).join('\n\n\n');
  }

  /** The comment lines just above a declaration, and its signature. */
  private doc(span: A.ModelDecl['span'], signature: string): string {
    const src = this.sources.get(span.file);
    const lines: string[] = [];
    if (src) {
      const before = src.text.slice(0, span.start).split('\n');
      before.pop();
      while (before.length && /^\s*#/.test(before[before.length - 1])) lines.unshift(before.pop()!.replace(/^\s*#\s?/, ''));
    }
    const text = [signature, ...(lines.length ? ['', ...lines] : [])].join('\n    ').replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"');
    return text;
  }

  private paramText(p: A.Param): string {
    const src = p.default && this.sources.get(p.default.span.file);
    return p.name.text + (p.default ? ` = ${src ? src.text.slice(p.default.span.start, p.default.span.end) : '…'}` : '');
  }

  private where(span: A.Stmt['span']): string {
    const src = this.sources.get(span.file);
    return `${span.file.split('/').pop()}:${src ? positionOf(src, span.start).line : '?'}`;
  }
}

/** `@layer('conv', 'conv') def conv(out, kernel, stride=1, …)`: the .cnn signature, cnnc's defaults. */
function factory(d: LayerDef): string {
  const params = d.params.map((p) => (p.default === undefined ? p.name : `${p.name}=${typeof p.default === 'function' ? 'None' : pyValue(p.default)}`));
  const extra = d.arity === 'many' ? ['*inputs'] : [];
  return `@layer('${d.name}', '${d.prefix}')\ndef ${d.name}(${[...extra, ...params].join(', ')}):\n    """${d.summary.replace(/"/g, '\\"')}"""`;
}

function pyValue(v: AttrValue): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return number(v);
  if (typeof v === 'string') return `'${v}'`;
  return v[0] === v[1] ? number(v[0]) : `(${v.map(number).join(', ')})`;
}

/** A number as Python reads it back: integers as ints, others in the shortest round-trip form. */
function number(n: number): string {
  return String(n);
}

/**
 * `self._args = (c, stride)` in __init__, and `c, stride = self._args` at the start of forward():
 * one attribute, so no parameter can clash with a layer of the same name (fire's `squeeze`).
 */
function keep(names: readonly string[]): string[] {
  return names.length ? [`        self._args = (${names.join(', ')}${names.length === 1 ? ',' : ''})`] : [];
}

function unpack(names: readonly string[]): string[] {
  return names.length ? [`        ${names.join(', ')}${names.length === 1 ? ',' : ''} = self._args`] : [];
}

/** A .cnn name as a Python local: with a trailing _ when it is a keyword or a name model.py uses. */
function py(name: string): string {
  return RESERVED.has(name) ? `${name}_` : name;
}

/** A .cnn parameter name as a Python argument name (keywords only renamed, so `size=` stays `size=`). */
function pub(name: string): string {
  return PYTHON_KEYWORDS.has(name) ? `${name}_` : name;
}

/** A default that can stand in a Python signature: numbers, sizes, booleans, strings and bare words. */
function isLiteral(e: A.Expr, scope: Scope): boolean {
  if (e.kind === 'Number' || e.kind === 'Size' || e.kind === 'Bool' || e.kind === 'String') return true;
  if (e.kind === 'Unary' && e.op === '-' && e.operand.kind === 'Number') return true;
  return e.kind === 'Ident' && !scope.locals.has(e.name) && !scope.table.has(e.name);
}

/** Whether an expression is a number for sure (so `+` is arithmetic, not a residual add). */
function isNumeric(e: A.Expr, scope: Scope): boolean {
  switch (e.kind) {
    case 'Number': return true;
    case 'Member': return true;
    case 'Unary': return isNumeric(e.operand, scope);
    case 'Binary': return e.op !== 'x' && isNumeric(e.left, scope) && isNumeric(e.right, scope);
    default: return false;
  }
}
