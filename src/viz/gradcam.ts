/**
 * Grad-CAM (Selvaraju et al., 2017): where in a conv layer's output the evidence for a class lies.
 * Each channel k of the layer's output A is weighed by the mean over positions of the class score's
 * gradient reaching it, α_k = mean(∂score/∂A_k); the map is relu(Σ_k α_k·A_k), at the layer's
 * resolution, resized to the image's to lay over it.
 */
export function gradCam(activation: ArrayLike<number>, grad: ArrayLike<number>, shape: readonly number[]): Float32Array {
  const [c, h, w] = shape;
  const p = h * w;
  if (shape.length !== 3 || activation.length !== c * p || grad.length !== c * p) throw new Error(`internal: Grad-CAM of ${activation.length} activations and ${grad.length} gradients for ${shape.join('×')}`);
  const cam = new Float32Array(p);
  for (let k = 0; k < c; k++) {
    let alpha = 0;
    for (let i = 0; i < p; i++) alpha += grad[k * p + i];
    alpha /= p;
    if (alpha === 0) continue;
    for (let i = 0; i < p; i++) cam[i] += alpha * activation[k * p + i];
  }
  for (let i = 0; i < p; i++) cam[i] = Math.max(0, cam[i]);
  return cam;
}

/**
 * An h×w map resized to H×W by bilinear interpolation, sampling at pixel centres (PyTorch's
 * `interpolate(mode='bilinear', align_corners=False)`), edges clamped.
 */
export function resizeBilinear(map: ArrayLike<number>, h: number, w: number, H: number, W: number): Float32Array {
  const out = new Float32Array(H * W);
  const at = (y: number, x: number) => map[Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x))];
  for (let Y = 0; Y < H; Y++) {
    const sy = Math.max(0, ((Y + 0.5) * h) / H - 0.5);
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    for (let X = 0; X < W; X++) {
      const sx = Math.max(0, ((X + 0.5) * w) / W - 0.5);
      const x0 = Math.floor(sx);
      const fx = sx - x0;
      const top = at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx;
      const bottom = at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx;
      out[Y * W + X] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}
