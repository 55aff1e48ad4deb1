import { strToU8, zipSync } from 'fflate';
import runtime from 'cnnc:module-runtime';
import {
  compileModule, encodeSafetensors, moduleFilesWith, weightsMetadata,
  type CheckedModel, type Dataset, type RuntimeFile, type WeightTensor,
} from '../../src/browser.js';

/** Saves bytes as a file through a temporary link (no server involved). */
export function saveBytes(name: string, bytes: Uint8Array, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The weights as `cnnc train` saves them: safetensors, PyTorch names, the class names in the metadata. */
export function weightsFile(model: CheckedModel, weights: Record<string, WeightTensor>, data: Dataset): Uint8Array {
  return encodeSafetensors(weights, weightsMetadata(model.name, data));
}

/**
 * The compiled module as `cnnc compile -o DIR` writes it (the ES module, its types, manifest, WGSL
 * and runtime), zipped into the folder `<model>/`, with the weights beside it when there are any.
 */
export function moduleZip(model: CheckedModel, sourceName: string, target: 'software' | 'gpu', weights: Uint8Array | undefined): Uint8Array {
  const compiled = compileModule(model, { target, fusion: true, seed: 0 });
  const files = moduleFilesWith(compiled, sourceName, (f: RuntimeFile) => runtime[f]);
  const entries: Record<string, Uint8Array> = {};
  for (const f of files) entries[`${model.name}/${f.path}`] = strToU8(f.text);
  if (weights) entries[`${model.name}/${model.name}.safetensors`] = weights;
  return zipSync(entries, { level: 6 });
}
