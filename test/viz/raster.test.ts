import { describe, expect, it } from 'vitest';
import { heatPicture, inferno, overlay } from '../../src/viz/colormap.js';
import { inputMapping } from '../../src/viz/input.js';
import { decodePng, encodePng } from '../../src/viz/png.js';
import { GAP_COLOUR, grey, grid, gridLayout, normalise, pixel, rgb, upscale } from '../../src/viz/raster.js';

/** The raster helpers under the viz commands: exact pixels, not just sizes. */
describe('pictures', () => {
  it('normalise maps min→0 and max→1; a constant map is mid-grey; NaN becomes 0', () => {
    expect(Array.from(normalise([2, 4, 3]))).toEqual([0, 1, 0.5]);
    expect(Array.from(normalise([7, 7]))).toEqual([0.5, 0.5]);
    expect(Array.from(normalise([NaN, 1, 3, Infinity]))).toEqual([0, 0, 1, 0]);
  });

  it('upscale repeats each pixel into a block; grid puts tiles 1 pixel apart inside a 1-pixel border', () => {
    const a = upscale(grey([0, 1, 1, 0], 2, 2), 3);
    expect([a.width, a.height]).toEqual([6, 6]);
    for (let y = 0; y < 6; y++) for (let x = 0; x < 6; x++) expect(pixel(a, x, y)[0], `${x},${y}`).toBe((x < 3) === (y < 3) ? 0 : 255);
    const b = rgb([1, 0, 0, 1, 0, 0], 1, 2);
    const g = grid([a, b, a]);
    // 3 tiles → 2 columns, 2 rows of 6×6 cells
    expect([g.width, g.height]).toEqual([1 + 2 * 7, 1 + 2 * 7]);
    const layout = gridLayout([a, b, a]);
    expect([0, 1, 2].map((i) => layout.cell(i))).toEqual([{ x: 1, y: 1 }, { x: 8, y: 1 }, { x: 1, y: 8 }]);
    expect(pixel(g, 0, 0)).toEqual(GAP_COLOUR);
    expect(pixel(g, 7, 3)).toEqual(GAP_COLOUR);
    expect(pixel(g, 8, 1)).toEqual([255, 0, 0]);
    expect(pixel(g, 9, 1)).toEqual([0, 255, 0]);
    expect(pixel(g, 10, 1)).toEqual(GAP_COLOUR); // the small tile sits in the corner of its cell
    expect(pixel(g, 1 + 4, 8 + 1)).toEqual([255, 255, 255]);
    expect(pixel(g, 14, 14)).toEqual(GAP_COLOUR); // the empty fourth cell
  });

  it('PNG round trip keeps every byte', () => {
    const p = rgb(Float32Array.from({ length: 3 * 5 * 4 }, (_, i) => (i * 7) % 11 / 10), 5, 4);
    const q = decodePng(encodePng(p));
    expect([q.width, q.height]).toEqual([4, 5]);
    expect(Array.from(q.data)).toEqual(Array.from(p.data));
  });

  it('inferno runs from near-black to pale yellow with rising brightness; overlay keeps cold pixels as the image', () => {
    expect(inferno(0)).toEqual([0, 0, 4]);
    expect(inferno(1)).toEqual([252, 255, 164]);
    expect(inferno(NaN)).toEqual([0, 0, 4]);
    const luma = (c: readonly number[]) => 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
    for (let t = 0; t < 1; t += 0.05) expect(luma(inferno(t + 0.05))).toBeGreaterThan(luma(inferno(t)));
    const base = grey([0.2, 0.8], 1, 2);
    const o = overlay(base, [0, 1]);
    expect(pixel(o, 0, 0)).toEqual(pixel(base, 0, 0));
    const hot = heatPicture([1], 1, 1);
    pixel(o, 1, 0).forEach((v, c) => expect(Math.abs(v - (0.15 * 204 + 0.85 * pixel(hot, 0, 0)[c]))).toBeLessThanOrEqual(1));
  });

  it("maps pixels to the training section's (x − mean)/std and gradients back by 1/std", () => {
    const m = inputMapping({ mean: [0.5, 0.25], std: [2, 0.5] }, [2, 1, 2]);
    expect(Array.from(m.toModel(Float32Array.of(0.5, 1.5, 0.25, 0.75)))).toEqual([0, 0.5, 0, 1]);
    expect(Array.from(m.gradToPixels(Float32Array.of(1, 2, 3, 4)))).toEqual([0.5, 1, 6, 8]);
    const single = inputMapping({ mean: [0.1], std: [0.5] }, [3, 1, 1]);
    expect(Array.from(single.gradToPixels(Float32Array.of(1, 1, 1)))).toEqual([2, 2, 2]);
    const none = inputMapping(undefined, [1, 1, 2]);
    expect(Array.from(none.toModel(Float32Array.of(0.3, 0.6)))).toEqual([0.30000001192092896, 0.6000000238418579]);
  });
});
