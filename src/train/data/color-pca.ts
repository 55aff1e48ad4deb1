import { DataError } from '../errors.js';

/**
 * Principal components of a data set's RGB colours, for AlexNet's colour augmentation: the 3×3
 * covariance of pixel values over all pixels of all images, and its eigen-decomposition.
 */
export interface ColorPca {
  /** Eigenvalues, largest first (variances along the components). */
  readonly eigenvalues: readonly [number, number, number];
  /** Unit eigenvectors, eigenvectors[i] belonging to eigenvalues[i], as [r, g, b]. */
  readonly eigenvectors: readonly (readonly [number, number, number])[];
}

type Mat3 = number[][];

/** `images` is N×3×H×W; sums are float64 so the covariance keeps its digits on large sets. */
export function colorPca(images: Float32Array, shape: readonly [number, number, number]): ColorPca {
  const [c, h, w] = shape;
  if (c !== 3) throw new DataError('E_DATA_OPTION', `colour PCA needs RGB images, these have ${c} channel(s)`);
  const plane = h * w;
  const n = Math.floor(images.length / (3 * plane));
  if (n === 0 || plane === 0) throw new DataError('E_DATA_EMPTY', 'colour PCA of an empty data set');
  const s = [0, 0, 0];
  const ss = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  for (let img = 0; img < n; img++) {
    const base = img * 3 * plane;
    for (let p = 0; p < plane; p++) {
      const v = [images[base + p], images[base + plane + p], images[base + 2 * plane + p]];
      for (let i = 0; i < 3; i++) {
        s[i] += v[i];
        for (let j = i; j < 3; j++) ss[i][j] += v[i] * v[j];
      }
    }
  }
  const count = n * plane;
  const cov: Mat3 = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  for (let i = 0; i < 3; i++) {
    for (let j = i; j < 3; j++) cov[i][j] = cov[j][i] = ss[i][j] / count - (s[i] / count) * (s[j] / count);
  }
  return eigenSymmetric3(cov);
}

/** Eigen-decomposition of a symmetric 3×3 matrix by cyclic Jacobi rotations. */
export function eigenSymmetric3(m: readonly (readonly number[])[]): ColorPca {
  const a = m.map((r) => [...r]);
  const v: Mat3 = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = a[0][1] ** 2 + a[0][2] ** 2 + a[1][2] ** 2;
    if (off < 1e-30) break;
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]]) {
      if (a[p][q] === 0) continue;
      // Rotation angle that zeroes a[p][q] (Numerical Recipes' stable form).
      const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const cs = 1 / Math.sqrt(t * t + 1);
      const sn = t * cs;
      for (let k = 0; k < 3; k++) {
        const akp = a[k][p];
        const akq = a[k][q];
        a[k][p] = cs * akp - sn * akq;
        a[k][q] = sn * akp + cs * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = a[p][k];
        const aqk = a[q][k];
        a[p][k] = cs * apk - sn * aqk;
        a[q][k] = sn * apk + cs * aqk;
      }
      for (let k = 0; k < 3; k++) {
        const vkp = v[k][p];
        const vkq = v[k][q];
        v[k][p] = cs * vkp - sn * vkq;
        v[k][q] = sn * vkp + cs * vkq;
      }
    }
  }
  const order = [0, 1, 2].sort((i, j) => a[j][j] - a[i][i]);
  const vec = (i: number): [number, number, number] => [v[0][i], v[1][i], v[2][i]];
  return {
    // Rounding can leave a tiny negative variance; a variance is never below zero.
    eigenvalues: [Math.max(a[order[0]][order[0]], 0), Math.max(a[order[1]][order[1]], 0), Math.max(a[order[2]][order[2]], 0)],
    eigenvectors: order.map(vec),
  };
}
