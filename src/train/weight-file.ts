import { CnncError } from '../diagnostics/run-error.js';
import type { WeightTensor } from '../engine/session.js';
import type { Dataset } from './data/dataset.js';
import { CheckpointError } from './errors.js';
import { decodeSafetensors, type Safetensors } from './safetensors.js';
import { decodeTorchZip, isLegacyTorch, isTorchZip } from './torch-file.js';
import { PickleError } from './torch-pickle.js';

/**
 * A weights file's bytes, whatever wrote them: safetensors (cnnc, the safetensors package) or a
 * torch.save state dict (zip format, through the restricted unpickler). No file system, so a
 * browser can pass the bytes of a fetch or a file input; `name` is for messages.
 */
export function decodeWeightFile(bytes: Uint8Array, name = 'the weights'): Safetensors {
  if (isLegacyTorch(bytes)) {
    throw new CheckpointError(name, 'is in the legacy torch.save format (before PyTorch 1.6), which cnnc does not read', { help: 'save it again from PyTorch: torch.save(torch.load(path), path)' });
  }
  if (!isTorchZip(bytes)) {
    try {
      return decodeSafetensors(bytes);
    } catch (e) {
      throw new CheckpointError(name, `is not a valid safetensors file: ${e instanceof Error ? e.message.replace(/^safetensors: /, '') : String(e)}`);
    }
  }
  try {
    return decodeTorchZip(bytes);
  } catch (e) {
    if (!(e instanceof PickleError)) throw e;
    if (e.unsafe) throw new CnncError('E_PT_UNSAFE', e.message, { file: name, help: 'only state dicts (tensors by name) are read; save model.state_dict(), not the model' });
    throw new CheckpointError(name, `is not a state dict saved by torch.save: ${e.message}`);
  }
}

/**
 * The floating-point tensors of a weights file as `setWeights` takes them (a compiled module's,
 * a session's, a probe's): float32 by name. Integer tensors, PyTorch's num_batches_tracked, have
 * no counterpart in cnnc and are left out.
 *
 *     await model.setWeights(weightsOf(decodeWeightFile(bytes)))
 */
export function weightsOf(file: Safetensors): Record<string, WeightTensor> {
  const out: Record<string, WeightTensor> = {};
  for (const [name, t] of Object.entries(file.tensors)) if (t.dtype !== 'I64') out[name] = { shape: t.shape, data: t.data };
  return out;
}

/** Metadata of a weights file: PyTorch's marker, the model, and the class names predict prints. */
export function weightsMetadata(model: string, data: Dataset): Record<string, string> {
  const names = data.classNames ?? Array.from({ length: data.classes }, (_, i) => String(i));
  return { format: 'pt', model, classes: JSON.stringify(names) };
}
