import { writeFileSync } from 'node:fs';
import { loadMnist } from '../src/train/data/mnist.js';
import { encodePng } from '../src/viz/png.js';
import { grey } from '../src/viz/raster.js';

/**
 * Writes one MNIST image as a 28×28 grey PNG, optionally moved by (dx, dy) pixels with black
 * filling in, for the README pictures (scripts/readme-pictures.sh):
 *   npx tsx scripts/mnist-digit.ts test 0 out.png [dx dy]
 * Prints the image's label.
 */
const [split, index, out, dx = '0', dy = '0'] = process.argv.slice(2);
if (!out || (split !== 'train' && split !== 'test')) {
  process.stderr.write('usage: tsx scripts/mnist-digit.ts train|test INDEX OUT.png [DX DY]\n');
  process.exit(2);
}
const ds = loadMnist(undefined, split);
const i = Number(index);
const src = ds.images.subarray(i * 784, (i + 1) * 784);
const moved = new Float32Array(784);
for (let y = 0; y < 28; y++)
  for (let x = 0; x < 28; x++) {
    const [sx, sy] = [x - Number(dx), y - Number(dy)];
    if (sx >= 0 && sy >= 0 && sx < 28 && sy < 28) moved[y * 28 + x] = src[sy * 28 + sx];
  }
writeFileSync(out, encodePng(grey(moved, 28, 28)));
process.stdout.write(`${ds.labels[i]}\n`);
