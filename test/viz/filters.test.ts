import { describe, expect, it } from 'vitest';
import { convLayers, renderFilters } from '../../src/viz/filters.js';
import { lowerModel } from '../../src/ir/lower.js';
import { decodePng, encodePng } from '../../src/viz/png.js';
import { GAP_COLOUR, gridLayout, pixel, type Picture, type Rgb } from '../../src/viz/raster.js';
import { cleanModel } from '../helpers.js';

/** Every pixel of block (r, c) of a tile at (x0, y0) made of `scale`-sized blocks. */
function expectBlock(p: Picture, x0: number, y0: number, scale: number, r: number, c: number, colour: Rgb): void {
  for (let y = 0; y < scale; y++)
    for (let x = 0; x < scale; x++) expect(pixel(p, x0 + c * scale + x, y0 + r * scale + y), `block ${r},${c} pixel ${x},${y}`).toEqual(colour);
}

const W: Rgb = [255, 255, 255];
const K: Rgb = [0, 0, 0];

describe('viz filters', () => {
  it('finds the first conv layer and its weight', () => {
    const m = cleanModel('model t {\n  input x: 1 x 8 x 8\n  x -> conv(2, 3) -> relu -> conv(4, 3, pad: 1) -> flatten -> dense(2)\n}');
    expect(convLayers(lowerModel(m, { mode: 'infer' })).map((c) => [c.layer, c.weight, c.shape.join('×')])).toEqual([
      ['conv1', 'conv1.weight', '2×1×3×3'],
      ['conv2', 'conv2.weight', '4×2×3×3'],
    ]);
  });

  it('hand-set grey kernels render as their patterns, each normalised on its own (through PNG)', () => {
    // kernel 0: a plus of 1s on 0s; kernel 1: a diagonal of −1 on 2s (another scale and sign)
    const plus = [0, 1, 0, 1, 1, 1, 0, 1, 0];
    const diag = [-1, 2, 2, 2, -1, 2, 2, 2, -1];
    const p = decodePng(encodePng(renderFilters(Float32Array.from([...plus, ...diag]), [2, 1, 3, 3], { scale: 5 })));
    expect([p.width, p.height]).toEqual([1 + 2 * 16, 1 + 16]);
    const tiles = [{ width: 15, height: 15, data: new Uint8Array() }, { width: 15, height: 15, data: new Uint8Array() }];
    const layout = gridLayout(tiles);
    for (let r = 0; r < 3; r++)
      for (let c = 0; c < 3; c++) {
        expectBlock(p, layout.cell(0).x, layout.cell(0).y, 5, r, c, plus[r * 3 + c] ? W : K);
        expectBlock(p, layout.cell(1).x, layout.cell(1).y, 5, r, c, diag[r * 3 + c] < 0 ? K : W);
      }
    expect(pixel(p, 16, 5)).toEqual(GAP_COLOUR);
  });

  it('a 3-channel kernel renders in colour: each input channel is its colour channel', () => {
    // 2×2 kernel, channels R, G, B: red top-left, green top-right, blue bottom-left, bottom-right 0
    const w = Float32Array.from([1, 0, 0, 0, /* G */ 0, 1, 0, 0, /* B */ 0, 0, 1, 0]);
    const p = decodePng(encodePng(renderFilters(w, [1, 3, 2, 2], { scale: 4 })));
    expectBlock(p, 1, 1, 4, 0, 0, [255, 0, 0]);
    expectBlock(p, 1, 1, 4, 0, 1, [0, 255, 0]);
    expectBlock(p, 1, 1, 4, 1, 0, [0, 0, 255]);
    expectBlock(p, 1, 1, 4, 1, 1, K);
  });

  it('kernels over 2 channels: a row per kernel, a grey tile per channel', () => {
    const w = Float32Array.from([0, 1, /* ch1 */ 1, 0, /* kernel 1 */ 1, 1, 0, 0]);
    const p = renderFilters(w, [2, 2, 1, 2], { scale: 1 });
    expect([p.width, p.height]).toEqual([1 + 2 * 3, 1 + 2 * 2]);
    expect([pixel(p, 1, 1), pixel(p, 2, 1), pixel(p, 4, 1), pixel(p, 5, 1)]).toEqual([K, W, W, K]);
    expect([pixel(p, 1, 3), pixel(p, 2, 3), pixel(p, 4, 3), pixel(p, 5, 3)]).toEqual([W, W, K, K]);
  });
});
