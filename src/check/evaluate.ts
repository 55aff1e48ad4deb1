import type { DiagnosticSink, Note } from '../diagnostics/diagnostic.js';
import { renameFix } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/source.js';
import type * as A from '../syntax/ast.js';
import { bindArgs, coerce } from './args.js';
import { LAYERS } from './layers/index.js';
import type { AttrValue, LayerDef, ReceptiveField, ShapeContext } from './layers/types.js';
import type { ModelNode } from './model.js';
import { binary, member, unary } from './operators.js';
import { NameScope } from './scope.js';
import { closest } from './suggest.js';
import { describe, ERROR, formatShape, shapeWords, type ArgValue, type LayerValue, type TensorRef, type Value } from './values.js';

/** The blocks visible from one file: its own and the ones it imports. */
export type BlockTable = ReadonlyMap<string, { readonly decl: A.BlockDecl; readonly module: BlockTable }>;

interface Binding {
  readonly value: Value;
  readonly span: Span;
}

/** Lexical environment of a model or block body. */
export class Env {
  readonly vars = new Map<string, Binding>();
  constructor(
    readonly module: BlockTable,
    readonly scope: NameScope,
    /** Inside `train { }` unknown calls are settings (`sgd(lr: 0.1)`), not layers. */
    readonly settings = false,
  ) {}

  lookup(name: string): Binding | undefined {
    return this.vars.get(name);
  }
}

const MAX_REPEAT = 1000;
const MAX_NODES = 100_000;

/**
 * Evaluates model and block bodies, building the layer graph and checking every shape as it
 * goes. Errors poison the value they produce (ERROR) so one mistake is reported once.
 */
export class Evaluator {
  readonly nodes: ModelNode[] = [];
  private readonly rfs = new Map<number, ReceptiveField | undefined>();
  private readonly stack: A.BlockDecl[] = [];

  constructor(readonly sink: DiagnosticSink) {}

  // ---- graph ------------------------------------------------------------------------------

  addInput(name: string, shape: readonly number[], span: Span, scope: NameScope): TensorRef {
    scope.claim(name, span);
    return this.addNode({ op: 'input', name: scope.qualified(name), inputs: [], shape, attrs: {}, weights: [], macs: 0, span, scope: scope.path, blocks: scope.blocks }, { size: [1, 1], jump: [1, 1] });
  }

  private addNode(n: Omit<ModelNode, 'id' | 'rf'>, rf: ReceptiveField | undefined): TensorRef {
    const id = this.nodes.length;
    this.nodes.push({ ...n, id, rf: shapeIsSpatial(n.shape) ? rf : undefined });
    this.rfs.set(id, shapeIsSpatial(n.shape) ? rf : undefined);
    return { node: id, shape: n.shape, origin: n.span };
  }

  // ---- statements -------------------------------------------------------------------------

  /** Runs a body; returns the value of `return` or of the last expression statement. */
  runBody(body: readonly A.Stmt[], env: Env, onOther: (s: A.Stmt) => void): { value: Value; span: Span } | undefined {
    let result: { value: Value; span: Span } | undefined;
    body.forEach((s, i) => {
      switch (s.kind) {
        case 'Assign': {
          const value = this.expr(s.value, env);
          env.vars.set(s.name.text, { value, span: s.name.span });
          return;
        }
        case 'ExprStmt': {
          const value = this.expr(s.expr, env);
          const last = body.slice(i + 1).every((t) => t.kind === 'Train' || t.kind === 'Input');
          if (last) result = { value, span: s.expr.span };
          else if (value.kind === 'tensor') {
            this.sink.report({
              severity: 'warning',
              code: 'W0401',
              message: 'this value is never used',
              span: s.expr.span,
              help: 'give it a name (`y = …`) and use it, or remove it; only the last line is the output',
            });
          }
          return;
        }
        case 'Return':
          result = { value: this.expr(s.value, env), span: s.value.span };
          return;
        default:
          onOther(s);
      }
    });
    return result;
  }

  // ---- expressions ------------------------------------------------------------------------

  expr(e: A.Expr, env: Env): Value {
    switch (e.kind) {
      case 'Number':
        return { kind: 'num', value: e.value };
      case 'Size':
        return { kind: 'size', dims: e.dims };
      case 'String':
        return { kind: 'str', value: e.value };
      case 'Bool':
        return { kind: 'bool', value: e.value };
      case 'Ident':
        return this.ident(e, env);
      case 'Tuple':
        return { kind: 'tuple', items: e.items.map((i) => this.expr(i, env)) };
      case 'List':
        return { kind: 'list', items: e.items.map((i) => this.expr(i, env)) };
      case 'Member':
        return member(this, e, env);
      case 'Unary':
        return unary(this, e, env);
      case 'Binary':
        return binary(this, e, env);
      case 'If': {
        const c = this.defined(this.expr(e.cond, env), e.cond.span);
        if (c.kind === 'error') return ERROR;
        if (c.kind !== 'bool') return this.wrongKind(`a condition must be true or false, not ${describe(c)}`, e.cond.span);
        // Only the branch taken is checked: the other may not fit these parameters, by design.
        return this.expr(c.value ? e.then : e.else, env);
      }
      case 'Call':
        return this.call(e, env, []);
      case 'Pipe':
        return this.pipe(e, env);
      case 'Missing':
        return ERROR;
    }
  }

  private ident(e: A.Ident, env: Env): Value {
    const b = env.lookup(e.name);
    if (b) return b.value;
    const block = env.module.get(e.name);
    if (block) return { kind: 'layer', layer: { kind: 'block', decl: block.decl, args: [], span: e.span } };
    const def = LAYERS.get(e.name);
    if (def) return { kind: 'layer', layer: { kind: 'builtin', def, args: [], span: e.span } };
    return { kind: 'sym', name: e.name, span: e.span };
  }

  /** A name that resolved to nothing is an error wherever a real value is needed. */
  defined(v: Value, span: Span, env?: Env): Value {
    if (v.kind !== 'sym') return v;
    const names = env ? [...env.vars.keys()] : [];
    const near = closest(v.name, names);
    const at = v.span ?? span;
    this.sink.report({ code: 'E0107', message: `\`${v.name}\` is not defined`, span: at, help: near ? `did you mean \`${near}\`?` : undefined, fixes: near && at.end - at.start === v.name.length ? [renameFix(at, near)] : [] });
    return ERROR;
  }

  /** Reports E0114 (a value of the wrong kind) and poisons the result. */
  wrongKind(message: string, span: Span, help?: string): Value {
    this.sink.report({ code: 'E0114', message, span, help });
    return ERROR;
  }

  private args(args: readonly A.Arg[], env: Env): ArgValue[] {
    return args.map((a) => ({ name: a.name?.text, nameSpan: a.name?.span, value: this.expr(a.value, env), span: a.value.span }));
  }

  /**
   * `f(args)`. A fresh layer called with tensors first applies to them (`relu(y)`, `concat(a, b)`,
   * `basic(x, 64)`); with other arguments it is configured (`conv(64, 3)`); a configured layer
   * called with tensors applies (`basic(64)(x)`). `piped` holds tensors coming from `->`.
   */
  call(e: A.CallExpr, env: Env, piped: readonly TensorRef[], alias?: A.Name, repeat = 1, indexed = false): Value {
    const callee = this.expr(e.callee, env);
    const args = this.args(e.args, env);
    if (callee.kind === 'sym') {
      if (env.settings) return { kind: 'config', name: callee.name, args, span: e.span };
      return this.unknownLayer(callee.name, callee.span, env);
    }
    if (callee.kind === 'error') return ERROR;
    if (callee.kind !== 'layer') return this.wrongKind(`${describe(callee)} cannot be called`, e.callee.span);
    const layer = callee.layer;
    if (layer.args.length === 0) {
      const lead: TensorRef[] = [];
      let i = 0;
      for (; i < args.length && args[i].name === undefined; i++) {
        const ts = tensorsOf(args[i].value);
        if (!ts) break;
        lead.push(...ts);
      }
      if (args.slice(0, i).some((a) => a.value.kind === 'error')) return ERROR;
      const configured: LayerValue = { ...layer, args: args.slice(i), span: e.span };
      const inputs = [...piped, ...lead];
      if (inputs.length === 0) {
        if (args.some((a) => a.value.kind === 'error')) return ERROR;
        return { kind: 'layer', layer: configured };
      }
      return this.applyRepeated(configured, inputs, e.span, env, alias, repeat, indexed);
    }
    // Already configured: the arguments are its input tensors.
    const inputs: TensorRef[] = [...piped];
    for (const a of args) {
      const ts = tensorsOf(a.value);
      if (a.value.kind === 'error') return ERROR;
      if (!ts || a.name) return this.wrongKind(`a configured layer takes only tensors, not ${describe(a.value)}`, a.span, 'put the layer settings in the first call: `conv(64, 3)(x)`');
      inputs.push(...ts);
    }
    return this.applyRepeated({ ...layer, span: e.span }, inputs, e.span, env, alias, repeat, indexed);
  }

  private unknownLayer(name: string, span: Span, env: Env): Value {
    const candidates = [...LAYERS.keys(), ...env.module.keys()];
    const aliases: Record<string, string> = { conv2d: 'conv', linear: 'dense', fc: 'dense', bn: 'batchnorm', batchnorm2d: 'batchnorm', pool: 'maxpool', max_pool: 'maxpool', avg_pool: 'avgpool', cat: 'concat', gap: 'globalavgpool' };
    const near = aliases[name.toLowerCase()] ?? closest(name, candidates);
    const help = near ? `did you mean \`${near}\`?` : undefined;
    // The span is the layer's name when it is a bare name or a call's callee of the same text.
    const nameSpan = { file: span.file, start: span.start, end: span.start + name.length };
    this.sink.report({ code: 'E0101', message: `unknown layer \`${name}\``, span, help, fixes: near ? [renameFix(nameSpan, near)] : [] });
    return ERROR;
  }

  private pipe(e: A.PipeExpr, env: Env): Value {
    let cur = this.defined(this.expr(e.source, env), e.source.span, env);
    for (const st of e.stages) {
      if (cur.kind === 'error') {
        this.lintStage(st, env);
        continue;
      }
      const inputs = tensorsOf(cur);
      if (!inputs) return this.wrongKind(`a pipeline carries tensors, but this is ${describe(cur)}`, e.source.span);
      cur = this.stage(st, inputs, env);
    }
    return cur;
  }

  private stage(st: A.Stage, inputs: readonly TensorRef[], env: Env): Value {
    let repeat = 1;
    if (st.repeat) {
      const r = this.defined(this.expr(st.repeat, env), st.repeat.span, env);
      if (r.kind === 'error') return ERROR;
      if (r.kind !== 'num' || !Number.isInteger(r.value) || r.value < 1 || r.value > MAX_REPEAT) {
        this.sink.report({ code: 'E0111', message: `a layer repeats a whole number of times between 1 and ${MAX_REPEAT}, not ${describe(r)}`, span: st.repeat.span });
        return ERROR;
      }
      repeat = r.value;
    }
    if (st.layer.kind === 'Call') return this.call(st.layer, env, inputs, st.alias, repeat, st.repeat !== undefined);
    const v = this.expr(st.layer, env);
    if (v.kind === 'sym') return this.unknownLayer(v.name, v.span, env);
    if (v.kind === 'error') return ERROR;
    if (v.kind !== 'layer') {
      return this.wrongKind(`a pipeline stage must be a layer, but this is ${describe(v)}`, st.layer.span, v.kind === 'tensor' ? 'to combine tensors use `+` or `concat(a, b)`' : undefined);
    }
    return this.applyRepeated({ ...v.layer, span: st.layer.span }, inputs, st.layer.span, env, st.alias, repeat, st.repeat !== undefined);
  }

  /** `indexed`: the source wrote `* n`, so `as layer1` names the copies layer1.0 … layer1.(n−1). */
  private applyRepeated(layer: LayerValue, inputs: readonly TensorRef[], site: Span, env: Env, alias: A.Name | undefined, repeat: number, indexed = repeat > 1): Value {
    let names: (string | undefined)[] = Array.from({ length: repeat }, () => undefined);
    if (alias) {
      if (!/^[A-Za-z_]\w*(\.\w+)*$/.test(alias.text)) {
        this.sink.report({ code: 'E0111', message: `\`${alias.text}\` is not a layer name`, span: alias.span, help: 'use letters, digits and _, with dots between parts: "downsample.0"' });
      } else {
        const clash = env.scope.claim(alias.text, alias.span);
        if (clash) {
          this.sink.report({ code: 'E0108', message: `the name \`${alias.text}\` is already used in this scope`, span: alias.span, notes: clash.first ? [{ message: 'first used here', span: clash.first }] : [] });
        }
      }
      names = !indexed ? [alias.text] : names.map((_, i) => `${alias.text}.${i}`);
    }
    let cur: readonly TensorRef[] = inputs;
    let out: Value = ERROR;
    for (let i = 0; i < repeat; i++) {
      out = this.apply(layer, cur, site, env, names[i]);
      if (out.kind !== 'tensor') return out;
      cur = [out.t];
    }
    return out;
  }

  apply(layer: LayerValue, inputs: readonly TensorRef[], site: Span, env: Env, name?: string): Value {
    if (this.nodes.length > MAX_NODES) {
      this.sink.report({ code: 'E0111', message: `the model has more than ${MAX_NODES} layers`, span: site });
      return ERROR;
    }
    if (layer.kind === 'builtin') return this.applyBuiltin(layer.def, layer.args, inputs, site, env.scope, name);
    return this.applyBlock(layer, inputs, site, env, name);
  }

  applyBuiltin(def: LayerDef, args: readonly ArgValue[], inputs: readonly TensorRef[], site: Span, scope: NameScope, name?: string): Value {
    if (def.arity === 1 && inputs.length !== 1) {
      return this.wrongKind(`\`${def.name}\` takes one tensor, got ${inputs.length}`, site, inputs.length > 1 ? 'combine them first with `+` or `concat`' : undefined);
    }
    if (def.arity === 'many' && inputs.length < 2) {
      return this.wrongKind(`\`${def.name}\` combines two or more tensors, got ${inputs.length}`, site, 'feed it a tuple: `(a, b) -> ' + def.name + '`');
    }
    const cfg = this.configure(def, args, site);
    if (!cfg) return ERROR;
    const { attrs, bound } = cfg;
    const sink = this.sink;
    const layerName = def.name;
    const ctx: ShapeContext = {
      layer: layerName,
      inputs: inputs.map((t) => ({ shape: t.shape, origin: t.origin, rf: this.rfs.get(t.node) })),
      attrs,
      site,
      given: (n) => bound.has(n),
      argSpan: (n) => bound.get(n)?.span ?? site,
      error: (code, message, o = {}) => sink.report({ code, message, span: o.span ?? site, notes: o.notes, help: o.help, fixes: o.fixes }),
      warn: (code, message, o = {}) => sink.report({ severity: 'warning', code, message, span: o.span ?? site, notes: o.notes, help: o.help, fixes: o.fixes }),
      inputNote: (i, label) => shapeNote(inputs[i], label ?? 'the input', this.nodes),
    };
    const r = def.infer(ctx);
    if (!r) return ERROR;
    if (r.shape.some((d) => !(d > 0) || !Number.isFinite(d)) || r.shape.reduce((p, d) => p * d, 1) > 2 ** 31) {
      this.sink.report({ code: 'E0202', message: `\`${def.name}\` gives the unusable shape ${formatShape(r.shape)} (sizes must be positive, at most 2³¹ elements)`, span: site });
      return ERROR;
    }
    const local = name ?? scope.fresh(def.prefix);
    const t = this.addNode(
      { op: def.name, name: scope.qualified(local), inputs: inputs.map((i) => i.node), shape: r.shape, attrs: r.attrs ?? attrs, weights: r.weights ?? [], macs: r.macs ?? 0, span: site, scope: scope.path, blocks: scope.blocks },
      r.rf,
    );
    return { kind: 'tensor', t };
  }

  /** Binds and type-checks a built-in layer's arguments, filling in defaults. */
  private configure(def: LayerDef, args: readonly ArgValue[], site: Span): { attrs: Record<string, AttrValue>; bound: Map<string, { span: Span }> } | undefined {
    const bound = bindArgs(def.name, def.params.map((p) => ({ name: p.name, required: p.default === undefined })), args, site, this.sink);
    const attrs: Record<string, AttrValue> = {};
    let ok = true;
    for (const p of def.params) {
      const b = bound.get(p.name);
      if (!b) {
        if (p.default === undefined) ok = false;
        continue;
      }
      if (b.value.kind === 'sym' && !['enum', 'padding'].includes(p.type.kind)) {
        this.defined(b.value, b.span);
        ok = false;
        continue;
      }
      const v = coerce(p, b, def.name, this.sink);
      if (v === undefined) ok = false;
      else attrs[p.name] = v;
    }
    if (!ok) return undefined;
    for (const p of def.params) {
      if (attrs[p.name] === undefined && p.default !== undefined) attrs[p.name] = typeof p.default === 'function' ? p.default(attrs) : p.default;
    }
    return { attrs, bound };
  }

  /**
   * After an error upstream there is no shape to check against, but a stage's name and arguments
   * can still be wrong: check those, so one mistake does not hide the next.
   */
  private lintStage(st: A.Stage, env: Env): void {
    const v = this.expr(st.layer, env);
    if (v.kind === 'sym') this.unknownLayer(v.name, v.span, env);
    if (v.kind !== 'layer') return;
    const l = v.layer;
    if (l.kind === 'builtin') this.configure(l.def, l.args, st.layer.span);
    else bindArgs(l.decl.name.text, l.decl.params.map((p) => ({ name: p.name.text, required: !p.default })), l.args, st.layer.span, this.sink);
  }

  private applyBlock(layer: Extract<LayerValue, { kind: 'block' }>, inputs: readonly TensorRef[], site: Span, env: Env, name?: string): Value {
    const decl = layer.decl;
    const entry = env.module.get(decl.name.text);
    const module = entry?.decl === decl ? entry.module : env.module;
    if (this.stack.includes(decl)) {
      const cycle = [...this.stack.slice(this.stack.indexOf(decl)), decl].map((d) => d.name.text).join(' → ');
      this.sink.report({ code: 'E0109', message: `block \`${decl.name.text}\` uses itself (${cycle})`, span: site, notes: [{ message: 'the block is defined here', span: decl.name.span }], help: 'blocks cannot be recursive; repeat a layer with `* n` instead' });
      return ERROR;
    }
    if (inputs.length !== decl.inputs.length) {
      return this.wrongKind(`block \`${decl.name.text}\` takes ${decl.inputs.length} tensor${decl.inputs.length === 1 ? '' : 's'}, got ${inputs.length}`, site);
    }
    for (const a of layer.args) a.value.kind === 'sym' || this.defined(a.value, a.span);
    const bound = bindArgs(decl.name.text, decl.params.map((p) => ({ name: p.name.text, required: !p.default })), layer.args, site, this.sink);
    const local = name ?? env.scope.fresh(decl.name.text);
    const inner = new Env(module, env.scope.child(local, decl.name.text));
    for (const p of decl.params) {
      const b = bound.get(p.name.text);
      let value: Value;
      // Bare words pass through (`b(mode: ceil)`); they are checked where they are used.
      if (b) value = b.value;
      else if (p.default) value = this.expr(p.default, inner);
      else value = ERROR;
      inner.vars.set(p.name.text, { value, span: p.name.span });
    }
    decl.inputs.forEach((n, i) => inner.vars.set(n.text, { value: { kind: 'tensor', t: inputs[i] }, span: n.span }));
    this.stack.push(decl);
    try {
      const note = { message: `in block \`${decl.name.text}\`, used here`, span: site };
      const result = this.sink.within(note, () => this.runBody(decl.body, inner, (s) => this.misplaced(s, 'block')));
      if (!result) {
        this.sink.report({ code: 'E0113', message: `block \`${decl.name.text}\` has no output`, span: decl.name.span, help: 'end the block with `return <tensor>`' });
        return ERROR;
      }
      const v = this.defined(result.value, result.span, inner);
      if (v.kind === 'error' || v.kind === 'tensor') return v;
      return this.wrongKind(`block \`${decl.name.text}\` must return a tensor, not ${describe(v)}`, result.span);
    } finally {
      this.stack.pop();
    }
  }

  misplaced(s: A.Stmt, where: 'block' | 'model'): void {
    if (s.kind === 'Input' && where === 'block') {
      this.wrongKind('`input` belongs in a model; a block receives its tensors in its second parameter list', s.span, 'write `block name(params)(x) { … }`');
    } else if (s.kind === 'Train' && where === 'block') {
      this.wrongKind('a `train` section belongs in a model', s.span);
    }
  }
}

function tensorsOf(v: Value): TensorRef[] | undefined {
  if (v.kind === 'tensor') return [v.t];
  if (v.kind === 'tuple' && v.items.length > 0 && v.items.every((i) => i.kind === 'tensor')) {
    return v.items.map((i) => (i as { t: TensorRef }).t);
  }
  return undefined;
}

function shapeIsSpatial(shape: readonly number[]): boolean {
  return shape.length === 3;
}

function shapeNote(t: TensorRef, label: string, nodes: readonly ModelNode[]): Note {
  const n = nodes[t.node];
  const from = n ? (n.op === 'input' ? `the input \`${n.name}\`` : `\`${n.op}\``) : 'here';
  return { message: `${label} is ${shapeWords(t.shape)}, from ${from}`, span: t.origin };
}
