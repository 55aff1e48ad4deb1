import type { Rgba } from './decode-image.js';

/**
 * RGBA bytes → a C×H×W float image in [0, 1], for C = 1 (grey) or 3 (RGB).
 *
 * Size rule, as in AlexNet and most ImageNet pipelines: scale so the image covers H×W keeping its
 * aspect ratio (the side that is short relative to the target becomes exactly the target), then
 * crop the centre. Nothing is stretched and no padding is invented; what is cut is the border.
 * Sampling is bilinear with pixel centres at half-integers (as PyTorch with align_corners=false
 * and OpenCV do), so an image already H×W comes through unchanged. Bilinear looks at 4 pixels
 * only: shrinking by more than 2× aliases, acceptable for data sets of roughly the right size.
 *
 * Grey is ITU-R BT.601 luma (0.299 R + 0.587 G + 0.114 B, as PIL's "L"); alpha is dropped, as
 * PIL's convert("RGB") does; grey sources become RGB by repeating the channel.
 */
export function toChw(img: Rgba, shape: readonly [number, number, number]): Float32Array {
  const [c, outH, outW] = shape;
  const planes = c === 1 ? [luma(img)] : [0, 1, 2].map((k) => channel(img, k));
  const out = new Float32Array(c * outH * outW);
  const s = Math.max(outH / img.height, outW / img.width);
  const rh = Math.max(outH, Math.round(img.height * s));
  const rw = Math.max(outW, Math.round(img.width * s));
  const ys = axis(outH, rh, img.height, Math.floor((rh - outH) / 2));
  const xs = axis(outW, rw, img.width, Math.floor((rw - outW) / 2));
  planes.forEach((plane, k) => {
    const base = k * outH * outW;
    for (let y = 0; y < outH; y++) {
      const r0 = ys.i0[y] * img.width;
      const r1 = ys.i1[y] * img.width;
      const fy = ys.f[y];
      for (let x = 0; x < outW; x++) {
        const { i0, i1, f } = xs;
        const top = plane[r0 + i0[x]] * (1 - f[x]) + plane[r0 + i1[x]] * f[x];
        const bottom = plane[r1 + i0[x]] * (1 - f[x]) + plane[r1 + i1[x]] * f[x];
        out[base + y * outW + x] = top * (1 - fy) + bottom * fy;
      }
    }
  });
  return out;
}

/** Source neighbours and weights along one axis: output i samples resized pixel i + offset. */
function axis(out: number, resized: number, src: number, offset: number): { i0: Int32Array; i1: Int32Array; f: Float64Array } {
  const i0 = new Int32Array(out);
  const i1 = new Int32Array(out);
  const f = new Float64Array(out);
  const scale = src / resized;
  for (let i = 0; i < out; i++) {
    const pos = Math.min(Math.max((i + offset + 0.5) * scale - 0.5, 0), src - 1);
    i0[i] = Math.floor(pos);
    i1[i] = Math.min(i0[i] + 1, src - 1);
    f[i] = pos - i0[i];
  }
  return { i0, i1, f };
}

function channel(img: Rgba, k: number): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = img.data[i * 4 + k] / 255;
  return out;
}

function luma(img: Rgba): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(n);
  const d = img.data;
  for (let i = 0; i < n; i++) out[i] = (0.299 * d[i * 4] + 0.587 * d[i * 4 + 1] + 0.114 * d[i * 4 + 2]) / 255;
  return out;
}
