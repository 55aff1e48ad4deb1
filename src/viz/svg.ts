import { FONT, PAD_Y, CAPTION_GAP, lineHeight, type Line } from './box.js';
import { escapeXml } from './escape.js';
import { PALETTE, type Family } from './family.js';
import { formatCount, formatShape } from './format.js';
import { shiftLayout, type Layout, type PlacedCluster, type PlacedEdge, type PlacedItem, type Point } from './layout.js';
import { fitText, textWidth } from './measure.js';

/** Writes a laid-out diagram as one standalone SVG document: styles inline, no external references. */
export interface Heading {
  readonly title: string;
  readonly subtitle: string;
}

const FONT_STACK = `system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif`;
const HEADER_TITLE = 16;
const HEADER_SUB = 12;
const LEGEND_SIZE = 11;
const SWATCH = 11;
const CLUSTER_LABEL = 11;

const num = (v: number): string => String(Math.round(v * 10) / 10);

function stylesheet(): string {
  const families = (Object.keys(PALETTE) as Family[])
    .map((f) => {
      const p = PALETTE[f];
      return `.f-${f} .shape, .swatch.f-${f} { fill: ${p.fill}; stroke: ${p.stroke}; }\n.t-${f} { fill: ${p.stroke}; }`;
    })
    .join('\n');
  return `
text { font-family: ${FONT_STACK}; fill: #1f2933; }
.bg { fill: #ffffff; }
.shape { stroke-width: 1.3; }
.stack { fill: #ffffff; stroke-width: 1.1; }
.f-block .stack { stroke: ${PALETTE.block.stroke}; }
.t-title { fill: #101820; font-weight: 700; }
.t-body { fill: #1f2933; }
.t-muted { fill: #5b6675; }
.mark { font-weight: 700; fill: ${PALETTE.merge.stroke}; }
.cluster rect { fill: #64748b; fill-opacity: 0.055; stroke: #8795a6; stroke-width: 1; stroke-dasharray: 5 3; }
.cluster text { fill: #3e4c5c; font-weight: 700; paint-order: stroke; stroke: #ffffff; stroke-width: 3px; stroke-linejoin: round; }
.cluster .kind { fill: #6b7785; font-weight: 400; }
.edge path { fill: none; stroke: #6f7c8b; stroke-width: 1.3; }
.arrowhead { fill: #6f7c8b; }
.header .title { font-weight: 700; }
.header .sub, .legend text { fill: #4a5563; }
${families}
`;
}

/** A line of text centred on `cx` with its top at `top`; returns its height. */
function textLine(l: Line, cx: number, top: number, anchor: 'middle' | 'start' = 'middle'): string {
  const baseline = top + lineHeight(l) / 2 + l.size * 0.36;
  const spans = l.segments.map((s) => `<tspan class="t-${s.tone}">${escapeXml(s.text)}</tspan>`).join('');
  return `<text x="${num(cx)}" y="${num(baseline)}" font-size="${l.size}" text-anchor="${anchor}" xml:space="preserve">${spans}</text>`;
}

function tooltip(p: PlacedItem): string {
  const it = p.item;
  const ops = it.nodes.map((n) => `${n.name} (${n.op})`).join('\n');
  const stats = `${formatShape(it.shape)} · ${formatCount(it.params)} params · ${formatCount(it.macs)} MACs`;
  return `<title>${escapeXml(it.kind === 'block' ? `${it.name}: ${it.op}\n${stats}` : `${ops}\n${stats}`)}</title>`;
}

function nodeSvg(p: PlacedItem): string {
  const { item, box, rect } = p;
  const attrs =
    `class="node ${item.kind} f-${item.family}" id="${escapeXml(item.id)}" data-name="${escapeXml(item.name)}" ` +
    `data-op="${escapeXml(item.op)}" data-shape="${escapeXml(formatShape(item.shape))}" data-params="${item.params}"` +
    (item.cluster ? ` data-cluster="${escapeXml(item.cluster)}"` : '');
  const parts: string[] = [tooltip(p)];
  if (box.shape === 'rect') {
    if (item.kind === 'block') {
      // A second sheet behind the box: the box stands for several layers.
      parts.push(`<rect class="stack" x="${num(rect.x + 3)}" y="${num(rect.y + 3)}" width="${num(rect.width)}" height="${num(rect.height)}" rx="5"/>`);
    }
    parts.push(`<rect class="shape" x="${num(rect.x)}" y="${num(rect.y)}" width="${num(rect.width)}" height="${num(rect.height)}" rx="5"/>`);
    let top = rect.y + PAD_Y;
    for (const l of box.lines) {
      parts.push(textLine(l, p.center.x, top));
      top += lineHeight(l);
    }
  } else {
    const { x: cx, y: cy } = p.center;
    parts.push(
      box.shape === 'circle'
        ? `<circle class="shape" cx="${num(cx)}" cy="${num(cy)}" r="${num(box.width / 2)}"/>`
        : `<rect class="shape" x="${num(rect.x)}" y="${num(rect.y)}" width="${num(rect.width)}" height="${num(rect.height)}" rx="${num(rect.height / 2)}"/>`,
    );
    const markSize = box.shape === 'circle' ? 17 : FONT.mark;
    parts.push(`<text class="mark" x="${num(cx)}" y="${num(cy + markSize * 0.35)}" font-size="${markSize}" text-anchor="middle">${escapeXml(box.mark ?? '')}</text>`);
    const captionHeight = box.lines.reduce((h, l) => h + lineHeight(l), 0);
    const below = box.caption === 'below';
    let top = below ? rect.y + rect.height + CAPTION_GAP / 2 : cy - captionHeight / 2;
    for (const l of box.lines) {
      parts.push(below ? textLine(l, cx, top) : textLine(l, rect.x + rect.width + CAPTION_GAP, top, 'start'));
      top += lineHeight(l);
    }
  }
  return `<g ${attrs}>${parts.join('')}</g>`;
}

interface LabelSpot {
  readonly x: number;
  readonly top: number;
}

export type Band = 'top' | 'bottom';

/**
 * Where a cluster label of `width` fits: in the band above the cluster's first box or the one
 * below its last (the layout keeps both free of boxes), in the order `bands` gives, at the left
 * corner if no edge crosses it there, else at the leftmost spot clear of edges.
 */
function labelSpot(rect: PlacedCluster['rect'], width: number, edges: readonly PlacedEdge[], bands: readonly Band[]): LabelSpot | undefined {
  const bandHeight = CLUSTER_LABEL * 1.6;
  const near = edges.filter((e) => e.points.some((p) => p.y >= rect.y - 80 && p.y <= rect.y + rect.height + 80));
  const blocked = (s: LabelSpot): boolean => near.some((e) => crossesBand(e.points, s.top, s.top + bandHeight, s.x - 5, s.x + width + 5));
  const corner = rect.x + 7;
  for (const band of bands) {
    const top = band === 'top' ? rect.y : rect.y + rect.height - bandHeight;
    for (let x = corner; x <= rect.x + rect.width - 7 - width; x += 2) if (!blocked({ x, top })) return { x, top };
  }
  return undefined;
}

const labelWidth = (c: PlacedCluster): number =>
  textWidth(`${c.cluster.label}: `, CLUSTER_LABEL, true) + textWidth(c.cluster.block, CLUSTER_LABEL);

/**
 * Which band labels go in first, chosen once for the whole diagram so that labels sit alike:
 * residual blocks usually have both the main path and the skip edge entering at the top but one
 * output leaving below; inception modules the other way round.
 */
function preferredBands(clusters: readonly PlacedCluster[], edges: readonly PlacedEdge[]): readonly Band[] {
  const fits = (band: Band): number => clusters.filter((c) => labelSpot(c.rect, labelWidth(c), edges, [band])).length;
  return fits('bottom') > fits('top') ? ['bottom', 'top'] : ['top', 'bottom'];
}

/**
 * A cluster and its label, `layer1.0: basic`. When no spot clear of edges fits the whole label,
 * the instance name alone (the block's name stays in the tooltip); failing that, the whole label
 * at the top-left corner, with a halo that keeps it legible over the edge.
 */
function clusterSvg(c: PlacedCluster, edges: readonly PlacedEdge[], bands: readonly Band[]): string {
  const { rect, cluster } = c;
  const name = `${cluster.label}: `;
  const full = name + cluster.block;
  const nameWidth = textWidth(cluster.label, CLUSTER_LABEL, true);
  const room = rect.width - 14;
  const whole = `<tspan>${escapeXml(name)}</tspan><tspan class="kind">${escapeXml(cluster.block)}</tspan>`;
  const spotFull = labelWidth(c) <= room ? labelSpot(rect, labelWidth(c), edges, bands) : undefined;
  const spotName = spotFull || nameWidth > room ? undefined : labelSpot(rect, nameWidth, edges, bands);
  let label: string;
  let spot: LabelSpot;
  if (spotFull) [label, spot] = [whole, spotFull];
  else if (spotName) [label, spot] = [`<tspan>${escapeXml(cluster.label)}</tspan>`, spotName];
  else {
    const text = fitText(full, CLUSTER_LABEL, room, true);
    [label, spot] = [text === full ? whole : `<tspan>${escapeXml(text)}</tspan>`, { x: rect.x + 7, top: rect.y }];
  }
  return (
    `<g class="cluster" id="${escapeXml(cluster.id)}" data-name="${escapeXml(cluster.name)}" data-block="${escapeXml(cluster.block)}"` +
    `${cluster.parent ? ` data-parent="${escapeXml(cluster.parent)}"` : ''}>` +
    `<title>${escapeXml(full)}</title>` +
    `<rect x="${num(rect.x)}" y="${num(rect.y)}" width="${num(rect.width)}" height="${num(rect.height)}" rx="8"/>` +
    `<text x="${num(spot.x)}" y="${num(spot.top + CLUSTER_LABEL + 2)}" font-size="${CLUSTER_LABEL}" xml:space="preserve">${label}</text></g>`
  );
}

/** Whether a drawn edge passes through the box [x0, x1] × [top, bottom]. */
function crossesBand(points: readonly Point[], top: number, bottom: number, x0: number, x1: number): boolean {
  for (const [a, b, c, d] of basisSegments(points)) {
    for (let i = 0; i <= 16; i++) {
      const t = i / 16;
      const u = 1 - t;
      const x = u * u * u * a.x + 3 * u * u * t * b.x + 3 * u * t * t * c.x + t * t * t * d.x;
      const y = u * u * u * a.y + 3 * u * u * t * b.y + 3 * u * t * t * c.y + t * t * t * d.y;
      if (y >= top && y <= bottom && x >= x0 && x <= x1) return true;
    }
  }
  return false;
}

type Cubic = readonly [Point, Point, Point, Point];

const mix = (ws: readonly number[], ps: readonly Point[]): Point => {
  const total = ws.reduce((s, w) => s + w, 0);
  return { x: ws.reduce((s, w, i) => s + w * ps[i].x, 0) / total, y: ws.reduce((s, w, i) => s + w * ps[i].y, 0) / total };
};

/**
 * A uniform B-spline through dagre's control points, clamped to start and end on the route's ends
 * (d3's curveBasis), as cubic Bézier pieces: bends read as curves and the ends stay on the boxes.
 */
function basisSegments(p: readonly Point[]): Cubic[] {
  if (p.length < 2) return [];
  if (p.length === 2) return [[p[0], p[0], p[1], p[1]]];
  const out: Cubic[] = [];
  let start = mix([5, 1], [p[0], p[1]]);
  out.push([p[0], p[0], start, start]);
  for (let i = 2; i <= p.length; i++) {
    const a = p[i - 2];
    const b = p[i - 1];
    const c = i < p.length ? p[i] : b;
    const end = i < p.length ? mix([1, 4, 1], [a, b, c]) : b;
    out.push([start, mix([2, 1], [a, b]), mix([1, 2], [a, b]), end]);
    start = end;
  }
  return out;
}

export function splinePath(points: readonly Point[]): string {
  const segs = basisSegments(points);
  if (segs.length === 0) return '';
  const pt = (q: Point): string => `${num(q.x)},${num(q.y)}`;
  return `M${pt(segs[0][0])}` + segs.map(([, b, c, d]) => `C${pt(b)} ${pt(c)} ${pt(d)}`).join('');
}

function edgeSvg(e: PlacedEdge): string {
  return `<g class="edge" data-from="${escapeXml(e.edge.from)}" data-to="${escapeXml(e.edge.to)}"><path d="${splinePath(e.points)}" marker-end="url(#arrow)"/></g>`;
}

/** Legend entries flow left to right and wrap at `maxWidth`. */
function legendSvg(families: readonly Family[], x0: number, y0: number, maxWidth: number): { svg: string; height: number; width: number } {
  const parts: string[] = [];
  let x = x0;
  let y = y0;
  let widest = 0;
  for (const f of families) {
    const label = PALETTE[f].label;
    const w = SWATCH + 5 + textWidth(label, LEGEND_SIZE) + 16;
    if (x > x0 && x + w > x0 + maxWidth) {
      x = x0;
      y += 18;
    }
    parts.push(
      `<rect class="swatch f-${f}" x="${num(x)}" y="${num(y)}" width="${SWATCH}" height="${SWATCH}" rx="2"/>` +
        `<text x="${num(x + SWATCH + 5)}" y="${num(y + SWATCH - 1.5)}" font-size="${LEGEND_SIZE}">${escapeXml(label)}</text>`,
    );
    x += w;
    widest = Math.max(widest, x - x0);
  }
  return { svg: `<g class="legend">${parts.join('')}</g>`, height: y - y0 + SWATCH, width: widest };
}

const LEGEND_ORDER: readonly Family[] = ['input', 'conv', 'pool', 'norm', 'activation', 'dense', 'merge', 'other', 'block'];

export function renderSvg(layout: Layout, heading: Heading): string {
  const used = new Set<Family>();
  for (const p of layout.items) {
    used.add(p.item.family);
    for (const l of p.box.lines) for (const s of l.segments) if (s.tone in PALETTE) used.add(s.tone as Family);
  }
  const families = LEGEND_ORDER.filter((f) => used.has(f));

  const pad = 20;
  const headWidth = Math.max(textWidth(heading.title, HEADER_TITLE, true), textWidth(heading.subtitle, HEADER_SUB));
  const contentWidth = Math.max(layout.width - 2 * pad, 420, headWidth);
  const legend = legendSvg(families, pad, pad + 44, contentWidth);
  const headerHeight = pad + 44 + legend.height + 6;
  const width = Math.ceil(Math.max(layout.width, contentWidth + 2 * pad, legend.width + 2 * pad));
  const height = Math.ceil(headerHeight + layout.height);
  // Centre the graph under the header when the header is the wider of the two.
  const dx = Math.max(0, (width - layout.width) / 2);

  const header =
    `<g class="header"><text class="title" x="${pad}" y="${pad + 14}" font-size="${HEADER_TITLE}">${escapeXml(heading.title)}</text>` +
    `<text class="sub" x="${pad}" y="${pad + 33}" font-size="${HEADER_SUB}">${escapeXml(heading.subtitle)}</text></g>`;
  // Absolute coordinates throughout (no transforms), so every rect in the file is where it is drawn.
  const placed = shiftLayout(layout, dx, headerHeight);
  const bands = preferredBands(placed.clusters, placed.edges);
  const clusters = [...placed.clusters].sort((a, b) => a.cluster.depth - b.cluster.depth).map((c) => clusterSvg(c, placed.edges, bands));
  const body =
    `<g class="graph">` +
    `<g class="clusters">${clusters.join('')}</g>` +
    `<g class="edges">${placed.edges.map(edgeSvg).join('')}</g>` +
    `<g class="nodes">${placed.items.map(nodeSvg).join('')}</g></g>`;

  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(heading.title)}">`,
    `<style>${stylesheet()}</style>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9.5" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrowhead" d="M0,0.5 L10,5 L0,9.5 z"/></marker></defs>`,
    `<rect class="bg" x="0" y="0" width="${width}" height="${height}"/>`,
    header,
    legend.svg,
    body,
    `</svg>`,
    '',
  ].join('\n');
}
