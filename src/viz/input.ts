import type { TrainingConfig } from '../check/training.js';
import { normalizer } from '../train/inputs.js';

/**
 * Pictures live in pixel space, [0, 1] per channel, as the data loaders produce them; a model
 * whose training section gives `mean`/`std` was trained on (x − mean)/std (train/inputs.ts). The
 * viz commands work in pixel space and map to the model's input, and gradients back, through this.
 */
export interface InputMapping {
  /** N×C×H×W pixels → the model's input (a new array). */
  toModel(pixels: Float32Array): Float32Array;
  /** ∂/∂(model input) → ∂/∂pixels: divided by the channel's std. */
  gradToPixels(grad: Float32Array): Float32Array;
}

export function inputMapping(training: Pick<TrainingConfig, 'mean' | 'std'> | undefined, shape: readonly [number, number, number]): InputMapping {
  const [c, h, w] = shape;
  const normalise = normalizer(training, shape);
  // As train/inputs.ts: one value stands for every channel.
  const std = Array.from({ length: c }, (_, k) => (training?.std === undefined ? 1 : training.std.length === 1 ? training.std[0] : training.std[k]));
  return {
    toModel: (x) => normalise(x.slice()),
    gradToPixels: (g) => g.map((v, i) => v / std[Math.floor(i / (h * w)) % c]),
  };
}
