import { describe, expect, it } from 'vitest';
import { nearest } from '../../src/viz/neighbors.js';

describe('nearest', () => {
  const items = Float32Array.from([/* 0 */ 1, 0, /* 1 */ 0, 2, /* 2 */ 3, 0.1, /* 3 */ 0, 0, /* 4 */ 2, 0]);
  it('l2: by Euclidean distance, ties by index', () => {
    expect(nearest(Float32Array.of(1, 0), items, 2, 3, 'l2').map((n) => [n.index, Number(n.distance.toFixed(4))])).toEqual([[0, 0], [3, 1], [4, 1]]);
  });
  it('cosine: direction only (item 4 is item 0 scaled, so also at 0); a zero vector counts as orthogonal', () => {
    const got = nearest(Float32Array.of(1, 0), items, 2, 5, 'cosine');
    expect(got.slice(0, 2)).toEqual([{ index: 0, distance: 0 }, { index: 4, distance: 0 }]);
    expect(got[2].index).toBe(2);
    expect(got[2].distance).toBeCloseTo(1 - 3 / Math.hypot(3, 0.1), 8);
    expect(got.slice(3).map((n) => n.distance)).toEqual([1, 1]);
  });
});
