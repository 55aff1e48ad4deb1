import type { TrainingConfig } from '../check/training.js';
import { augmentBatch, type AugmentOptions } from './data/augment.js';
import { colorPca } from './data/color-pca.js';
import type { Dataset } from './data/dataset.js';
import { normalizeImages } from './data/normalize.js';

type Shape = readonly [number, number, number];

/** What turns a batch of [0, 1] pixels into the model's input: augmentation, then normalisation. */
export type InputTransform = (x: Float32Array, n: number, batchIndex: number) => Float32Array;

/** The training section's augmentations in the form augmentBatch takes (colour PCA from `data`). */
export function augmentOptions(cfg: Pick<TrainingConfig, 'augment'>, data: Dataset): AugmentOptions | undefined {
  if (cfg.augment.length === 0) return undefined;
  const opts: { translate?: number; flip?: number; colorSigma?: number } = {};
  for (const a of cfg.augment) {
    if (a.name === 'translate') opts.translate = a.pixels as number;
    if (a.name === 'hflip') opts.flip = a.p as number;
    if (a.name === 'intensity') opts.colorSigma = a.sigma as number;
  }
  const pca = opts.colorSigma && data.shape[0] === 3 ? colorPca(data.images, data.shape) : undefined;
  return { ...opts, pca };
}

/** Per-channel (x − mean)/std from the training section, or the identity when it gives none. */
export function normalizer(cfg: Pick<TrainingConfig, 'mean' | 'std'> | undefined, shape: Shape): (x: Float32Array) => Float32Array {
  if (!cfg?.mean && !cfg?.std) return (x) => x;
  const c = shape[0];
  const mean = cfg.mean ?? new Array<number>(c).fill(0);
  const std = cfg.std ?? new Array<number>(c).fill(1);
  const stats = { mean: broadcast(mean, c), std: broadcast(std, c) };
  return (x) => normalizeImages(x, shape, stats);
}

/** The transform for one epoch of training: augmentation keyed by (seed, epoch, batch), then normalisation. */
export function trainingTransform(cfg: TrainingConfig, shape: Shape, augment: AugmentOptions | undefined, seed: number, epoch: number): InputTransform {
  const norm = normalizer(cfg, shape);
  return (x, n, batch) => norm(augment ? augmentBatch(x, n, shape, augment, { seed, epoch, batch }) : x);
}

/** A single value stands for every channel (`mean: 0.1307` on an RGB model means all three). */
function broadcast(v: readonly number[], channels: number): number[] {
  return v.length === 1 ? new Array<number>(channels).fill(v[0]) : [...v];
}
