import { DataError } from '../errors.js';
import { datasetSize, subset, type Dataset } from './dataset.js';
import { Rng, permutation } from './rng.js';

/** The data set in an order fixed by `seed`. */
export function shuffleDataset(ds: Dataset, seed: number): Dataset {
  return subset(ds, permutation(datasetSize(ds), new Rng(seed, 0x5348)));
}

/**
 * Holds out round(N × fraction) images, drawn at random with `seed`, as a validation set; both
 * parts keep their original relative order so that a split is a pure function of (data, seed).
 */
export function splitValidation(ds: Dataset, fraction: number, seed: number): { train: Dataset; validation: Dataset } {
  if (!(fraction >= 0 && fraction < 1)) throw new DataError('E_DATA_OPTION', `validation fraction ${fraction} is not in [0, 1)`);
  const n = datasetSize(ds);
  const held = Math.round(n * fraction);
  const perm = permutation(n, new Rng(seed, 0x5350));
  const inValidation = new Uint8Array(n);
  for (let i = 0; i < held; i++) inValidation[perm[i]] = 1;
  const train: number[] = [];
  const validation: number[] = [];
  for (let i = 0; i < n; i++) (inValidation[i] ? validation : train).push(i);
  return { train: subset(ds, train), validation: subset(ds, validation) };
}
