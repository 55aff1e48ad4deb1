import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { didYouMean } from '../../check/suggest.js';
import type { CheckedModel } from '../../check/model.js';
import { ModelProbe, type LayerOutput } from '../../engine/probe.js';
import { ExplainError, predict, type Prediction, type Subject } from '../../viz/explain.js';
import type { WeightTensor } from '../../engine/session.js';
import { loadImage } from '../../train/data/images.js';
import { inputMapping, type InputMapping } from '../../viz/input.js';
import { encodePng } from '../../viz/png.js';
import type { Picture } from '../../viz/raster.js';
import type { SourceFile } from '../../diagnostics/source.js';
import { defaultFormat, EXIT, UsageError } from '../io.js';
import { pickModel, runFrontEnd, writeOutput } from '../load.js';
import { common, type CommandContext, type CommonFlags } from './common.js';
import { imageShape, loadWeightsWithMetadata, positiveInt } from './model-args.js';

/** What the `cnnc viz` commands share: flags, loading the model and weights, images, layers, output. */

export interface VizFlags extends CommonFlags {
  readonly weights: string;
  readonly out?: string;
  readonly scale?: number;
  readonly invert?: boolean;
}

/** What every viz command starts from: the model, its weights, and the pixel ↔ input mapping. */
export interface VizSetup {
  readonly model: CheckedModel;
  readonly shape: [number, number, number];
  readonly weights: Record<string, WeightTensor>;
  /** Stored by `cnnc train` in the weights file: class names (JSON) among others. */
  readonly metadata: Record<string, string>;
  readonly mapping: InputMapping;
  /** The checked files, for line numbers (`viz report`'s summary). */
  readonly sources: ReadonlyMap<string, SourceFile>;
}

/** A viz subcommand with the flags they all take. */
export function vizCommand(viz: Command, name: string, description: string): Command {
  return common(
    viz
      .command(name)
      .description(description)
      .argument('<file>', '.cnn file')
      .requiredOption('--weights <file>', 'trained weights (safetensors, PyTorch names, e.g. from `cnnc train`)')
      .option('--scale <n>', 'enlarge every pixel n times (default: a size that is easy to see)', positiveInt('--scale'))
      .option('--model <name>', 'which model, when the file has several'),
  );
}

/** The model, its weights (checked against it) and the input mapping; undefined after front-end errors. */
export function prepare(file: string, flags: VizFlags, ctx: CommandContext): VizSetup | undefined {
  if (!existsSync(flags.weights)) throw new UsageError(`no such file: ${flags.weights}`);
  const front = runFrontEnd(file, flags, flags.format ?? defaultFormat());
  if (front.failed) {
    ctx.setCode(EXIT.inputErrors);
    return undefined;
  }
  const model = pickModel(front.models, flags.model, file);
  const shape = imageShape(model);
  // The same matching as `cnnc predict`: by name, or by order with the mapping printed; a tensor
  // the model needs that is missing or misshapen is an error naming it.
  const { weights, metadata } = loadWeightsWithMetadata(flags.weights, model, (s) => process.stderr.write(s + '\n'));
  return { model, shape, weights, metadata, mapping: inputMapping(model.training, shape), sources: front.sources };
}

/**
 * An image file as the model's input in pixel space: grey or RGB as the model takes, scaled to
 * cover its size and centre-cropped, pixels in [0, 1] (train/data/resample.ts); inverted on request.
 */
export function readImage(path: string, setup: VizSetup, invert = false): Float32Array {
  if (!existsSync(path)) throw new UsageError(`no such file: ${path}`);
  const img = loadImage(path, setup.shape);
  return invert ? img.map((v) => 1 - v) : img;
}

/** A probe with the weights loaded, destroyed after `use` (so the process can exit). */
export async function withProbe<T>(setup: VizSetup, use: (probe: ModelProbe) => Promise<T>): Promise<T> {
  const probe = await ModelProbe.create(setup.model, { batch: 1 });
  try {
    probe.setWeights(setup.weights);
    return await use(probe);
  } finally {
    await probe.destroy();
  }
}

/**
 * The shared start of the commands that explain one image: the model and weights, the image in
 * pixel space, a probe, and the prediction; a wrong class or channel becomes a usage error.
 */
export async function explaining(
  file: string, image: string, flags: VizFlags, ctx: CommandContext,
  use: (s: Subject, pixels: Float32Array, pred: Prediction, names: string[], setup: VizSetup) => Promise<void>,
): Promise<void> {
  const setup = prepare(file, flags, ctx);
  if (!setup) return;
  const pixels = readImage(image, setup, flags.invert);
  await withProbe(setup, async (probe) => {
    const s: Subject = { probe, mapping: setup.mapping, shape: setup.shape };
    const pred = await predict(s, pixels);
    try {
      await use(s, pixels, pred, classNames(setup, pred.p.length), setup);
    } catch (e) {
      throw e instanceof ExplainError ? new UsageError(e.message) : e;
    }
  });
}

/** `predicted 7 (99.1%)` */
export function predicted(pred: Prediction, names: readonly string[]): string {
  return `predicted ${names[pred.predicted]} (${(100 * pred.p[pred.predicted]).toFixed(1)}%)`;
}

/** The layer called `name`, or a usage error with a suggestion. */
export function findLayer(layers: readonly LayerOutput[], name: string, model: CheckedModel): LayerOutput {
  const l = layers.find((x) => x.layer === name);
  if (!l) throw new UsageError(unknownLayer(name, model.name, layers.map((x) => x.layer)));
  return l;
}

export function unknownLayer(name: string, model: string, names: readonly string[]): string {
  const hint = didYouMean(name, names);
  return `model ${model} has no layer '${name}'${hint ? `; ${hint}` : ''} (layers as \`cnnc summary\` names them: ${names.join(', ')})`;
}

/** The class names `cnnc train` stores with the weights, else the output indices. */
export function classNames(setup: VizSetup, outputs: number): string[] {
  try {
    const v: unknown = setup.metadata.classes ? JSON.parse(setup.metadata.classes) : undefined;
    if (Array.isArray(v) && v.length === outputs && v.every((s) => typeof s === 'string')) return v as string[];
  } catch {
    // Not written by cnnc: indices it is.
  }
  return Array.from({ length: outputs }, (_, i) => String(i));
}

/** Writes a PNG, creating its folder; a path that cannot be written is a usage error. */
export function writePicture(path: string, picture: Picture): void {
  writeOutput(path, encodePng(picture));
}

/** Columns padded to their widest cell; numbers right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^[-+]?[\d.,%e+-]+$|^NaN$|^$/.test(r[i])));
  const line = (cells: readonly string[]) => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** A number in 4 significant digits. */
export function num(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}
