import { hasClass, parseXml, textOf, walk, type XmlElement } from './xml.js';

/** A rendered diagram read back from its SVG text: what a viewer would see, with geometry. */
export interface Box {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly op: string;
  readonly shape: string;
  readonly params: number;
  readonly cluster?: string;
  /** The drawn rect, or a merge marker's bounding square. */
  readonly rect: Rect;
  /** Text lines as drawn, one per <text>. */
  readonly lines: readonly string[];
  readonly tooltip: string;
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface ClusterBox {
  readonly id: string;
  readonly name: string;
  readonly block: string;
  readonly parent?: string;
  readonly rect: Rect;
  readonly label: string;
  /** Where the label's baseline starts, and its font size. */
  readonly labelAt: { readonly x: number; readonly y: number; readonly size: number };
}

export interface Arrow {
  readonly from: string;
  readonly to: string;
  /** Every coordinate pair in the path data. */
  readonly points: readonly { x: number; y: number }[];
  readonly d: string;
}

export interface ReadDiagram {
  readonly root: XmlElement;
  readonly viewBox: Rect;
  readonly boxes: readonly Box[];
  readonly clusters: readonly ClusterBox[];
  readonly arrows: readonly Arrow[];
}

const n = (el: XmlElement, attr: string): number => {
  const v = Number(el.attrs[attr]);
  if (!Number.isFinite(v)) throw new Error(`<${el.name}> has no numeric ${attr}`);
  return v;
};

function rectOf(el: XmlElement): Rect {
  return { x: n(el, 'x'), y: n(el, 'y'), width: n(el, 'width'), height: n(el, 'height') };
}

function shapeRect(g: XmlElement): Rect {
  for (const el of walk(g)) {
    if (!hasClass(el, 'shape')) continue;
    if (el.name === 'rect') return rectOf(el);
    if (el.name === 'circle') {
      const r = n(el, 'r');
      return { x: n(el, 'cx') - r, y: n(el, 'cy') - r, width: 2 * r, height: 2 * r };
    }
  }
  throw new Error(`node ${g.attrs.id} has no shape`);
}

function title(g: XmlElement): string {
  const t = g.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === 'title');
  return t ? t.children.filter((c): c is string => typeof c === 'string').join('') : '';
}

export function readDiagram(svg: string): ReadDiagram {
  const root = parseXml(svg);
  if (root.name !== 'svg') throw new Error('root is not <svg>');
  const vb = (root.attrs.viewBox ?? '').split(/\s+/).map(Number);
  const boxes: Box[] = [];
  const clusters: ClusterBox[] = [];
  const arrows: Arrow[] = [];
  for (const el of walk(root)) {
    if (el.name !== 'g') continue;
    if (hasClass(el, 'node')) {
      const texts = [...walk(el)].filter((t) => t.name === 'text');
      boxes.push({
        id: el.attrs.id,
        kind: (el.attrs.class ?? '').split(/\s+/)[1] ?? '',
        name: el.attrs['data-name'],
        op: el.attrs['data-op'],
        shape: el.attrs['data-shape'],
        params: Number(el.attrs['data-params']),
        cluster: el.attrs['data-cluster'],
        rect: shapeRect(el),
        lines: texts.map(textOf),
        tooltip: title(el),
      });
    } else if (hasClass(el, 'cluster')) {
      const rect = el.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === 'rect');
      const text = el.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === 'text');
      if (!rect) throw new Error(`cluster ${el.attrs.id} has no rect`);
      clusters.push({ id: el.attrs.id, name: el.attrs['data-name'], block: el.attrs['data-block'], parent: el.attrs['data-parent'], rect: rectOf(rect), label: text ? textOf(text) : '',
        labelAt: text ? { x: n(text, 'x'), y: n(text, 'y'), size: n(text, 'font-size') } : { x: 0, y: 0, size: 0 } });
    } else if (hasClass(el, 'edge')) {
      const path = el.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === 'path');
      const nums = (path?.attrs.d ?? '').match(/-?\d+(\.\d+)?/g)?.map(Number) ?? [];
      const points = [];
      for (let i = 0; i + 1 < nums.length; i += 2) points.push({ x: nums[i], y: nums[i + 1] });
      arrows.push({ from: el.attrs['data-from'], to: el.attrs['data-to'], points, d: path?.attrs.d ?? '' });
    }
  }
  return { root, viewBox: { x: vb[0], y: vb[1], width: vb[2], height: vb[3] }, boxes, clusters, arrows };
}

/** Whether the drawn path (lines and cubic Béziers, absolute commands) passes through `r`. */
export function pathCrosses(d: string, r: Rect): boolean {
  const tokens = d.match(/[MLC]|-?\d+(\.\d+)?/g) ?? [];
  let cur = { x: 0, y: 0 };
  let cmd = '';
  const inside = (x: number, y: number): boolean => x > r.x && x < r.x + r.width && y > r.y && y < r.y + r.height;
  for (let i = 0; i < tokens.length; ) {
    if (/[MLC]/.test(tokens[i])) cmd = tokens[i++];
    const take = (): { x: number; y: number } => {
      const p = { x: Number(tokens[i]), y: Number(tokens[i + 1]) };
      i += 2;
      return p;
    };
    if (cmd === 'M') cur = take();
    else if (cmd === 'L') {
      const b = take();
      for (let t = 0; t <= 1; t += 1 / 32) if (inside(cur.x + (b.x - cur.x) * t, cur.y + (b.y - cur.y) * t)) return true;
      cur = b;
    } else if (cmd === 'C') {
      const [b, c, e] = [take(), take(), take()];
      for (let t = 0; t <= 1; t += 1 / 32) {
        const u = 1 - t;
        const x = u * u * u * cur.x + 3 * u * u * t * b.x + 3 * u * t * t * c.x + t * t * t * e.x;
        const y = u * u * u * cur.y + 3 * u * u * t * b.y + 3 * u * t * t * c.y + t * t * t * e.y;
        if (inside(x, y)) return true;
      }
      cur = e;
    } else throw new Error(`unexpected path data: ${d}`);
  }
  return false;
}

export const overlaps = (a: Rect, b: Rect): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

export const contains = (outer: Rect, inner: Rect): boolean =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
