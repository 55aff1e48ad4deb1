import type { Span } from '../diagnostics/source.js';
import type { BlockDecl } from '../syntax/ast.js';
import type { LayerDef } from './layers/types.js';

/** A tensor produced during checking: the graph node it comes from and its per-image shape. */
export interface TensorRef {
  readonly node: number;
  /** [C, H, W] for feature maps, [F] for flat vectors. Batch is never part of it. */
  readonly shape: readonly number[];
  /** Where the value was produced, for notes ("from line 9"). */
  readonly origin: Span;
}

export interface ArgValue {
  readonly name?: string;
  readonly nameSpan?: Span;
  readonly value: Value;
  readonly span: Span;
}

/** A layer that is configured but not yet applied: `conv(64, 3)`, `basic(128, stride: 2)`. */
export type LayerValue =
  | { readonly kind: 'builtin'; readonly def: LayerDef; readonly args: readonly ArgValue[]; readonly span: Span }
  | { readonly kind: 'block'; readonly decl: BlockDecl; readonly args: readonly ArgValue[]; readonly span: Span };

export type Value =
  | { readonly kind: 'num'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'str'; readonly value: string }
  /** A name that resolved to nothing: fine where a word is expected (`pad: same`), else an error. */
  | { readonly kind: 'sym'; readonly name: string; readonly span: Span }
  | { readonly kind: 'size'; readonly dims: readonly number[] }
  | { readonly kind: 'tensor'; readonly t: TensorRef }
  | { readonly kind: 'tuple'; readonly items: readonly Value[] }
  | { readonly kind: 'list'; readonly items: readonly Value[] }
  | { readonly kind: 'layer'; readonly layer: LayerValue }
  /** A configuration call in the training section: `sgd(lr: 0.1)`. */
  | { readonly kind: 'config'; readonly name: string; readonly args: readonly ArgValue[]; readonly span: Span }
  /** Poison: the problem was already reported, so anything built from it stays quiet. */
  | { readonly kind: 'error' };

export const ERROR: Value = { kind: 'error' };

export function formatShape(shape: readonly number[]): string {
  return shape.join('×');
}

/** A shape in a sentence: `64×56×56`, or `100 features` for a flat vector. */
export function shapeWords(shape: readonly number[]): string {
  return shape.length === 1 ? `${shape[0]} features` : formatShape(shape);
}

/** Numbers as people write them: 5.333333333333333 → 5.3333. */
export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(+n.toPrecision(5));
}

export function describe(v: Value): string {
  switch (v.kind) {
    case 'num':
      return `the number ${formatNumber(v.value)}`;
    case 'bool':
      return `the boolean ${v.value}`;
    case 'str':
      return `the string "${v.value}"`;
    case 'sym':
      return `the word \`${v.name}\``;
    case 'size':
      return `the size ${v.dims.join('x')}`;
    case 'tensor':
      return `a ${shapeWords(v.t.shape)} tensor`;
    case 'tuple':
      return `a tuple of ${v.items.length} values`;
    case 'list':
      return `a list of ${v.items.length} values`;
    case 'layer':
      return `the layer \`${v.layer.kind === 'builtin' ? v.layer.def.name : v.layer.decl.name.text}\``;
    case 'config':
      return `the setting \`${v.name}(…)\``;
    case 'error':
      return 'an invalid value';
  }
}
