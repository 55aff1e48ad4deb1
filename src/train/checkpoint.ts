import { readFileSync } from 'node:fs';
import type { CheckedModel } from '../check/model.js';
import { lowerModel } from '../ir/lower.js';
import { requiredWeights } from '../engine/weights.js';
import type { WeightTensor } from '../engine/session.js';
import { writeFileAtomic } from './atomic-write.js';
import { CheckpointError } from './errors.js';
import { decodeSafetensors, encodeSafetensors, type Safetensors, type TensorInput } from './safetensors.js';
import { decodeWeightFile } from './weight-file.js';

/**
 * A training checkpoint is one safetensors file: the weights under their PyTorch names and
 * layouts (so `safetensors.torch.load_file` + `load_state_dict(strict=False)` takes it as is),
 * the optimizer state as `optimizer.<slot>.<parameter>`, and in the metadata where training
 * stands (step, epoch, next batch), the seed, and a signature of the model's tensors so a
 * checkpoint of another model is refused by name.
 */
export const CHECKPOINT_FORMAT = 'cnnc-checkpoint/1';
const OPTIMIZER_PREFIX = 'optimizer.';

/** A parameter or state tensor of a model, as the runtime API names and shapes it. */
export interface ModelTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly role: 'param' | 'state';
}

export interface TrainingPosition {
  /** Completed optimizer steps. */
  readonly step: number;
  /** The epoch in progress (0-based) and the next batch in it. */
  readonly epoch: number;
  readonly batch: number;
}

export interface Checkpoint {
  readonly model: string;
  readonly position: TrainingPosition;
  readonly seed: number;
  readonly weights: Record<string, WeightTensor>;
  /** Slot → parameter → state (empty for plain SGD). */
  readonly optimizer: Record<string, Record<string, WeightTensor>>;
  /** The optimizer's name and hyperparameters when saved, to warn when a resume changes them. */
  readonly optimizerConfig: string;
}

/**
 * The model's parameters and running statistics in graph order (PyTorch's state_dict order),
 * without the constant γ/β a non-affine batchnorm gets, which PyTorch does not have.
 */
export function modelTensors(model: CheckedModel): ModelTensor[] {
  return requiredWeights(lowerModel(model, { mode: 'infer' })).map((t) => ({ name: t.name, shape: t.shape, role: t.role as 'param' | 'state' }));
}

export function encodeCheckpoint(c: Checkpoint): Uint8Array {
  const tensors: Record<string, TensorInput> = {};
  for (const [name, w] of Object.entries(c.weights)) tensors[name] = w;
  for (const [slot, byName] of Object.entries(c.optimizer)) {
    for (const [name, w] of Object.entries(byName)) tensors[`${OPTIMIZER_PREFIX}${slot}.${name}`] = w;
  }
  const signature = Object.entries(c.weights).map(([n, w]) => `${n}:${w.shape.join('x')}`).join(',');
  return encodeSafetensors(tensors, {
    format: CHECKPOINT_FORMAT,
    model: c.model,
    signature,
    step: String(c.position.step),
    epoch: String(c.position.epoch),
    batch: String(c.position.batch),
    seed: String(c.seed),
    optimizer: c.optimizerConfig,
    slots: Object.keys(c.optimizer).join(','),
  });
}

export async function saveCheckpoint(path: string, c: Checkpoint): Promise<void> {
  await writeFileAtomic(path, encodeCheckpoint(c));
}

/** Reads a cnnc checkpoint, checking it against `model`: every tensor present with its shape. */
export function loadCheckpoint(path: string, model: CheckedModel): Checkpoint {
  const file = readSafetensorsFile(path);
  const meta = file.metadata;
  if (meta.format !== CHECKPOINT_FORMAT) {
    throw new CheckpointError(path, `not a cnnc checkpoint (no "${CHECKPOINT_FORMAT}" metadata); to start from plain weights use --weights instead of --resume`);
  }
  const expected = modelTensors(model);
  const problems = tensorProblems(expected, file);
  if (problems.length) {
    throw new CheckpointError(path, `was saved from model '${meta.model}' and does not fit '${model.name}': ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}`);
  }
  const weights: Record<string, WeightTensor> = {};
  for (const t of expected) weights[t.name] = { shape: t.shape, data: floatData(file, t.name) };
  const optimizer: Record<string, Record<string, WeightTensor>> = {};
  for (const slot of (meta.slots ?? '').split(',').filter(Boolean)) {
    optimizer[slot] = {};
    for (const t of expected.filter((e) => e.role === 'param')) {
      const name = `${OPTIMIZER_PREFIX}${slot}.${t.name}`;
      if (!Object.hasOwn(file.tensors, name)) throw new CheckpointError(path, `optimizer state ${name} is missing`);
      optimizer[slot][t.name] = { shape: t.shape, data: floatData(file, name) };
    }
  }
  const int = (k: string): number => {
    const v = Number(meta[k]);
    if (!Number.isSafeInteger(v) || v < 0) throw new CheckpointError(path, `metadata "${k}" is not a count (${meta[k]})`);
    return v;
  };
  return {
    model: meta.model ?? '?',
    position: { step: int('step'), epoch: int('epoch'), batch: int('batch') },
    seed: int('seed'),
    weights,
    optimizer,
    optimizerConfig: meta.optimizer ?? '',
  };
}

/**
 * Reads weights from a safetensors file or a state dict saved by `torch.save` (.pt, .pth: the zip
 * format, through a restricted unpickler that runs nothing); told apart by their first bytes.
 */
export function readWeightsFile(path: string): Safetensors {
  return decodeWeightFile(readBytes(path), path);
}

/** Reads and decodes a safetensors file; unreadable or malformed files become CheckpointErrors. */
export function readSafetensorsFile(path: string): Safetensors {
  return decodeSafetensorsFile(path, readBytes(path));
}

function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CheckpointError(path, code === 'ENOENT' ? 'file not found' : `cannot read (${code ?? String(e)})`);
  }
}

function decodeSafetensorsFile(path: string, bytes: Uint8Array): Safetensors {
  try {
    return decodeSafetensors(bytes);
  } catch (e) {
    throw new CheckpointError(path, `is not a valid safetensors file: ${e instanceof Error ? e.message.replace(/^safetensors: /, '') : String(e)}`);
  }
}

function tensorProblems(expected: readonly ModelTensor[], file: Safetensors): string[] {
  const out: string[] = [];
  for (const t of expected) {
    const f = Object.hasOwn(file.tensors, t.name) ? file.tensors[t.name] : undefined;
    if (!f) out.push(`${t.name} is missing`);
    else if (f.shape.join('x') !== t.shape.join('x')) out.push(`${t.name} is ${f.shape.join('×')} in the file but ${t.shape.join('×')} in the model`);
  }
  const known = new Set(expected.map((t) => t.name));
  for (const name of Object.keys(file.tensors)) if (!name.startsWith(OPTIMIZER_PREFIX) && !known.has(name)) out.push(`${name} is not in the model`);
  return out;
}

function floatData(file: Safetensors, name: string): Float32Array {
  const t = file.tensors[name];
  if (t.dtype === 'I64') return Float32Array.from(t.data, (v) => Number(v));
  return t.data;
}
