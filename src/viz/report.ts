import type { ModelSummary } from '../check/summary.js';
import { escapeXml } from './escape.js';

/**
 * `cnnc viz report`: one self-contained HTML page about a model and an image — every picture
 * inline (PNG and SVG as data: URLs), no scripts, no fonts or styles from elsewhere, so it
 * opens offline, mails as one file and prints. Plain data in, text out; the CLI computes the
 * sections (viz/explain.ts) and writes the page.
 */

export interface ReportSection {
  /** Stable id (the page's anchors and the tests' handle). */
  readonly id: string;
  readonly title: string;
  /** One or two sentences: what the picture shows and the numbers worth reading. */
  readonly caption: string;
  /** PNG pictures, each with an optional label above it. */
  readonly pictures?: readonly { readonly label?: string; readonly png: Uint8Array }[];
  /** A standalone SVG document (diagram, curves), as an image (so ids in two documents cannot clash). */
  readonly svg?: string;
  /** Rows of a small table under the picture (first row: the header). */
  readonly table?: readonly (readonly string[])[];
}

export interface ReportInput {
  readonly model: string;
  readonly file: string;
  readonly image: string;
  readonly summary: ModelSummary;
  /** Class names with their probabilities, most likely first. */
  readonly prediction: readonly { readonly name: string; readonly p: number }[];
  readonly sections: readonly ReportSection[];
  /** What the page leaves out and why (no run folder, no data set for neighbours). */
  readonly omitted: readonly string[];
  /** When the page was made (ISO 8601), and by what. */
  readonly made: string;
}

const STYLE = `
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2330; margin: 0 auto; max-width: 1080px; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 32px 0 6px; border-bottom: 1px solid #dde2ea; padding-bottom: 4px; }
p.meta, p.caption { color: #4a5263; margin: 4px 0 10px; } nav a { margin-right: 12px; color: #1f5fae; }
img.pixels { image-rendering: pixelated; max-width: 100%; } img.svg { max-width: 100%; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; } td, th { padding: 2px 10px; border-bottom: 1px solid #eef0f4; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; } .bar { display: inline-block; height: 10px; background: #1f5fae; vertical-align: middle; }
ul.omitted { color: #4a5263; } figure { margin: 10px 0; } figcaption { font-size: 13px; color: #4a5263; margin-bottom: 3px; }
`;

export function renderReport(r: ReportInput): string {
  const top = r.prediction.slice(0, 5);
  const s = r.summary;
  const summaryRows: string[][] = [
    ['layer', 'op', 'line', 'output', 'params', 'MACs'],
    ...s.layers.map((l) => [l.name, l.op, String(l.line), l.shape.join('×'), l.params ? l.params.toLocaleString('en-US') : '', l.macs ? l.macs.toLocaleString('en-US') : '']),
  ];
  const body = [
    `<h1>${esc(r.model)}</h1>`,
    `<p class="meta">${esc(r.file)} · input ${esc(s.input.join('×'))} → ${esc(s.output.join('×'))} · ${s.totalParams.toLocaleString('en-US')} parameters · ${s.totalMacs.toLocaleString('en-US')} MACs per image · image ${esc(r.image)}</p>`,
    `<nav>${['prediction', 'summary', ...r.sections.map((x) => x.id)].map((id) => `<a href="#${id}">${esc(titleOf(id, r.sections))}</a>`).join('')}</nav>`,
    `<h2 id="prediction">Prediction</h2>`,
    `<table>${top.map((c) => `<tr><td>${esc(c.name)}</td><td class="n">${(100 * c.p).toFixed(2)}%</td><td><span class="bar" style="width:${Math.round(200 * c.p)}px"></span></td></tr>`).join('')}</table>`,
    `<h2 id="summary">Summary</h2>`,
    table(summaryRows, [2, 4, 5]),
    ...r.sections.map(section),
    r.omitted.length ? `<h2 id="omitted">Not on this page</h2><ul class="omitted">${r.omitted.map((o) => `<li>${esc(o)}</li>`).join('')}</ul>` : '',
    `<p class="meta">Made ${esc(r.made)} by cnnc viz report.</p>`,
  ];
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${esc(r.model)} — cnnc report</title>\n<style>${STYLE}</style>\n</head>\n<body>\n${body.filter(Boolean).join('\n')}\n</body>\n</html>\n`;
}

function section(x: ReportSection): string {
  const parts = [`<h2 id="${esc(x.id)}">${esc(x.title)}</h2>`, `<p class="caption">${esc(x.caption)}</p>`];
  if (x.svg) parts.push(`<img class="svg" alt="${esc(x.title)}" src="data:image/svg+xml;base64,${Buffer.from(x.svg, 'utf8').toString('base64')}">`);
  for (const p of x.pictures ?? []) {
    const img = `<img class="pixels" alt="${esc(p.label ?? x.title)}" src="data:image/png;base64,${Buffer.from(p.png).toString('base64')}">`;
    parts.push(p.label ? `<figure><figcaption>${esc(p.label)}</figcaption>${img}</figure>` : img);
  }
  if (x.table) parts.push(table(x.table, []));
  return `<section>\n${parts.join('\n')}\n</section>`;
}

function titleOf(id: string, sections: readonly ReportSection[]): string {
  return id === 'prediction' ? 'Prediction' : id === 'summary' ? 'Summary' : (sections.find((s) => s.id === id)?.title ?? id);
}

function table(rows: readonly (readonly string[])[], numeric: readonly number[]): string {
  const [head, ...rest] = rows;
  const cell = (tag: string, v: string, i: number) => `<${tag}${numeric.includes(i) ? ' class="n"' : ''}>${esc(v)}</${tag}>`;
  return `<table><tr>${head.map((h, i) => cell('th', h, i)).join('')}</tr>${rest.map((r) => `<tr>${r.map((v, i) => cell('td', v, i)).join('')}</tr>`).join('')}</table>`;
}

function esc(text: string): string {
  return escapeXml(text);
}
