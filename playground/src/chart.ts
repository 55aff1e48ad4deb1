/** A small line chart as SVG: one series of [x, y] points, axes labelled at their ends. */
export interface ChartOptions {
  readonly title: string;
  readonly yMin?: number;
  readonly yMax?: number;
  /** How y values are printed on the axis and in the title's last value. */
  readonly format: (y: number) => string;
}

const W = 320;
const H = 160;
const PAD = { left: 44, right: 10, top: 22, bottom: 22 };

export function lineChart(points: readonly (readonly [number, number])[], opts: ChartOptions): string {
  const finite = points.filter(([, y]) => Number.isFinite(y));
  const xs = finite.map(([x]) => x);
  const ys = finite.map(([, y]) => y);
  const x0 = Math.min(0, ...xs);
  const x1 = Math.max(1, ...xs);
  const y0 = opts.yMin ?? Math.min(...ys, 0);
  const y1 = opts.yMax ?? Math.max(...ys, 1e-6);
  const px = (x: number) => PAD.left + ((x - x0) / (x1 - x0 || 1)) * (W - PAD.left - PAD.right);
  const py = (y: number) => H - PAD.bottom - ((y - y0) / (y1 - y0 || 1)) * (H - PAD.top - PAD.bottom);
  const path = finite.map(([x, y], i) => `${i ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join('');
  const last = finite.at(-1);
  const title = `${opts.title}${last ? `: ${opts.format(last[1])}` : ''}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" class="chart" role="img" aria-label="${title}">
  <text x="${PAD.left}" y="14" class="chart-title">${title}</text>
  <line x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" class="axis"/>
  <line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${H - PAD.bottom}" class="axis"/>
  <text x="${PAD.left - 4}" y="${PAD.top + 4}" text-anchor="end" class="tick">${opts.format(y1)}</text>
  <text x="${PAD.left - 4}" y="${H - PAD.bottom}" text-anchor="end" class="tick">${opts.format(y0)}</text>
  <text x="${W - PAD.right}" y="${H - 6}" text-anchor="end" class="tick">step ${Math.round(x1)}</text>
  <path d="${path}" class="series"/>
</svg>`;
}
