import type { CheckedModel } from '../../check/model.js';
import type { WeightTensor } from '../../engine/session.js';
import { checkFinite } from '../../engine/weights.js';
import { modelTensors, readWeightsFile } from '../../train/checkpoint.js';
import { matchWeights } from '../../train/import-weights.js';
import { defaultFormat, UsageError } from '../io.js';
import { pickModel, runFrontEnd } from '../load.js';
import type { CommonFlags } from './common.js';

/** The checked model of a file, or undefined after its diagnostics were printed. */
export function loadModel(file: string, flags: CommonFlags): CheckedModel | undefined {
  const r = runFrontEnd(file, flags, flags.format ?? defaultFormat());
  return r.failed ? undefined : pickModel(r.models, flags.model, file);
}

/** The model's image input as [C, H, W]; training and prediction feed images. */
export function imageShape(model: CheckedModel): [number, number, number] {
  if (model.inputs.length !== 1) throw new UsageError(`model ${model.name} has ${model.inputs.length} inputs; training and prediction need exactly one image input`);
  const s = model.nodes[model.inputs[0]].shape;
  if (s.length !== 3) throw new UsageError(`model ${model.name}'s input is ${s.join('×')}; training and prediction need an image input C × H × W`);
  return [s[0], s[1], s[2]];
}

/** The number of outputs (classes) of the model's last layer. */
export function outputCount(model: CheckedModel): number {
  const s = model.nodes[model.output].shape;
  return s.reduce((a, b) => a * b, 1);
}

/** Loads `--weights`: by name, or by order of same-shaped tensors with the mapping printed. */
export function loadWeightsFile(path: string, model: CheckedModel, log: (line: string) => void): Record<string, WeightTensor> {
  return loadWeightsWithMetadata(path, model, log).weights;
}

/** loadWeightsFile plus the file's metadata (cnnc stores the class names there). */
export function loadWeightsWithMetadata(path: string, model: CheckedModel, log: (line: string) => void): { weights: Record<string, WeightTensor>; metadata: Record<string, string> } {
  const file = readWeightsFile(path);
  const m = matchWeights(modelTensors(model), file, path);
  checkFinite(m.weights, path);
  if (m.byOrder.length) {
    log(`${path}: ${m.byOrder.length} tensor${m.byOrder.length === 1 ? '' : 's'} matched by order of same-shaped tensors, as the names differ:`);
    for (const { model: to, file } of m.byOrder) log(`  ${to} ← ${file}`);
  }
  const unused = m.unused.filter((n) => !n.endsWith('num_batches_tracked') && !n.startsWith('optimizer.'));
  if (unused.length) log(`${path}: not used: ${unused.slice(0, 8).join(', ')}${unused.length > 8 ? ', …' : ''}`);
  return { weights: m.weights, metadata: file.metadata };
}

export function positiveInt(name: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${name} takes a positive whole number, not '${v}'`);
    return n;
  };
}

export function nonNegativeInt(name: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} takes a whole number ≥ 0, not '${v}'`);
    return n;
  };
}

export function positiveNumber(name: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} takes a positive number, not '${v}'`);
    return n;
  };
}
