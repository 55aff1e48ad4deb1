import type { ModelNode } from '../check/model.js';
import { familyOf, type Family } from './family.js';
import { formatCount, formatShape, opText } from './format.js';
import type { Item } from './graph.js';
import type { Direction } from './layout.js';
import { textWidth } from './measure.js';

/**
 * What each box says, line by line, and how big that makes it. Layout needs the sizes before the
 * SVG is written, so both read them from here.
 */
export type Tone = 'title' | 'body' | 'muted' | Family;

export interface Segment {
  readonly text: string;
  readonly tone: Tone;
}

export interface Line {
  readonly segments: readonly Segment[];
  readonly size: number;
  readonly bold: boolean;
}

/** A rectangle with text inside, or a round merge marker with a caption beside it. */
export interface BoxContent {
  readonly shape: 'rect' | 'circle' | 'pill';
  /** Text inside a rect, or the caption right of a round marker. */
  readonly lines: readonly Line[];
  /** The marker's own text (`+`, `concat`). */
  readonly mark?: string;
  /** Where a marker's caption goes: beside it across the flow, clear of the edges along it. */
  readonly caption?: 'right' | 'below';
  /** Size of the drawn rect or marker. */
  readonly width: number;
  readonly height: number;
  /** Size reserved in the layout: a marker's caption needs room on its right, mirrored on the left to keep it centred. */
  readonly layoutWidth: number;
  readonly layoutHeight: number;
}

export const FONT = { title: 12.5, body: 12, small: 11, mark: 11 } as const;
export const LINE_GAP = 1.32;
export const PAD_X = 10;
export const PAD_Y = 7;
const MIN_WIDTH = 128;
/** Collapsed blocks list what is inside them; longer lists wrap at about this width. */
const DETAIL_WRAP = 210;
/** Short names for the contents line of a collapsed block, where every character widens the box. */
const SHORT: Readonly<Record<string, string>> = { batchnorm: 'bn' };
export const CAPTION_GAP = 7;
const CIRCLE_R = 12;

const line = (size: number, bold: boolean, ...segments: Segment[]): Line => ({ segments, size, bold });
const seg = (text: string, tone: Tone): Segment => ({ text, tone });

export function lineWidth(l: Line): number {
  return textWidth(l.segments.map((s) => s.text).join(''), l.size, l.bold);
}

export const lineHeight = (l: Line): number => l.size * LINE_GAP;

/** `64×56×56 · 36,864 params`; a box that learns nothing shows its shape alone. */
function shapeLine(shape: readonly number[], params: number): Line {
  const segments = [seg(formatShape(shape), 'body')];
  if (params > 0) segments.push(seg(` · ${formatCount(params)} params`, 'muted'));
  return line(FONT.body, false, ...segments);
}

/** `+ batchnorm + relu`, each op in its family's colour so folded layers stay recognisable. */
function foldedLine(folded: readonly ModelNode[]): Line | undefined {
  if (folded.length === 0) return undefined;
  return line(FONT.small, false, ...folded.map((n, i) => seg(`${i > 0 ? ' ' : ''}+ ${opText(n)}`, familyOf(n.op))));
}

/** `conv×2 · batchnorm×2 · relu×2 · add`: the direct contents, nested blocks counted by kind. */
function contentsLines(item: Item): Line[] {
  const counts = new Map<string, number>();
  const seenInstances = new Set<string>();
  for (const n of item.nodes) {
    if (n.scope.length > item.level + 1) {
      const inst = n.scope.slice(0, item.level + 2).join('.');
      if (seenInstances.has(inst)) continue;
      seenInstances.add(inst);
      const kind = n.blocks[item.level + 1] ?? 'block';
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    } else {
      const op = SHORT[n.op] ?? n.op;
      counts.set(op, (counts.get(op) ?? 0) + 1);
    }
  }
  const parts = [...counts].map(([k, c]) => (c > 1 ? `${k}×${c}` : k));
  const lines: Line[] = [];
  let current = '';
  for (const p of parts) {
    const next = current ? `${current} · ${p}` : p;
    if (current && textWidth(next, FONT.small) > DETAIL_WRAP) {
      lines.push(line(FONT.small, false, seg(`${current} ·`, 'muted')));
      current = p;
    } else current = next;
  }
  if (current) lines.push(line(FONT.small, false, seg(current, 'muted')));
  return lines;
}

function rectBox(lines: readonly Line[]): BoxContent {
  const width = Math.max(MIN_WIDTH, Math.ceil(Math.max(...lines.map(lineWidth)) + 2 * PAD_X));
  const height = Math.ceil(lines.reduce((h, l) => h + lineHeight(l), 0) + 2 * PAD_Y);
  return { shape: 'rect', lines, width, height, layoutWidth: width, layoutHeight: height };
}

export function boxContent(item: Item, direction: Direction): BoxContent {
  const head = item.nodes[0];
  switch (item.kind) {
    case 'input':
      return rectBox([line(FONT.title, true, seg(item.label, 'title')), line(FONT.body, false, seg('input', 'body')), shapeLine(item.shape, 0)]);
    case 'block':
      return rectBox([
        line(FONT.title, true, seg(`${item.label}: ${item.op}`, 'title')),
        ...contentsLines(item),
        shapeLine(item.shape, item.params),
      ]);
    case 'merge': {
      const caption = [line(FONT.small, false, seg(formatShape(item.shape), 'body'))];
      const folded = foldedLine(item.nodes.slice(1));
      if (folded) caption.push(folded);
      const mark = item.op === 'add' ? '+' : item.op;
      const round = item.op === 'add';
      const width = round ? 2 * CIRCLE_R : Math.ceil(textWidth(mark, FONT.mark, true) + 18);
      const height = 2 * CIRCLE_R;
      const captionWidth = Math.ceil(Math.max(...caption.map(lineWidth)));
      const captionHeight = caption.reduce((h, l) => h + lineHeight(l), 0);
      const across = direction === 'TB';
      return {
        shape: round ? 'circle' : 'pill',
        lines: caption,
        mark,
        caption: across ? 'right' : 'below',
        width,
        height,
        layoutWidth: across ? width + 2 * (CAPTION_GAP + captionWidth) : Math.max(width, captionWidth),
        layoutHeight: Math.ceil(across ? Math.max(height, captionHeight) : height + 2 * (CAPTION_GAP / 2 + captionHeight)),
      };
    }
    case 'layer': {
      const lines = [line(FONT.title, true, seg(item.label, 'title')), line(FONT.body, false, seg(opText(head, item.inShape?.[0]), 'body'))];
      const folded = foldedLine(item.nodes.slice(1));
      if (folded) lines.push(folded);
      lines.push(shapeLine(item.shape, item.params));
      return rectBox(lines);
    }
  }
}

