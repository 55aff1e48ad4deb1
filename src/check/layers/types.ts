import type { Fix, Note } from '../../diagnostics/diagnostic.js';
import type { Code } from '../../diagnostics/codes.js';
import type { Span } from '../../diagnostics/source.js';

/** How a layer argument is read from the source; `coerce` in args.ts implements each. */
export type ArgType =
  | { readonly kind: 'int'; readonly min?: number }
  | { readonly kind: 'float'; readonly min?: number; readonly max?: number; readonly maxExclusive?: boolean }
  | { readonly kind: 'bool' }
  /** One number for both axes or `h x w`. */
  | { readonly kind: 'pair'; readonly min?: number }
  /** A padding: a number, `h x w`, `same` or `valid`. */
  | { readonly kind: 'padding' }
  | { readonly kind: 'enum'; readonly values: readonly string[] };

export type AttrValue = number | boolean | string | readonly number[];

export interface ParamSpec {
  readonly name: string;
  readonly type: ArgType;
  /** Absent means required. A function computes a default from other arguments (pool stride = kernel). */
  readonly default?: AttrValue | ((attrs: Readonly<Record<string, AttrValue>>) => AttrValue);
  readonly doc: string;
  /** Help shown when the argument has the wrong type: the usual mistake and its fix. */
  readonly misuse?: string;
}

export interface WeightSpec {
  /** PyTorch's name for it: weight, bias, running_mean, running_var. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly trainable: boolean;
}

/** Receptive field of one output element, per axis, in input pixels; jump = input pixels per step. */
export interface ReceptiveField {
  readonly size: readonly [number, number];
  readonly jump: readonly [number, number];
}

export interface LayerInput {
  readonly shape: readonly number[];
  readonly origin: Span;
  readonly rf?: ReceptiveField;
}

/** Everything a shape rule may look at, and the way it reports problems. */
export interface ShapeContext {
  readonly layer: string;
  readonly inputs: readonly LayerInput[];
  readonly attrs: Readonly<Record<string, AttrValue>>;
  /** Whether the user wrote the argument (rounding warnings are silent when `round:` is given). */
  given(name: string): boolean;
  /** The span of an argument if written, else of the layer call. */
  argSpan(name: string): Span;
  readonly site: Span;
  error(code: Code, message: string, opts?: { span?: Span; notes?: Note[]; help?: string; fixes?: Fix[] }): void;
  warn(code: Code, message: string, opts?: { span?: Span; notes?: Note[]; help?: string; fixes?: Fix[] }): void;
  /** A note pointing at where input i came from: "the input is 64×56×56, from here". */
  inputNote(i: number, label?: string): Note;
}

export interface LayerResult {
  readonly shape: readonly number[];
  readonly weights?: readonly WeightSpec[];
  /** Multiply-accumulates per image (conv and dense only, as torchvision counts them). */
  readonly macs?: number;
  readonly rf?: ReceptiveField;
  /** Attributes completed by the rule (e.g. the padding `same` resolved to numbers). */
  readonly attrs?: Readonly<Record<string, AttrValue>>;
}

/** Layer families, for pictures: convolution, pooling, normalisation, activation, dense, merge, other. */
export type LayerFamily = 'conv' | 'pool' | 'norm' | 'activation' | 'dense' | 'merge' | 'other';

export interface LayerDef {
  readonly name: string;
  readonly summary: string;
  readonly params: readonly ParamSpec[];
  /** How many tensors it takes: 1, or 'many' for add/concat. */
  readonly arity: 1 | 'many';
  /** Short prefix for generated layer names (conv1, bn2, fc1). */
  readonly prefix: string;
  /** What kind of layer it is (the diagram colours a box by it). */
  readonly family: LayerFamily;
  /** Returns undefined when it reported an error. */
  infer(ctx: ShapeContext): LayerResult | undefined;
}
