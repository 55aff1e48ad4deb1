import type * as A from '../syntax/ast.js';
import type { Env, Evaluator } from './evaluate.js';
import { LAYERS } from './layers/index.js';
import { didYouMean } from './suggest.js';
import { describe, ERROR, formatShape, type Value } from './values.js';

/**
 * Operators and shape queries: `x.channels`, `-n`, `not c`, arithmetic, comparisons, `a x b`
 * sizes, and `+` on tensors (the residual sum, which adds an `add` layer).
 */

function wordOf(v: Value): string | undefined {
  return v.kind === 'sym' ? v.name : v.kind === 'str' ? v.value : undefined;
}

function sizeDims(v: Value): number[] {
  if (v.kind === 'num') return [v.value];
  if (v.kind === 'size') return [...v.dims];
  return [NaN];
}

export function member(ev: Evaluator, e: A.MemberExpr, env: Env): Value {
  const o = ev.defined(ev.expr(e.object, env), e.object.span, env);
  if (o.kind === 'error') return ERROR;
  if (o.kind !== 'tensor') return ev.wrongKind(`\`.${e.member.text}\` needs a tensor, not ${describe(o)}`, e.span);
  const s = o.t.shape;
  const spatial = s.length === 3;
  const fields: Record<string, number | undefined> = {
    channels: s[0],
    features: s.length === 1 ? s[0] : undefined,
    height: spatial ? s[1] : undefined,
    width: spatial ? s[2] : undefined,
    size: s.reduce((a, b) => a * b, 1),
  };
  const v = fields[e.member.text];
  if (v === undefined) {
    const known = Object.keys(fields).filter((k) => fields[k] !== undefined);
    ev.sink.report({
      code: 'E0116',
      message: `a ${formatShape(s)} tensor has no \`${e.member.text}\``,
      span: e.member.span,
      help: didYouMean(e.member.text, known) ?? `it has: ${known.join(', ')}`,
    });
    return ERROR;
  }
  return { kind: 'num', value: v };
}

export function unary(ev: Evaluator, e: A.UnaryExpr, env: Env): Value {
  const v = ev.defined(ev.expr(e.operand, env), e.operand.span, env);
  if (v.kind === 'error') return ERROR;
  if (e.op === '-' && v.kind === 'num') return { kind: 'num', value: -v.value };
  if (e.op === 'not' && v.kind === 'bool') return { kind: 'bool', value: !v.value };
  return ev.wrongKind(`\`${e.op}\` does not apply to ${describe(v)}`, e.span);
}

export function binary(ev: Evaluator, e: A.BinaryExpr, env: Env): Value {
  if (e.op === 'and' || e.op === 'or') {
    const l = ev.defined(ev.expr(e.left, env), e.left.span, env);
    if (l.kind === 'error') return ERROR;
    if (l.kind !== 'bool') return ev.wrongKind(`\`${e.op}\` needs true or false, not ${describe(l)}`, e.left.span);
    if (e.op === 'and' ? !l.value : l.value) return l;
    const r = ev.defined(ev.expr(e.right, env), e.right.span, env);
    if (r.kind === 'error') return ERROR;
    if (r.kind !== 'bool') return ev.wrongKind(`\`${e.op}\` needs true or false, not ${describe(r)}`, e.right.span);
    return r;
  }
  // A long left-leaning chain (a + b + c + …) is evaluated in a loop, not by deep recursion.
  const spine: A.BinaryExpr[] = [];
  let leftmost: A.Expr = e;
  while (leftmost.kind === 'Binary' && leftmost.op !== 'and' && leftmost.op !== 'or') {
    spine.push(leftmost);
    leftmost = leftmost.left;
  }
  let acc = ev.expr(leftmost, env);
  for (let i = spine.length - 1; i >= 0; i--) acc = combine(ev, spine[i], acc, ev.expr(spine[i].right, env), env);
  return acc;
}

function combine(ev: Evaluator, e: A.BinaryExpr, rawL: Value, rawR: Value, env: Env): Value {
  if ((e.op === '==' || e.op === '!=') && (rawL.kind === 'sym' || rawL.kind === 'str') && (rawR.kind === 'sym' || rawR.kind === 'str')) {
    const eq = wordOf(rawL) === wordOf(rawR);
    return { kind: 'bool', value: e.op === '==' ? eq : !eq };
  }
  const l = ev.defined(rawL, e.left.span, env);
  const r = ev.defined(rawR, e.right.span, env);
  if (l.kind === 'error' || r.kind === 'error') return ERROR;
  if (e.op === '+' && l.kind === 'tensor' && r.kind === 'tensor') {
    return ev.applyBuiltin(LAYERS.get('add')!, [], [l.t, r.t], e.opSpan, env.scope);
  }
  if (e.op === 'x') {
    const dims = [...sizeDims(l), ...sizeDims(r)];
    if (dims.some((d) => Number.isNaN(d))) return ev.wrongKind(`sizes are made of numbers, not ${describe(Number.isNaN(sizeDims(l)[0]) ? l : r)}`, e.span);
    return { kind: 'size', dims };
  }
  if (l.kind === 'num' && r.kind === 'num') return arith(ev, e, l.value, r.value);
  if (l.kind === 'bool' && r.kind === 'bool' && (e.op === '==' || e.op === '!=')) {
    return { kind: 'bool', value: (l.value === r.value) === (e.op === '==') };
  }
  const help = e.op === '+' && (l.kind === 'tensor' || r.kind === 'tensor') ? '`+` adds two tensors of one shape, or two numbers' : undefined;
  return ev.wrongKind(`\`${e.op}\` does not apply to ${describe(l)} and ${describe(r)}`, e.opSpan, help);
}

function arith(ev: Evaluator, e: A.BinaryExpr, a: number, b: number): Value {
  const num = (value: number): Value => ({ kind: 'num', value });
  const bool = (value: boolean): Value => ({ kind: 'bool', value });
  if ((e.op === '/' || e.op === '//' || e.op === '%') && b === 0) {
    ev.sink.report({ code: 'E0111', message: 'division by zero', span: e.right.span });
    return ERROR;
  }
  switch (e.op) {
    case '+': return num(a + b);
    case '-': return num(a - b);
    case '*': return num(a * b);
    case '/': return num(a / b);
    case '//': return num(Math.floor(a / b));
    case '%': return num(a - b * Math.floor(a / b));
    case '==': return bool(a === b);
    case '!=': return bool(a !== b);
    case '<': return bool(a < b);
    case '<=': return bool(a <= b);
    case '>': return bool(a > b);
    case '>=': return bool(a >= b);
    default: return ERROR;
  }
}
