import type { Metrics } from './metrics.js';

/**
 * The training curves as a standalone SVG: loss per step (light) with a moving average, per-epoch
 * training and validation loss on the left panel; per-epoch training and validation accuracy on
 * the right. Hand-written: two line charts do not justify a plotting dependency.
 */
const W = 360;
const H = 240;
const PAD = { left: 48, right: 12, top: 28, bottom: 36 };
const COLORS = { step: '#c6d4e8', train: '#1f5fae', validation: '#d1495b' };

interface Series {
  readonly points: readonly (readonly [number, number])[];
  readonly color: string;
  readonly label: string;
  readonly width?: number;
}

export function renderCurves(m: Metrics): string {
  const stepsPerEpoch = m.epochs.length && m.steps.length ? m.steps.length / Math.max(1, m.epochs.length) : 1;
  const x = (s: { step: number }) => (s.step + 1) / stepsPerEpoch;
  const loss: Series[] = [
    { points: m.steps.filter((s) => Number.isFinite(s.loss)).map((s) => [x(s), s.loss]), color: COLORS.step, label: 'loss per step', width: 1 },
    { points: m.epochs.map((e) => [e.epoch + 1, e.trainLoss]), color: COLORS.train, label: 'train' },
    { points: m.epochs.filter((e) => e.validationLoss !== undefined).map((e) => [e.epoch + 1, e.validationLoss!]), color: COLORS.validation, label: m.epochs[0]?.validationSplit ?? 'validation' },
  ];
  const acc: Series[] = [
    { points: m.epochs.map((e) => [e.epoch + 1, 100 * e.trainAccuracy]), color: COLORS.train, label: 'train' },
    { points: m.epochs.filter((e) => e.validationAccuracy !== undefined).map((e) => [e.epoch + 1, 100 * e.validationAccuracy!]), color: COLORS.validation, label: m.epochs[0]?.validationSplit ?? 'validation' },
  ];
  const body = [panel(0, `${m.model}: loss`, loss, false), panel(W, 'accuracy (%)', acc, true)].join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H}" viewBox="0 0 ${2 * W} ${H}" font-family="sans-serif" font-size="11">\n<rect width="100%" height="100%" fill="white"/>\n${body}\n</svg>\n`;
}

function panel(x0: number, title: string, series: readonly Series[], percent: boolean): string {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return `<text x="${x0 + W / 2}" y="${H / 2}" text-anchor="middle">${escape(title)}: no data yet</text>`;
  const [xmin, xmax] = range(all.map((p) => p[0]), 0);
  let [ymin, ymax] = range(all.map((p) => p[1]));
  if (percent) ymax = Math.min(100, ymax);
  const sx = (v: number) => x0 + PAD.left + ((v - xmin) / (xmax - xmin || 1)) * (W - PAD.left - PAD.right);
  const sy = (v: number) => PAD.top + (1 - (v - ymin) / (ymax - ymin || 1)) * (H - PAD.top - PAD.bottom);
  const out: string[] = [`<text x="${x0 + PAD.left}" y="16" font-weight="bold">${escape(title)}</text>`];
  for (const t of ticks(ymin, ymax)) {
    out.push(`<line x1="${sx(xmin)}" x2="${sx(xmax)}" y1="${sy(t)}" y2="${sy(t)}" stroke="#eee"/>`);
    out.push(`<text x="${x0 + PAD.left - 4}" y="${sy(t) + 4}" text-anchor="end">${fmt(t)}</text>`);
  }
  for (const t of ticks(xmin, xmax)) out.push(`<text x="${sx(t)}" y="${H - PAD.bottom + 14}" text-anchor="middle">${fmt(t)}</text>`);
  out.push(`<text x="${x0 + (W + PAD.left) / 2}" y="${H - 6}" text-anchor="middle">epoch</text>`);
  out.push(`<rect x="${sx(xmin)}" y="${PAD.top}" width="${sx(xmax) - sx(xmin)}" height="${H - PAD.top - PAD.bottom}" fill="none" stroke="#999"/>`);
  series.forEach((s, i) => {
    if (s.points.length === 0) return;
    const d = s.points.map((p, j) => `${j ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join('');
    out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.width ?? 2}"/>`);
    if (s.points.length === 1) out.push(`<circle cx="${sx(s.points[0][0])}" cy="${sy(s.points[0][1])}" r="3" fill="${s.color}"/>`);
    const ly = PAD.top + 12 + 14 * i;
    out.push(`<line x1="${x0 + W - 120}" x2="${x0 + W - 104}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"/><text x="${x0 + W - 100}" y="${ly}">${escape(s.label)}</text>`);
  });
  return `<g>${out.join('\n')}</g>`;
}

function range(v: readonly number[], floor?: number): [number, number] {
  let lo = Math.min(...v);
  let hi = Math.max(...v);
  if (floor !== undefined) lo = Math.min(lo, floor);
  if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
  return [lo, hi];
}

/** About five round tick values inside [lo, hi]. */
function ticks(lo: number, hi: number): number[] {
  const step = 10 ** Math.floor(Math.log10((hi - lo) / 5));
  const nice = [1, 2, 5, 10].map((k) => k * step).find((s) => (hi - lo) / s <= 6) ?? 10 * step;
  const out: number[] = [];
  for (let t = Math.ceil(lo / nice) * nice; t <= hi + 1e-9; t += nice) out.push(t);
  return out;
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 || Number.isInteger(v) ? String(Math.round(v)) : v.toPrecision(2);
}

function escape(s: string): string {
  return s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
