import { renameFix, type DiagnosticSink } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/source.js';
import type { TrainStmt } from '../syntax/ast.js';
import type { CheckedModel } from './model.js';
import { bindArgs } from './args.js';
import type { Env, Evaluator } from './evaluate.js';
import { closest, didYouMean } from './suggest.js';
import { describe, formatShape, shapeWords, type ArgValue, type Value } from './values.js';

/** The training section, checked and completed with defaults. Executed by the training stage. */
export interface TrainingConfig {
  readonly data?: string;
  readonly loss: 'cross_entropy' | 'mse';
  readonly optimizer: { readonly name: 'sgd' | 'adam' | 'adamw'; readonly [k: string]: number | boolean | string };
  readonly batch: number;
  readonly epochs: number;
  readonly schedule: { readonly name: 'constant' | 'step' | 'cosine'; readonly [k: string]: number | string };
  readonly warmup: number;
  readonly augment: readonly { readonly name: string; readonly [k: string]: number | string }[];
  readonly validation: number;
  readonly seed: number;
  readonly mean?: readonly number[];
  readonly std?: readonly number[];
  readonly span: Span;
}

/**
 * What a model trains with: its `train { }` section, or, without one, what the CLI and the
 * playground use (Adam, as most people start).
 */
export function trainingConfig(model: CheckedModel): TrainingConfig {
  return model.training ?? {
    loss: 'cross_entropy',
    optimizer: { name: 'adam', lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0 },
    batch: 32,
    epochs: 10,
    schedule: { name: 'constant' },
    warmup: 0,
    augment: [],
    validation: 0,
    seed: 0,
    span: model.span,
  };
}

/** Data sets cnnc knows the shape of, so the model can be checked against them. */
export const DATASETS: Record<string, { shape: readonly number[]; classes: number }> = {
  mnist: { shape: [1, 28, 28], classes: 10 },
  cifar10: { shape: [3, 32, 32], classes: 10 },
};

type Num = { min?: number; max?: number; int?: boolean; exclusiveMin?: boolean };
type Schema = Record<string, { default: number | boolean; type: 'num' | 'bool'; range?: Num }>;

const OPTIMIZERS: Record<string, Schema> = {
  sgd: {
    lr: { default: 0.01, type: 'num', range: { min: 0, exclusiveMin: true } },
    momentum: { default: 0, type: 'num', range: { min: 0, max: 1 } },
    nesterov: { default: false, type: 'bool' },
    weight_decay: { default: 0, type: 'num', range: { min: 0 } },
  },
  adam: {
    lr: { default: 0.001, type: 'num', range: { min: 0, exclusiveMin: true } },
    beta1: { default: 0.9, type: 'num', range: { min: 0, max: 1 } },
    beta2: { default: 0.999, type: 'num', range: { min: 0, max: 1 } },
    eps: { default: 1e-8, type: 'num', range: { min: 0 } },
    weight_decay: { default: 0, type: 'num', range: { min: 0 } },
  },
};
OPTIMIZERS.adamw = { ...OPTIMIZERS.adam, weight_decay: { default: 0.01, type: 'num', range: { min: 0 } } };

const SCHEDULES: Record<string, Schema> = {
  constant: {},
  step: { every: { default: 30, type: 'num', range: { min: 1, int: true } }, gamma: { default: 0.1, type: 'num', range: { min: 0, max: 1 } } },
  cosine: { min_lr: { default: 0, type: 'num', range: { min: 0 } } },
};

const AUGMENTS: Record<string, Schema> = {
  translate: { pixels: { default: 2, type: 'num', range: { min: 0, int: true } } },
  hflip: { p: { default: 0.5, type: 'num', range: { min: 0, max: 1 } } },
  intensity: { sigma: { default: 0.1, type: 'num', range: { min: 0 } } },
};

export const TRAINING_KEYS = ['data', 'loss', 'optimizer', 'batch', 'epochs', 'schedule', 'warmup', 'augment', 'validation', 'seed', 'mean', 'std'];

interface Entry {
  readonly value: Value;
  readonly span: Span;
  readonly keySpan?: Span;
}

/** Checks `train { … }` against the model's input and output shapes. */
export function checkTraining(
  stmt: TrainStmt,
  env: Env,
  ev: Evaluator,
  model: { input?: readonly number[]; inputName?: string; output?: readonly number[]; outputSpan?: Span },
): TrainingConfig {
  const sink = ev.sink;
  const entries = new Map<string, Entry>();
  for (const e of stmt.entries) {
    if (!e.key.text) continue;
    if (!TRAINING_KEYS.includes(e.key.text)) {
      const near = closest(e.key.text, TRAINING_KEYS);
      sink.report({ code: 'E0301', message: `unknown training setting \`${e.key.text}\``, span: e.key.span, help: near ? `did you mean \`${near}\`?` : `settings are: ${TRAINING_KEYS.join(', ')}`, fixes: near ? [renameFix(e.key.span, near)] : [] });
      continue;
    }
    if (entries.has(e.key.text)) {
      sink.report({ code: 'E0106', message: `\`${e.key.text}\` is set twice`, span: e.key.span, notes: [{ message: 'first set here', span: entries.get(e.key.text)!.keySpan }] });
      continue;
    }
    entries.set(e.key.text, { value: ev.expr(e.value, env), span: e.value.span, keySpan: e.key.span });
  }
  const word = (key: string, allowed: readonly string[], fallback: string): string => {
    const e = entries.get(key);
    if (!e) return fallback;
    const w = e.value.kind === 'sym' ? e.value.name : e.value.kind === 'str' ? e.value.value : undefined;
    if (w !== undefined && allowed.includes(w)) return w;
    if (e.value.kind !== 'error') {
      sink.report({ code: 'E0104', message: `\`${key}\` must be one of ${allowed.map((a) => `\`${a}\``).join(', ')}, not ${describe(e.value)}`, span: e.span, help: w ? didYouMean(w, allowed) : undefined });
    }
    return fallback;
  };
  const number = (key: string, fallback: number, range: Num): number => {
    const e = entries.get(key);
    if (!e) return fallback;
    return checkNumber(key, e.value, e.span, range, sink) ?? fallback;
  };

  const data = entries.has('data') ? word('data', Object.keys(DATASETS), '') || undefined : undefined;
  const loss = word('loss', ['cross_entropy', 'mse'], 'cross_entropy') as TrainingConfig['loss'];
  const optimizer = config('optimizer', entries.get('optimizer'), OPTIMIZERS, 'sgd', sink) as TrainingConfig['optimizer'];
  const schedule = config('schedule', entries.get('schedule'), SCHEDULES, 'constant', sink) as TrainingConfig['schedule'];
  const augEntry = entries.get('augment');
  const augment: TrainingConfig['augment'][number][] = [];
  if (augEntry) {
    const items = augEntry.value.kind === 'list' ? augEntry.value.items : [augEntry.value];
    for (const it of items) {
      const c = config('augment', { value: it, span: augEntry.span }, AUGMENTS, undefined, sink);
      if (c) augment.push(c as TrainingConfig['augment'][number]);
    }
  }
  const vector = (key: string): number[] | undefined => {
    const e = entries.get(key);
    if (!e) return undefined;
    const items = e.value.kind === 'list' ? e.value.items : [e.value];
    const nums = items.map((i) => checkNumber(key, i, e.span, key === 'std' ? { min: 0, exclusiveMin: true } : {}, sink));
    if (nums.some((n) => n === undefined)) return undefined;
    const channels = model.input?.[0];
    if (channels !== undefined && nums.length !== channels && nums.length !== 1) {
      sink.report({ code: 'E0303', message: `\`${key}\` has ${nums.length} values but the input has ${channels} channels`, span: e.span });
    }
    return nums as number[];
  };
  const cfg: TrainingConfig = {
    data,
    loss,
    optimizer,
    schedule,
    augment,
    batch: number('batch', 64, { min: 1, int: true }),
    epochs: number('epochs', 10, { min: 1, int: true }),
    warmup: number('warmup', 0, { min: 0, int: true }),
    validation: number('validation', 0, { min: 0, max: 0.9 }),
    seed: number('seed', 0, { min: 0, int: true }),
    mean: vector('mean'),
    std: vector('std'),
    span: stmt.span,
  };
  fitModel(cfg, entries, model, sink);
  return cfg;
}

function checkNumber(key: string, v: Value, span: Span, r: Num, sink: DiagnosticSink): number | undefined {
  if (v.kind === 'error') return undefined;
  if (v.kind !== 'num' || (r.int && !Number.isInteger(v.value))) {
    sink.report({ code: 'E0104', message: `\`${key}\` must be ${r.int ? 'a whole number' : 'a number'}, not ${describe(v)}`, span });
    return undefined;
  }
  const low = r.min !== undefined && (r.exclusiveMin ? v.value <= r.min : v.value < r.min);
  if (low || (r.max !== undefined && v.value > r.max)) {
    const bounds = [r.min !== undefined ? `${r.exclusiveMin ? 'above' : 'at least'} ${r.min}` : '', r.max !== undefined ? `at most ${r.max}` : ''].filter(Boolean).join(' and ');
    sink.report({ code: 'E0111', message: `\`${key}\` must be ${bounds}, got ${v.value}`, span });
    return undefined;
  }
  return v.value;
}

/** `sgd(lr: 0.1)` or a bare `sgd`: validated against a schema and completed with defaults. */
function config(key: string, e: Entry | undefined, schemas: Record<string, Schema>, fallback: string | undefined, sink: DiagnosticSink): Record<string, unknown> | undefined {
  const base = (name: string, args: readonly ArgValue[], span: Span): Record<string, unknown> | undefined => {
    const schema = schemas[name];
    if (!schema) {
      sink.report({ code: 'E0104', message: `unknown ${key} \`${name}\``, span, help: didYouMean(name, Object.keys(schemas)) ?? `choose one of: ${Object.keys(schemas).join(', ')}` });
      return undefined;
    }
    const names = Object.keys(schema);
    const bound = bindArgs(name, names.map((n) => ({ name: n, required: false })), args, span, sink);
    const out: Record<string, unknown> = { name };
    for (const n of names) {
      const b = bound.get(n);
      const s = schema[n];
      if (!b) out[n] = s.default;
      else if (s.type === 'bool') {
        if (b.value.kind === 'bool') out[n] = b.value.value;
        else if (b.value.kind !== 'error') sink.report({ code: 'E0104', message: `\`${n}\` must be true or false, not ${describe(b.value)}`, span: b.span });
      } else out[n] = checkNumber(n, b.value, b.span, s.range ?? {}, sink) ?? s.default;
    }
    return out;
  };
  if (!e) return fallback ? base(fallback, [], { file: '', start: 0, end: 0 }) : undefined;
  const v = e.value;
  if (v.kind === 'config') return base(v.name, v.args, v.span);
  if (v.kind === 'sym') return base(v.name, [], v.span);
  if (v.kind === 'str') return base(v.value, [], e.span);
  if (v.kind !== 'error') sink.report({ code: 'E0104', message: `\`${key}\` must be one of ${Object.keys(schemas).join(', ')}, not ${describe(v)}`, span: e.span });
  return fallback ? base(fallback, [], e.span) : undefined;
}

/** The loss must fit the output, and the data set must fit the input and the classes. */
function fitModel(cfg: TrainingConfig, entries: Map<string, Entry>, model: { input?: readonly number[]; inputName?: string; output?: readonly number[]; outputSpan?: Span }, sink: DiagnosticSink): void {
  const out = model.output;
  const lossSpan = entries.get('loss')?.span ?? cfg.span;
  if (out && cfg.loss === 'cross_entropy' && out.length !== 1) {
    sink.report({
      code: 'E0302',
      message: `cross-entropy needs one score per class, but the model's output is ${formatShape(out)}`,
      span: lossSpan,
      notes: model.outputSpan ? [{ message: `the output is ${shapeWords(out)}`, span: model.outputSpan }] : [],
      help: `end the model with \`-> flatten -> dense(classes)\`${entries.has('loss') ? '' : ', or choose `loss: mse` (cross-entropy is the default loss)'}`,
    });
  }
  const ds = cfg.data ? DATASETS[cfg.data] : undefined;
  if (!ds) return;
  const dataSpan = entries.get('data')!.span;
  if (out && out.length === 1 && out[0] !== ds.classes) {
    sink.report({
      code: 'E0303',
      message: `${cfg.data} has ${ds.classes} classes but the model outputs ${out[0]} ${cfg.loss === 'mse' ? 'values' : 'scores'}`,
      span: dataSpan,
      notes: model.outputSpan ? [{ message: `the output is ${shapeWords(out)}`, span: model.outputSpan }] : [],
      help: `make the last layer \`dense(${ds.classes})\``,
    });
  }
  const inp = model.input;
  if (inp && formatShape(inp) !== formatShape(ds.shape)) {
    sink.report({
      code: 'E0303',
      message: `${cfg.data} images are ${formatShape(ds.shape)} but the model's input is ${formatShape(inp)}`,
      span: dataSpan,
      help: `declare \`input ${model.inputName ?? 'image'}: ${ds.shape.join(' x ')}\` (pad inside the model if it needs a larger input)`,
    });
  }
}
