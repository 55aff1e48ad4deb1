import type { Span } from '../diagnostics/source.js';
import { renameFix, type DiagnosticSink } from '../diagnostics/diagnostic.js';
import type { ArgType, AttrValue, ParamSpec } from './layers/types.js';
import { closest, didYouMean } from './suggest.js';
import { describe, type ArgValue, type Value } from './values.js';

export interface BoundArg {
  readonly value: Value;
  readonly span: Span;
  /** The `name:` part when the argument was named, else the value. */
  readonly nameSpan: Span;
}

/** What other frameworks call our parameters: "did you mean `pad`?" for `padding`. */
const PARAM_ALIASES: Record<string, string> = {
  padding: 'pad', kernel_size: 'kernel', size: 'kernel', out_channels: 'out', out_features: 'out', units: 'out', filters: 'out',
  channels: 'out', strides: 'stride', dilation_rate: 'dilation', ceil_mode: 'round', count_include_pad: 'count_pad',
  padding_mode: 'pad_mode', negative_slope: 'alpha', use_bias: 'bias', rate: 'p',
};

/**
 * Matches call arguments to parameter names, Python style: positionals first, then `name: value`.
 * Reports unknown, duplicate, surplus and missing arguments; returns what could be bound.
 */
export function bindArgs(
  what: string,
  params: readonly { name: string; required: boolean }[],
  args: readonly ArgValue[],
  site: Span,
  sink: DiagnosticSink,
): Map<string, BoundArg> {
  const bound = new Map<string, BoundArg>();
  let position = 0;
  let sawNamed = false;
  let misordered = false;
  for (const a of args) {
    if (a.name === undefined) {
      if (sawNamed) {
        misordered = true;
        sink.report({ code: 'E0103', message: `positional argument after a named one in \`${what}\``, span: a.span, help: 'put positional arguments first' });
        continue;
      }
      const p = params[position++];
      if (!p) {
        const names = params.map((q) => q.name).join(', ');
        const given = args.filter((x) => x.name === undefined).length;
        sink.report({
          code: 'E0103',
          message: params.length
            ? `\`${what}\` takes at most ${params.length} argument${params.length === 1 ? '' : 's'}, got ${given}`
            : `\`${what}\` takes no arguments, got ${given}`,
          span: a.span,
          help: params.length ? `its parameters are: ${names}` : undefined,
        });
        break;
      }
      bound.set(p.name, { value: a.value, span: a.span, nameSpan: a.span });
      continue;
    }
    sawNamed = true;
    const p = params.find((q) => q.name === a.name);
    const nameSpan = a.nameSpan ?? a.span;
    if (!p) {
      const alias = PARAM_ALIASES[a.name];
      const near = (alias && params.some((q) => q.name === alias) ? alias : undefined) ?? closest(a.name, params.map((q) => q.name));
      sink.report({
        code: 'E0102',
        message: `\`${what}\` has no parameter \`${a.name}\``,
        span: nameSpan,
        help: near ? `did you mean \`${near}\`?` : params.length ? `its parameters are: ${params.map((q) => q.name).join(', ')}` : undefined,
        fixes: near && nameSpan.end - nameSpan.start === a.name.length ? [renameFix(nameSpan, near)] : [],
      });
      continue;
    }
    if (bound.has(p.name)) {
      sink.report({ code: 'E0106', message: `\`${p.name}\` is given twice`, span: nameSpan, notes: [{ message: 'first given here', span: bound.get(p.name)!.nameSpan }] });
      continue;
    }
    bound.set(p.name, { value: a.value, span: a.span, nameSpan });
  }
  const missing = params.filter((p) => p.required && !bound.has(p.name)).map((p) => `\`${p.name}\``);
  // After misordered arguments a "missing" one is usually the misplaced one: say it once.
  if (missing.length && !misordered) {
    sink.report({ code: 'E0105', message: `\`${what}\` needs ${missing.join(' and ')}`, span: site });
  }
  return bound;
}

function typeWord(t: ArgType): string {
  switch (t.kind) {
    case 'int':
      return t.min !== undefined && t.min > 0 ? 'a positive whole number' : 'a whole number';
    case 'float':
      return 'a number';
    case 'bool':
      return '`true` or `false`';
    case 'pair':
      return 'a number or a size like `3x5`';
    case 'padding':
      return 'a number, a size like `1x2`, `same` or `valid`';
    case 'enum':
      return t.values.map((v) => `\`${v}\``).join(', ');
  }
}

/** Reads a value as the type a parameter wants; reports and returns undefined if it cannot. */
export function coerce(p: ParamSpec, arg: BoundArg, what: string, sink: DiagnosticSink): AttrValue | undefined {
  const v = arg.value;
  if (v.kind === 'error') return undefined;
  const t = p.type;
  const bad = (extra?: string): undefined => {
    sink.report({
      code: 'E0104',
      message: `\`${p.name}\` of \`${what}\` must be ${typeWord(t)}, not ${describe(v)}`,
      span: arg.span,
      help: extra,
    });
    return undefined;
  };
  const range = (msg: string): undefined => {
    sink.report({ code: 'E0111', message: `\`${p.name}\` of \`${what}\` ${msg}`, span: arg.span });
    return undefined;
  };
  const word = v.kind === 'sym' ? v.name : v.kind === 'str' ? v.value : undefined;
  switch (t.kind) {
    case 'int': {
      if (v.kind !== 'num') return bad(p.misuse);
      if (!Number.isInteger(v.value)) return bad('`//` divides to a whole number');
      if (t.min !== undefined && v.value < t.min) return range(`must be at least ${t.min}, got ${v.value}`);
      return v.value;
    }
    case 'float': {
      if (v.kind !== 'num') return bad();
      if (t.min !== undefined && v.value < t.min) return range(`must be at least ${t.min}, got ${v.value}`);
      if (t.max !== undefined && (t.maxExclusive ? v.value >= t.max : v.value > t.max)) {
        return range(`must be ${t.maxExclusive ? 'below' : 'at most'} ${t.max}, got ${v.value}`);
      }
      return v.value;
    }
    case 'bool':
      return v.kind === 'bool' ? v.value : bad(p.misuse);
    case 'pair':
    case 'padding': {
      if (t.kind === 'padding' && word !== undefined) {
        if (word === 'same' || word === 'valid') return word;
        return bad(didYouMean(word, ['same', 'valid']));
      }
      const dims = v.kind === 'num' ? [v.value, v.value] : v.kind === 'size' ? v.dims : undefined;
      if (!dims || dims.length !== 2) return bad();
      const min = t.kind === 'pair' ? (t.min ?? 1) : 0;
      if (dims.some((d) => !Number.isInteger(d))) return bad();
      if (dims.some((d) => d < min)) return range(`must be at least ${min}, got ${dims.join('x')}`);
      return dims;
    }
    case 'enum': {
      // A word that also names a layer evaluates to that layer: `gelu(approximate: tanh)`.
      const w = word ?? (v.kind === 'layer' && v.layer.kind === 'builtin' && !v.layer.args.length ? v.layer.def.name : undefined);
      if (w === undefined) return bad();
      if (!t.values.includes(w)) return bad(didYouMean(w, t.values));
      return w;
    }
  }
}
