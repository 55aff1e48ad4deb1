import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pngjs from 'pngjs';
import jpeg from 'jpeg-js';
import { loadImage, loadImageFolder } from '../../../src/train/data/images.js';
import { DataError } from '../../../src/train/errors.js';
import { tempDir, thrown } from './tmp.js';

type Rgb = [number, number, number];

/** An RGBA buffer whose pixel (x, y) is f(x, y), opaque. */
function rgba(width: number, height: number, f: (x: number, y: number) => Rgb): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([...f(x, y), 255], (y * width + x) * 4);
  }
  return data;
}

function png(width: number, height: number, f: (x: number, y: number) => Rgb, options: pngjs.PackerOptions = {}): Buffer {
  const img = new pngjs.PNG({ width, height });
  img.data.set(rgba(width, height, f));
  return pngjs.PNG.sync.write(img, options);
}

function jpg(width: number, height: number, f: (x: number, y: number) => Rgb): Buffer {
  return jpeg.encode({ width, height, data: rgba(width, height, f) }, 100).data;
}

const pattern = (x: number, y: number): Rgb => [x * 40 + 10, y * 50 + 5, 200 - x * 10 - y * 20];
const at = (img: Float32Array, h: number, w: number, c: number, y: number, x: number): number => img[c * h * w + y * w + x];

describe('image folder data sets', () => {
  it('takes classes from sorted subfolders and decodes PNG and JPEG to CHW in [0, 1]', () => {
    const root = tempDir('images');
    for (const d of ['dog', 'cat', '.hidden']) mkdirSync(join(root, d));
    writeFileSync(join(root, 'cat', 'b.png'), png(4, 4, pattern));
    writeFileSync(join(root, 'cat', 'a.JPG'), jpg(4, 4, () => [250, 128, 3]));
    writeFileSync(join(root, 'cat', 'notes.txt'), 'ignored');
    writeFileSync(join(root, 'dog', 'c.jpeg'), jpg(8, 8, () => [0, 255, 64]));
    writeFileSync(join(root, '.hidden', 'd.png'), png(4, 4, pattern));
    writeFileSync(join(root, 'README'), 'ignored');
    const ds = loadImageFolder(root, { shape: [3, 4, 4] });
    expect(ds.classNames).toEqual(['cat', 'dog']);
    expect(ds.classes).toBe(2);
    expect(Array.from(ds.labels)).toEqual([0, 0, 1]);
    expect(ds.shape).toEqual([3, 4, 4]);
    // a.JPG first (sorted names): a flat colour survives JPEG at quality 100 within a step or two.
    const a = ds.images.subarray(0, 48);
    for (let i = 0; i < 16; i++) {
      expect(Math.abs(a[i] * 255 - 250)).toBeLessThanOrEqual(2);
      expect(Math.abs(a[16 + i] * 255 - 128)).toBeLessThanOrEqual(2);
      expect(Math.abs(a[32 + i] * 255 - 3)).toBeLessThanOrEqual(2);
    }
    // b.png exactly, channel-major.
    const b = ds.images.subarray(48, 96);
    for (let y = 0; y < 4; y++) {
      for (let x = 0; x < 4; x++) for (let c = 0; c < 3; c++) expect(at(b, 4, 4, c, y, x)).toBeCloseTo(pattern(x, y)[c] / 255, 6);
    }
    // c.jpeg is 8×8, shrunk to 4×4: still the flat colour.
    const dog = ds.images.subarray(96);
    expect(Math.abs(dog[16] * 255 - 255)).toBeLessThanOrEqual(2);
  });

  it('converts to grey with BT.601 luma, and grey PNGs to RGB', () => {
    const dir = tempDir('images');
    writeFileSync(join(dir, 'rgb.png'), png(4, 4, pattern));
    writeFileSync(join(dir, 'grey.png'), png(3, 3, (x, y) => [x * 60 + y, x * 60 + y, x * 60 + y], { colorType: 0 }));
    const grey = loadImage(join(dir, 'rgb.png'), [1, 4, 4]);
    const [r, g, b] = pattern(2, 1);
    expect(at(grey, 4, 4, 0, 1, 2)).toBeCloseTo((0.299 * r + 0.587 * g + 0.114 * b) / 255, 6);
    const rgb = loadImage(join(dir, 'grey.png'), [3, 3, 3]);
    for (let c = 0; c < 3; c++) expect(at(rgb, 3, 3, c, 2, 1)).toBeCloseTo(62 / 255, 6);
  });

  it('resizes the shorter side to fit, then crops the centre, bilinearly', () => {
    const dir = tempDir('images');
    // 8 wide × 4 high into 4×4: no scaling, columns 2..5 kept.
    writeFileSync(join(dir, 'wide.png'), png(8, 4, pattern));
    const wide = loadImage(join(dir, 'wide.png'), [3, 4, 4]);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) expect(at(wide, 4, 4, 1, y, x)).toBeCloseTo(pattern(x + 2, y)[1] / 255, 6);
    // 4×8 → 2×2 halves both sides: each output is the mean of a 2×2 block (of the centre crop).
    writeFileSync(join(dir, 'tall.png'), png(4, 8, pattern));
    const tall = loadImage(join(dir, 'tall.png'), [3, 2, 2]);
    const mean = (c: number, x0: number, y0: number): number =>
      (pattern(x0, y0)[c] + pattern(x0 + 1, y0)[c] + pattern(x0, y0 + 1)[c] + pattern(x0 + 1, y0 + 1)[c]) / 4 / 255;
    // Scale 0.5 makes the image 2×4; the crop keeps resized rows 1..2, i.e. source rows 2..5.
    expect(at(tall, 2, 2, 0, 0, 0)).toBeCloseTo(mean(0, 0, 2), 6);
    expect(at(tall, 2, 2, 2, 1, 1)).toBeCloseTo(mean(2, 2, 4), 6);
    // 2×2 → 4×4 doubles: edges clamp, inner samples mix 3:1.
    writeFileSync(join(dir, 'small.png'), png(2, 2, (x, y) => [x * 100, y * 100, 0]));
    const up = loadImage(join(dir, 'small.png'), [3, 4, 4]);
    expect(at(up, 4, 4, 0, 0, 0)).toBe(0);
    expect(at(up, 4, 4, 0, 0, 3)).toBeCloseTo(100 / 255, 6);
    expect(at(up, 4, 4, 0, 0, 1)).toBeCloseTo(25 / 255, 6);
    expect(at(up, 4, 4, 1, 2, 0)).toBeCloseTo(75 / 255, 6);
  });

  it('names the file of an unreadable or corrupt image', () => {
    const root = tempDir('images');
    mkdirSync(join(root, 'a'));
    const good = png(4, 4, pattern);
    const cases: [string, Uint8Array][] = [
      ['junk.png', new TextEncoder().encode('not an image at all')],
      ['cut.png', good.subarray(0, good.length - 20)],
      ['bad.jpg', Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5])],
    ];
    for (const [name, bytes] of cases) {
      const file = join(root, 'a', name);
      writeFileSync(file, bytes);
      const e = thrown(() => loadImageFolder(root, { shape: [3, 4, 4] }));
      expect(e, name).toBeInstanceOf(DataError);
      expect((e as DataError).code, name).toBe('E_DATA_IMAGE');
      expect((e as DataError).file, name).toBe(file);
      writeFileSync(file, good);
    }
  });

  it('rejects empty class folders, missing folders and impossible shapes', () => {
    const root = tempDir('images');
    expect((thrown(() => loadImageFolder(root, { shape: [3, 4, 4] })) as DataError).code).toBe('E_DATA_EMPTY');
    mkdirSync(join(root, 'empty'));
    const e = thrown(() => loadImageFolder(root, { shape: [3, 4, 4] })) as DataError;
    expect(e.code).toBe('E_DATA_EMPTY');
    expect(e.file).toBe(join(root, 'empty'));
    expect((thrown(() => loadImageFolder(join(root, 'nope'), { shape: [3, 4, 4] })) as DataError).code).toBe('E_DATA_MISSING');
    expect((thrown(() => loadImageFolder(root, { shape: [2, 4, 4] })) as DataError).code).toBe('E_DATA_OPTION');
    expect((thrown(() => loadImageFolder(root, { shape: [3, 0, 4] })) as DataError).code).toBe('E_DATA_OPTION');
  });
});
