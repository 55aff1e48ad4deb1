import { compareDiagnostics, DiagnosticSink, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/source.js';
import type { Expr, ModelDecl, Program, TrainStmt } from '../syntax/ast.js';
import { Env, Evaluator, type BlockTable } from './evaluate.js';
import type { CheckedModel } from './model.js';
import { NameScope } from './scope.js';
import { closest } from './suggest.js';
import { checkTraining } from './training.js';
import { describe, type TensorRef, type Value } from './values.js';

export interface CheckOptions {
  /** Turns warnings that mean lost data (W0208: rows dropped by a stride) into errors. */
  readonly strict?: boolean;
  /** Values for model parameters, overriding their defaults: `{ classes: 10 }`. */
  readonly params?: Readonly<Record<string, number>>;
}

export interface CheckResult {
  readonly models: readonly CheckedModel[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Checks every model in a program: shapes, names, arguments and the training section. */
export function checkProgram(program: Program, blocks: BlockTable, opts: CheckOptions = {}): CheckResult {
  const sink = new DiagnosticSink();
  const models: CheckedModel[] = [];
  const seen = new Map<string, Span>();
  for (const item of program.items) {
    if (item.kind !== 'Model' || !item.name.text) continue;
    const first = seen.get(item.name.text);
    if (first) {
      sink.report({ code: 'E0108', message: `model \`${item.name.text}\` is defined twice`, span: item.name.span, notes: [{ message: 'first defined here', span: first }] });
      continue;
    }
    seen.set(item.name.text, item.name.span);
    const m = checkModel(item, blocks, sink, opts);
    if (m) models.push(m);
  }
  checkParamValues(program, sink, opts);
  if (!program.items.some((i) => i.kind === 'Model' || i.kind === 'Block')) {
    sink.report({ code: 'E0112', message: 'this file defines no model', span: { file: program.file, start: 0, end: 0 }, help: 'write `model name { input x: 3 x 32 x 32 … }`' });
  }
  return { models, diagnostics: finish(sink.items, opts) };
}

/**
 * Values given for model parameters (`--set NAME=VALUE`) must each name a parameter of some model
 * in the program; one that does not is a typo that would otherwise be silently ignored.
 */
function checkParamValues(program: Program, sink: DiagnosticSink, opts: CheckOptions): void {
  const models = program.items.filter((i): i is ModelDecl => i.kind === 'Model' && Boolean(i.name.text));
  if (!models.length) return;
  const declared = [...new Set(models.flatMap((m) => m.params.map((p) => p.name.text)))];
  for (const name of Object.keys(opts.params ?? {})) {
    if (declared.includes(name)) continue;
    const near = closest(name, declared);
    sink.report({
      code: 'E0117',
      message: `a value is given for \`${name}\` (--set ${name}=…), but no model here has a parameter \`${name}\``,
      span: models[0].name.span,
      notes: models.map((m) => ({ message: `model \`${m.name.text}\` ${m.params.length ? `has the parameter${m.params.length === 1 ? '' : 's'} ${m.params.map((p) => `\`${p.name.text}\``).join(', ')}` : 'has no parameters'}`, span: models.length > 1 ? m.name.span : undefined })),
      help: near ? `did you mean \`${near}\`? (--set ${near}=…)` : declared.length ? `set one of ${declared.map((d) => `\`${d}\``).join(', ')}` : `declare it: \`model ${models[0].name.text}(${name} = …) { … }\``,
    });
  }
}

function checkModel(decl: ModelDecl, blocks: BlockTable, sink: DiagnosticSink, opts: CheckOptions): CheckedModel | undefined {
  const ev = new Evaluator(sink);
  const env = new Env(blocks, new NameScope([]));
  for (const p of decl.params) {
    const given = opts.params?.[p.name.text];
    let value: Value;
    if (given !== undefined) value = { kind: 'num', value: given };
    else if (p.default) value = ev.defined(ev.expr(p.default, env), p.default.span, env);
    else {
      sink.report({ code: 'E0105', message: `model parameter \`${p.name.text}\` has no value`, span: p.span, help: `give it a default (\`${p.name.text} = …\`) or a value on the command line (--set ${p.name.text}=…)` });
      value = { kind: 'error' };
    }
    env.vars.set(p.name.text, { value, span: p.name.span });
  }
  const inputs: TensorRef[] = [];
  const trains: TrainStmt[] = [];
  const result = ev.runBody(decl.body, env, (s) => {
    if (s.kind === 'Train') {
      trains.push(s);
      return;
    }
    if (s.kind !== 'Input') return;
    const first = env.vars.get(s.name.text);
    if (first) {
      sink.report({ code: 'E0108', message: `\`${s.name.text}\` is already defined`, span: s.name.span, notes: [{ message: 'first defined here', span: first.span }] });
      return;
    }
    const dims = inputShape(s.shape, env, ev, sink);
    // A rejected input is still declared: later uses should not also say it is undefined.
    const value: Value = dims ? { kind: 'tensor', t: ev.addInput(s.name.text, dims, s.name.span, env.scope) } : { kind: 'error' };
    if (value.kind === 'tensor') inputs.push(value.t);
    env.vars.set(s.name.text, { value, span: s.name.span });
  });
  if (inputs.length === 0 && !decl.body.some((s) => s.kind === 'Input')) {
    sink.report({ code: 'E0115', message: `model \`${decl.name.text}\` has no input`, span: decl.name.span, help: 'declare one: `input image: 3 x 224 x 224`' });
  }
  let output: TensorRef | undefined;
  if (!result) {
    sink.report({ code: 'E0113', message: `model \`${decl.name.text}\` has no output`, span: decl.name.span, help: 'its last line should be a pipeline, or write `return <tensor>`' });
  } else {
    const v = ev.defined(result.value, result.span, env);
    if (v.kind === 'tensor') output = v.t;
    else if (v.kind !== 'error') sink.report({ code: 'E0114', message: `a model's output must be a tensor, not ${describe(v)}`, span: result.span });
  }
  if (trains.length > 1) {
    sink.report({ code: 'E0108', message: 'a model has at most one `train` section', span: trains[1].span, notes: [{ message: 'the first one', span: trains[0].span }] });
  }
  const trainEnv = new Env(blocks, env.scope, true);
  for (const [k, v] of env.vars) trainEnv.vars.set(k, v);
  const inputName = inputs.length ? ev.nodes[inputs[0].node].name : 'image';
  const training = trains[0] && checkTraining(trains[0], trainEnv, ev, { input: inputs[0]?.shape, inputName, output: output?.shape, outputSpan: output?.origin });
  if (!output || inputs.length === 0) return undefined;
  return { name: decl.name.text, span: decl.span, inputs: inputs.map((t) => t.node), nodes: ev.nodes, output: output.node, training };
}

function inputShape(e: Expr, env: Env, ev: Evaluator, sink: DiagnosticSink): number[] | undefined {
  const shape = ev.defined(ev.expr(e, env), e.span, env);
  if (shape.kind === 'error') return undefined;
  const dims = shape.kind === 'num' ? [shape.value] : shape.kind === 'size' ? [...shape.dims] : undefined;
  if (!dims || (dims.length !== 1 && dims.length !== 3)) {
    sink.report({ code: 'E0104', message: `an input is \`channels x height x width\` or a number of features, not ${describe(shape)}`, span: e.span, help: 'e.g. `input image: 3 x 32 x 32`' });
    return undefined;
  }
  if (dims.some((d) => !Number.isInteger(d) || d < 1) || dims.reduce((a, b) => a * b, 1) > 2 ** 31) {
    sink.report({ code: 'E0202', message: `input sizes must be positive whole numbers (at most 2³¹ elements), got ${dims.join(' x ')}`, span: e.span });
    return undefined;
  }
  return dims;
}

/** Sorted, without duplicates (a repeated layer reports a problem once), severities per options. */
function finish(items: readonly Diagnostic[], opts: CheckOptions): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of items) {
    const key = `${d.code}|${d.span.file}|${d.span.start}|${d.span.end}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(opts.strict && d.code === 'W0208' ? { ...d, severity: 'error' } : d);
  }
  return out.sort(compareDiagnostics);
}
