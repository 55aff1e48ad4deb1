import type { Picture } from '../../src/browser.js';

/**
 * A canvas to draw a digit on with the mouse, a pen or a finger (pointer events), and the MNIST
 * preparation of what was drawn: the strokes' bounding box scaled to fit 20×20 pixels, placed in
 * 28×28 with its centre of mass in the middle, as MNIST's digits were made (LeCun et al.).
 */
export class DigitPad {
  private drawing = false;
  private last: [number, number] | undefined;
  private readonly ctx: CanvasRenderingContext2D;

  constructor(readonly canvas: HTMLCanvasElement, private readonly onStroke: (final: boolean) => void) {
    this.ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    this.clear();
    canvas.addEventListener('pointerdown', (e) => {
      canvas.setPointerCapture(e.pointerId);
      this.drawing = true;
      this.last = this.at(e);
      this.line(this.last, this.last);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!this.drawing) return;
      const p = this.at(e);
      this.line(this.last!, p);
      this.last = p;
      this.onStroke(false);
    });
    const end = () => {
      if (!this.drawing) return;
      this.drawing = false;
      this.onStroke(true);
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }

  clear(): void {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  /** Whether anything has been drawn since the last clear. */
  get empty(): boolean {
    return bounds(this.ink()) === undefined;
  }

  private at(e: PointerEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * this.canvas.width) / r.width, ((e.clientY - r.top) * this.canvas.height) / r.height];
  }

  private line(a: [number, number], b: [number, number]): void {
    const c = this.ctx;
    c.strokeStyle = '#fff';
    c.lineWidth = this.canvas.width / 14;
    c.lineCap = 'round';
    c.lineJoin = 'round';
    c.beginPath();
    c.moveTo(a[0], a[1]);
    c.lineTo(b[0], b[1]);
    c.stroke();
  }

  /** The canvas as one grey level per pixel in [0, 1]. */
  private ink(): { values: Float32Array; width: number; height: number } {
    const { width, height } = this.canvas;
    const rgba = this.ctx.getImageData(0, 0, width, height).data;
    const values = new Float32Array(width * height);
    for (let i = 0; i < values.length; i++) values[i] = rgba[4 * i] / 255;
    return { values, width, height };
  }

  /** The drawing as a 1×28×28 MNIST image in [0, 1] (all zero when nothing is drawn). */
  mnistPixels(): Float32Array {
    const ink = this.ink();
    const box = bounds(ink);
    const out = new Float32Array(28 * 28);
    if (!box) return out;
    // Fit the box in 20×20 (aspect kept), drawn smooth by the browser's resampling.
    const side = Math.max(box.w, box.h);
    const scale = 20 / side;
    const small = document.createElement('canvas');
    small.width = small.height = 28;
    const s = small.getContext('2d', { willReadFrequently: true })!;
    s.fillStyle = '#000';
    s.fillRect(0, 0, 28, 28);
    s.imageSmoothingEnabled = true;
    s.imageSmoothingQuality = 'high';
    const w = box.w * scale;
    const h = box.h * scale;
    s.drawImage(this.canvas, box.x, box.y, box.w, box.h, (28 - w) / 2, (28 - h) / 2, w, h);
    const fitted = s.getImageData(0, 0, 28, 28).data;
    const grey = new Float32Array(28 * 28);
    for (let i = 0; i < grey.length; i++) grey[i] = fitted[4 * i] / 255;
    // Move the centre of mass to the middle (by whole pixels, as MNIST did).
    let mass = 0;
    let cx = 0;
    let cy = 0;
    grey.forEach((v, i) => {
      mass += v;
      cx += v * (i % 28);
      cy += v * Math.floor(i / 28);
    });
    const dx = Math.round(13.5 - cx / mass);
    const dy = Math.round(13.5 - cy / mass);
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        const sx = x - dx;
        const sy = y - dy;
        if (sx >= 0 && sx < 28 && sy >= 0 && sy < 28) out[y * 28 + x] = grey[sy * 28 + sx];
      }
    }
    return out;
  }
}

function bounds(ink: { values: Float32Array; width: number; height: number }): { x: number; y: number; w: number; h: number } | undefined {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -1, -1];
  for (let y = 0; y < ink.height; y++) {
    for (let x = 0; x < ink.width; x++) {
      if (ink.values[y * ink.width + x] <= 0.05) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  return x1 < 0 ? undefined : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/** An RGB picture (src/viz/raster.ts) on a canvas, at its own size. */
export function paint(canvas: HTMLCanvasElement, p: Picture): void {
  canvas.width = p.width;
  canvas.height = p.height;
  const img = new ImageData(p.width, p.height);
  for (let i = 0; i < p.width * p.height; i++) {
    img.data.set(p.data.subarray(3 * i, 3 * i + 3), 4 * i);
    img.data[4 * i + 3] = 255;
  }
  canvas.getContext('2d')!.putImageData(img, 0, 0);
}
