import type { SourceFile } from '../diagnostics/source.js';
import { positionOf } from '../diagnostics/source.js';
import type { CheckedModel } from './model.js';

export interface LayerSummary {
  readonly name: string;
  readonly op: string;
  readonly line: number;
  readonly shape: readonly number[];
  readonly params: number;
  readonly macs: number;
  /** Receptive field of one output element in input pixels (h, w), and the jump between outputs. */
  readonly receptiveField?: { readonly size: readonly number[]; readonly jump: readonly number[] };
  /** Bytes of float32 output per image. */
  readonly activationBytes: number;
}

export interface ModelSummary {
  readonly model: string;
  readonly input: readonly number[];
  readonly output: readonly number[];
  /** Trainable parameters, counted as torchvision counts them. */
  readonly totalParams: number;
  /** Batchnorm running statistics. */
  readonly nonTrainableParams: number;
  /** Multiply-accumulates per image in conv and dense layers (torchvision's convention). */
  readonly totalMacs: number;
  /** float32 bytes per image: all layer outputs, and the parameters. */
  readonly activationBytes: number;
  readonly paramBytes: number;
  readonly layers: readonly LayerSummary[];
}

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

export function summarize(m: CheckedModel, sources: ReadonlyMap<string, SourceFile>): ModelSummary {
  const layers = m.nodes.map((n): LayerSummary => {
    const src = sources.get(n.span.file);
    return {
      name: n.name,
      op: n.op,
      line: src ? positionOf(src, n.span.start).line : 0,
      shape: n.shape,
      params: n.weights.filter((w) => w.trainable).reduce((a, w) => a + size(w.shape), 0),
      macs: n.macs,
      receptiveField: n.rf && { size: n.rf.size, jump: n.rf.jump },
      activationBytes: 4 * size(n.shape),
    };
  });
  const totalParams = layers.reduce((a, l) => a + l.params, 0);
  const nonTrainableParams = m.nodes.reduce((a, n) => a + n.weights.filter((w) => !w.trainable).reduce((b, w) => b + size(w.shape), 0), 0);
  return {
    model: m.name,
    input: m.nodes[m.inputs[0]].shape,
    output: m.nodes[m.output].shape,
    totalParams,
    nonTrainableParams,
    totalMacs: layers.reduce((a, l) => a + l.macs, 0),
    activationBytes: layers.reduce((a, l) => a + l.activationBytes, 0),
    paramBytes: 4 * (totalParams + nonTrainableParams),
    layers,
  };
}
