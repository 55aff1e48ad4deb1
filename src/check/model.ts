import type { Span } from '../diagnostics/source.js';
import type { AttrValue, ReceptiveField, WeightSpec } from './layers/types.js';
import type { TrainingConfig } from './training.js';

/** One layer application in a checked model. Plain data: the input to lowering. */
export interface ModelNode {
  readonly id: number;
  /** `input`, or the name of a built-in layer (see check/layers). */
  readonly op: string;
  /** Unique dotted name, e.g. `layer1.0.conv1`; weights are `<name>.weight` as in PyTorch. */
  readonly name: string;
  readonly inputs: readonly number[];
  /** Per-image shape: [C, H, W] or [F]. */
  readonly shape: readonly number[];
  readonly attrs: Readonly<Record<string, AttrValue>>;
  readonly weights: readonly WeightSpec[];
  readonly macs: number;
  readonly rf?: ReceptiveField;
  /** The layer call in the source that made this node. */
  readonly span: Span;
  /** Names of the enclosing block instances, outermost first. */
  readonly scope: readonly string[];
  /** The block each of those instances is (`layer1.0` → `basic`), same order as `scope`. */
  readonly blocks: readonly string[];
}

export interface CheckedModel {
  readonly name: string;
  readonly span: Span;
  readonly inputs: readonly number[];
  /** Topologically ordered: every node comes after its inputs. */
  readonly nodes: readonly ModelNode[];
  readonly output: number;
  readonly training?: TrainingConfig;
}
