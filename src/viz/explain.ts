import type { BackwardRule, LayerOutput, ModelProbe } from '../engine/probe.js';
import { numel } from '../ir/graph.js';
import { softmax } from '../train/evaluate.js';
import { deconvSeeds, renderDeconvolution, strongestActivations, supportBox, type Box, type Pick } from './deconv.js';
import { gradCam, resizeBilinear } from './gradcam.js';
import type { InputMapping } from './input.js';
import { invertRepresentation, type InvertOptions } from './invert.js';
import { occlude, occlusionMap, occlusionPositions } from './occlusion.js';
import { finiteRange, grid, imagePicture, scaleFor, upscale, type Picture } from './raster.js';
import { noisyCopies, renderSaliency, saliencyMap, smoothSaliency } from './saliency.js';

/**
 * The explanations of one image that run the model (saliency, Grad-CAM, occlusion, deconvolution,
 * inversion): each takes a probe with the weights loaded and an image in pixel space, and returns
 * its picture with the numbers worth printing. `cnnc viz <kind>` prints them; `cnnc viz report`
 * puts them on one page. Pixels are in [0, 1] as the data loaders give them; `mapping` takes them
 * to the model's input and gradients back.
 */
export interface Subject {
  readonly probe: ModelProbe;
  readonly mapping: InputMapping;
  /** C×H×W of one image. */
  readonly shape: readonly [number, number, number];
}

/** A wrong request from the user (a class or channel out of range): the CLI reports it as a usage error. */
export class ExplainError extends Error {}

export interface Prediction {
  readonly p: number[];
  readonly predicted: number;
}

export async function predict(s: Subject, pixels: Float32Array): Promise<Prediction> {
  const [logits] = await s.probe.outputs(s.mapping.toModel(pixels), 1, [s.probe.graph.outputs[0]]);
  const p = softmax(logits);
  return { p, predicted: p.indexOf(Math.max(...p)) };
}

/** The class to explain: the one asked for (checked) or the predicted one. */
export function classToExplain(pred: Prediction, wanted: number | undefined): number {
  const k = wanted ?? pred.predicted;
  if (!Number.isInteger(k) || k < 0 || k >= pred.p.length) throw new ExplainError(`--class ${k}: the model has ${pred.p.length} outputs (0 to ${pred.p.length - 1})`);
  return k;
}

/** The row-major index of a map's largest value, as [row, column]. */
export function peakOf(map: ArrayLike<number>, width: number): readonly [number, number] {
  let best = 0;
  for (let i = 1; i < map.length; i++) if (map[i] > map[best]) best = i;
  return [Math.floor(best / width), best % width];
}

export interface SaliencyResult {
  readonly picture: Picture;
  readonly map: Float32Array;
  /** The class score (the mean over the noisy copies for SmoothGrad). */
  readonly score: number;
}

/** |∂score/∂pixel| (max over channels); with `smooth`, SmoothGrad's mean over that many noisy copies. */
export async function saliency(s: Subject, pixels: Float32Array, k: number, opts: { smooth?: number; noise?: number; seed?: number; scale?: number } = {}): Promise<SaliencyResult> {
  let map: Float32Array;
  let score: number;
  if (opts.smooth) {
    // Noise in pixel units (images are [0, 1]), scaled by the image's own range as SmoothGrad does.
    const [lo, hi] = finiteRange(pixels);
    const copies = noisyCopies(pixels, opts.smooth, (opts.noise ?? 0.15) * (hi - lo || 1), opts.seed ?? 0);
    const r = await s.probe.gradient(s.mapping.toModel(copies), opts.smooth, { kind: 'output', index: k });
    map = smoothSaliency(s.mapping.gradToPixels(r.grad), opts.smooth, s.shape);
    score = r.value.reduce((a, b) => a + b, 0) / opts.smooth;
  } else {
    const r = await s.probe.gradient(s.mapping.toModel(pixels), 1, { kind: 'output', index: k });
    map = saliencyMap(s.mapping.gradToPixels(r.grad), s.shape);
    score = r.value[0];
  }
  return { picture: renderSaliency(pixels, s.shape, map, { scale: opts.scale }), map, score };
}

/** The layer Grad-CAM uses by default: the last one whose output is a map larger than 1×1. */
export function lastSpatialLayer(probe: ModelProbe): LayerOutput | undefined {
  const spatial = probe.layers().filter((l) => l.shape.length === 3 && l.shape[1] * l.shape[2] > 1 && l.kind !== 'reshape');
  return spatial[spatial.length - 1];
}

export interface GradCamResult {
  readonly picture: Picture;
  /** At the layer's resolution. */
  readonly cam: Float32Array;
}

export async function gradCamOf(s: Subject, pixels: Float32Array, k: number, layer: LayerOutput, scale?: number): Promise<GradCamResult> {
  if (layer.shape.length !== 3) throw new ExplainError(`--layer ${layer.layer}: its output is ${layer.shape.join('×')}; Grad-CAM needs a C×H×W map (a conv, pool or activation layer)`);
  const x = s.mapping.toModel(pixels);
  const r = await s.probe.gradient(x, 1, { kind: 'output', index: k }, { at: layer.tensor });
  const [a] = await s.probe.outputs(x, 1, [layer.tensor]);
  const cam = gradCam(a, r.at!, layer.shape);
  const [, h, w] = s.shape;
  const map = resizeBilinear(cam, layer.shape[1], layer.shape[2], h, w);
  return { picture: renderSaliency(pixels, s.shape, map, { scale }), cam };
}

export interface OcclusionOptions {
  readonly patch?: number;
  readonly stride?: number;
  /** The patch value (default: the image's mean). */
  readonly fill?: number;
  readonly batch?: number;
  readonly scale?: number;
  readonly onBatch?: (done: number, total: number) => void;
}

export interface OcclusionResult {
  readonly picture: Picture;
  readonly patch: number;
  readonly stride: number;
  readonly positions: readonly (readonly [number, number])[];
  /** Per position, the class probability without the patch minus with it. */
  readonly drops: Float32Array;
}

export async function occlusion(s: Subject, pixels: Float32Array, k: number, pBefore: number, opts: OcclusionOptions = {}): Promise<OcclusionResult> {
  const [, h, w] = s.shape;
  const patch = opts.patch ?? Math.max(1, Math.round(Math.min(h, w) / 7));
  const stride = opts.stride ?? Math.max(1, Math.floor(patch / 2));
  const fill = opts.fill ?? pixels.reduce((a, b) => a + b, 0) / pixels.length;
  const batch = opts.batch ?? 64;
  const positions = occlusionPositions(h, w, patch, stride);
  const size = numel(s.shape);
  const drops = new Float32Array(positions.length);
  for (let from = 0; from < positions.length; from += batch) {
    const part = positions.slice(from, from + batch);
    const copies = new Float32Array(part.length * size);
    part.forEach((at, i) => copies.set(occlude(pixels, s.shape, at, patch, fill), i * size));
    const [logits] = await s.probe.outputs(s.mapping.toModel(copies), part.length, [s.probe.graph.outputs[0]]);
    const classes = logits.length / part.length;
    part.forEach((_, i) => (drops[from + i] = pBefore - softmax(logits.subarray(i * classes, (i + 1) * classes))[k]));
    opts.onBatch?.(Math.min(from + batch, positions.length), positions.length);
  }
  const map = occlusionMap(drops, positions, h, w, patch);
  return { picture: renderSaliency(pixels, s.shape, map.map((v) => Math.max(0, v)), { scale: opts.scale }), patch, stride, positions, drops };
}

export interface DeconvOptions {
  /** How many activations (default 4). */
  readonly top?: number;
  /** Only this channel's strongest positions (default: the strongest channels). */
  readonly channel?: number;
  /** Zeiler and Fergus's deconvnet (the default), or guided backpropagation. */
  readonly relu?: Exclude<BackwardRule, 'gradient'>;
  readonly scale?: number;
}

export interface DeconvResult {
  readonly picture: Picture;
  readonly picks: readonly Pick[];
  /** Each pick's reconstruction in pixel space, pick-major. */
  readonly reconstructions: Float32Array;
  readonly boxes: readonly Box[];
}

/** The strongest activations of a layer for the image, each projected back to pixels alone, in one batch. */
export async function deconvolve(s: Subject, pixels: Float32Array, layer: LayerOutput, opts: DeconvOptions = {}): Promise<DeconvResult> {
  if (opts.channel !== undefined && !(opts.channel >= 0 && opts.channel < layer.shape[0])) {
    throw new ExplainError(`--channel ${opts.channel}: ${layer.layer} has ${layer.shape[0]} channel${layer.shape[0] === 1 ? '' : 's'} (0 to ${layer.shape[0] - 1})`);
  }
  const x = s.mapping.toModel(pixels);
  const [a] = await s.probe.outputs(x, 1, [layer.tensor]);
  const picks = strongestActivations(a, layer.shape, opts.top ?? 4, opts.channel);
  if (picks.length === 0) return { picture: imagePicture(pixels, s.shape), picks, reconstructions: new Float32Array(0), boxes: [] };
  const n = picks.length;
  const copies = new Float32Array(n * x.length);
  for (let i = 0; i < n; i++) copies.set(x, i * x.length);
  const r = await s.probe.gradient(copies, n, { kind: 'seed', tensor: layer.tensor, seed: deconvSeeds(picks, layer.shape) }, { relu: opts.relu ?? 'deconvnet' });
  const reconstructions = s.mapping.gradToPixels(r.grad);
  const per = numel(s.shape);
  const boxes = picks.map((_, i) => supportBox(reconstructions.subarray(i * per, (i + 1) * per), s.shape));
  return { picture: renderDeconvolution(pixels, s.shape, reconstructions, boxes, opts.scale), picks, reconstructions, boxes };
}

/** The layers `viz invert` uses by default: up to four convolution, pooling or dense outputs, spread from first to last. */
export function inversionLayers(probe: ModelProbe): LayerOutput[] {
  const candidates = probe.layers().filter((l) => l.kind === 'conv2d' || l.kind === 'pool2d' || l.kind === 'dense' || l.kind === 'adaptive_pool');
  if (candidates.length <= 4) return candidates;
  return [0, 1, 2, 3].map((i) => candidates[Math.round((i * (candidates.length - 1)) / 3)]);
}

export interface InversionResult {
  readonly layer: LayerOutput;
  readonly image: Float32Array;
  readonly before: number;
  readonly after: number;
}

/** The image inverted from its representation at each layer, one after the other. */
export async function invertAt(s: Subject, pixels: Float32Array, layers: readonly LayerOutput[], opts: InvertOptions & { onLayer?: (i: number, layer: LayerOutput) => void } = {}): Promise<InversionResult[]> {
  const out: InversionResult[] = [];
  for (const [i, layer] of layers.entries()) {
    opts.onLayer?.(i, layer);
    const [target] = await s.probe.outputs(s.mapping.toModel(pixels), 1, [layer.tensor]);
    const model = {
      represent: async (x: Float32Array) => (await s.probe.outputs(s.mapping.toModel(x), 1, [layer.tensor]))[0],
      pullback: async (x: Float32Array, seed: Float32Array) => s.mapping.gradToPixels((await s.probe.gradient(s.mapping.toModel(x), 1, { kind: 'seed', tensor: layer.tensor, seed })).grad),
    };
    const r = await invertRepresentation(model, target, s.shape, opts);
    out.push({ layer, ...r });
  }
  return out;
}

/** The original, then each inversion, in a row. */
export function renderInversions(pixels: Float32Array, shape: readonly number[], inversions: readonly InversionResult[], scale?: number): Picture {
  const s = scale ?? scaleFor(shape[1], shape[2], 112);
  return grid([pixels, ...inversions.map((r) => r.image)].map((img) => upscale(imagePicture(img, shape), s)), { columns: inversions.length + 1, gap: 2 });
}
