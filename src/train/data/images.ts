import { readdirSync, type Dirent } from 'node:fs';
import { extname, join } from 'node:path';
import { DataError } from '../errors.js';
import { imageSize, type Dataset } from './dataset.js';
import { readDataFile } from './read-file.js';
import { decodeImage } from './decode-image.js';
import { toChw } from './resample.js';

/**
 * An image-folder data set, `DIR/<class>/<image>.png|jpg|jpeg`: class k is the k-th subfolder in
 * sorted order (code-unit order, the same on every machine and locale); images within a class
 * are taken in sorted file-name order, so a load is reproducible. Hidden entries (".DS_Store")
 * and files with other extensions are ignored. Images are fitted to `shape` as toChw describes.
 */

export interface ImageFolderOptions {
  /** [C, H, W] of the result; C is 1 (grey) or 3 (RGB). */
  readonly shape: readonly [number, number, number];
}

const EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function list(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => !e.name.startsWith('.'));
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new DataError(missing ? 'E_DATA_MISSING' : 'E_DATA_READ', missing ? 'folder not found' : 'cannot list folder', dir, { cause: e });
  }
}

/** One image file as a C×H×W tensor in [0, 1], e.g. for prediction. */
export function loadImage(file: string, shape: readonly [number, number, number]): Float32Array {
  checkShape(shape);
  return toChw(decodeImage(readDataFile(file), file), shape);
}

export function loadImageFolder(dir: string, options: ImageFolderOptions): Dataset {
  const { shape } = options;
  checkShape(shape);
  const classNames = list(dir).filter((e) => e.isDirectory()).map((e) => e.name).sort(byName);
  if (classNames.length === 0) throw new DataError('E_DATA_EMPTY', 'no class subfolders (expected DIR/<class>/<image>.png|jpg|jpeg)', dir);
  const files: { path: string; label: number }[] = [];
  classNames.forEach((name, label) => {
    const folder = join(dir, name);
    const images = list(folder)
      .filter((e) => (e.isFile() || e.isSymbolicLink()) && EXTENSIONS.has(extname(e.name).toLowerCase()))
      .map((e) => e.name)
      .sort(byName);
    if (images.length === 0) throw new DataError('E_DATA_EMPTY', 'class folder holds no .png, .jpg or .jpeg image', folder);
    for (const f of images) files.push({ path: join(folder, f), label });
  });
  const size = imageSize(shape);
  const data = new Float32Array(files.length * size);
  const labels = new Int32Array(files.length);
  files.forEach(({ path, label }, i) => {
    data.set(toChw(decodeImage(readDataFile(path), path), shape), i * size);
    labels[i] = label;
  });
  return { images: data, labels, shape: [shape[0], shape[1], shape[2]], classes: classNames.length, classNames };
}

function checkShape(shape: readonly [number, number, number]): void {
  const [c, h, w] = shape;
  if (c !== 1 && c !== 3) throw new DataError('E_DATA_OPTION', `images can have 1 (grey) or 3 (RGB) channels, not ${c}`);
  if (!(Number.isInteger(h) && Number.isInteger(w) && h > 0 && w > 0)) {
    throw new DataError('E_DATA_OPTION', `image size ${h}×${w} is not a positive whole size`);
  }
}
