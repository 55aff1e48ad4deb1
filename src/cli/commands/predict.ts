import { trainingConfig } from '../../check/training.js';
import type { Command } from 'commander';
import { ModelSession } from '../../engine/session.js';
import { loadImage } from '../../train/data/images.js';
import { softmax } from '../../train/evaluate.js';
import { normalizer } from '../../train/inputs.js';
import { EXIT } from '../io.js';
import { common, type CommandContext, type CommonFlags } from './common.js';
import { imageShape, loadModel, loadWeightsWithMetadata, outputCount, positiveInt } from './model-args.js';

interface PredictFlags extends CommonFlags {
  readonly weights: string;
  readonly top: number;
  readonly invert?: boolean;
  readonly json?: boolean;
}

export function registerPredict(program: Command, ctx: CommandContext): void {
  common(
    program
      .command('predict')
      .description("classify PNG or JPEG images: each is converted to the model's input (grey or RGB, scaled to cover, centre-cropped, pixels in [0, 1], then the train section's normalisation)")
      .argument('<file>', '.cnn file')
      .argument('<images...>', 'PNG or JPEG files')
      .requiredOption('--weights <file>', 'weights (safetensors, PyTorch names)')
      .option('--top <k>', 'classes to show per image', positiveInt('--top'), 5)
      .option('--invert', 'invert the pixels (dark digits on white paper → MNIST’s white on black)')
      .option('--json', 'print JSON')
      .option('--model <name>', 'which model, when the file has several'),
  ).action(async (file: string, images: string[], flags: PredictFlags) => {
    const model = loadModel(file, flags);
    if (!model) return ctx.setCode(EXIT.inputErrors);
    const shape = imageShape(model);
    const cfg = trainingConfig(model);
    const { weights, metadata } = loadWeightsWithMetadata(flags.weights, model, (s) => process.stderr.write(s + '\n'));
    const names = classNames(metadata.classes, outputCount(model));
    const size = shape[0] * shape[1] * shape[2];
    const x = new Float32Array(images.length * size);
    images.forEach((path, i) => {
      const img = loadImage(path, shape);
      if (flags.invert) for (let j = 0; j < img.length; j++) img[j] = 1 - img[j];
      x.set(img, i * size);
    });
    const session = await ModelSession.create(model, { batch: images.length, seed: 0 });
    try {
      await session.setWeights(weights);
      const logits = await session.forward(normalizer(cfg, shape)(x), images.length);
      const k = logits.length / images.length;
      const results = images.map((path, i) => {
        const p = softmax(logits.subarray(i * k, (i + 1) * k));
        const top = p.map((prob, c) => ({ class: names[c] ?? String(c), index: c, probability: prob })).sort((a, b) => b.probability - a.probability).slice(0, flags.top);
        return { image: path, top };
      });
      if (flags.json) process.stdout.write(JSON.stringify(results, null, 1) + '\n');
      else for (const r of results) process.stdout.write(`${r.image}\n${r.top.map((t) => `  ${(100 * t.probability).toFixed(2).padStart(6)}%  ${t.class}`).join('\n')}\n`);
    } finally {
      await session.destroy();
    }
  });
}

/** The class names stored with the weights by `cnnc train`, else the output indices. */
function classNames(stored: string | undefined, outputs: number): string[] {
  try {
    const v: unknown = stored ? JSON.parse(stored) : undefined;
    if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  } catch {
    // Not written by cnnc: fall back to indices.
  }
  return Array.from({ length: outputs }, (_, i) => String(i));
}
