import dagre from '@dagrejs/dagre';
import type { BoxContent } from './box.js';
import type { Cluster, DiagramEdge, DiagramGraph, Item } from './graph.js';

/**
 * Places boxes, clusters and edge routes with dagre (Sugiyama-style layered layout; compound
 * nodes give the block clusters). Coordinates are the layout's own, margins included.
 */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Top-left corner and size. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PlacedItem {
  readonly item: Item;
  readonly box: BoxContent;
  /** The drawn rect or marker (without a marker's caption). */
  readonly rect: Rect;
  readonly center: Point;
}

export interface PlacedCluster {
  readonly cluster: Cluster;
  readonly rect: Rect;
}

export interface PlacedEdge {
  readonly edge: DiagramEdge;
  readonly points: readonly Point[];
}

export interface Layout {
  readonly items: readonly PlacedItem[];
  readonly clusters: readonly PlacedCluster[];
  readonly edges: readonly PlacedEdge[];
  readonly width: number;
  readonly height: number;
}

export type Direction = 'TB' | 'LR';

interface NodeLabel {
  width: number;
  height: number;
  x?: number;
  y?: number;
}

interface EdgeLabel {
  points?: Point[];
}

/**
 * Spacing. In TB the gap between a cluster's top edge and its first box is half of `ranksep`
 * (dagre puts the cluster's border on a rank of its own), and the cluster label sits in that gap;
 * in LR it is about `nodesep`. Both are chosen to leave room for an 11px label.
 */
const SPACING: Readonly<Record<Direction, { nodesep: number; ranksep: number; edgesep: number }>> = {
  TB: { nodesep: 40, ranksep: 42, edgesep: 14 },
  LR: { nodesep: 26, ranksep: 48, edgesep: 14 },
};
export const MARGIN = 20;

export function layoutGraph(graph: DiagramGraph, boxes: ReadonlyMap<string, BoxContent>, direction: Direction): Layout {
  const g = new dagre.graphlib.Graph<Record<string, unknown>, NodeLabel, EdgeLabel>({ compound: true });
  const spacing = SPACING[direction];
  // Without clusters there is no label to make room for, and a deep chain reads better tighter.
  const ranksep = graph.clusters.length > 0 ? spacing.ranksep : Math.round(spacing.ranksep * 0.75);
  g.setGraph({ rankdir: direction, ...spacing, ranksep, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));

  for (const c of graph.clusters) g.setNode(c.id, { width: 0, height: 0 });
  for (const c of graph.clusters) if (c.parent) g.setParent(c.id, c.parent);
  for (const item of graph.items) {
    const box = boxFor(boxes, item);
    g.setNode(item.id, { width: box.layoutWidth, height: box.layoutHeight });
    if (item.cluster) g.setParent(item.id, item.cluster);
  }
  for (const e of [...graph.edges].reverse()) g.setEdge(e.from, e.to, {});

  dagre.layout(g);

  const items = graph.items.map((item): PlacedItem => {
    const box = boxFor(boxes, item);
    const center = centerOf(g.node(item.id));
    return { item, box, center, rect: { x: center.x - box.width / 2, y: center.y - box.height / 2, width: box.width, height: box.height } };
  });
  const placed = new Map(items.map((p) => [p.item.id, p]));
  const clusters = graph.clusters.map((cluster): PlacedCluster => {
    const n = g.node(cluster.id);
    const c = centerOf(n);
    return { cluster, rect: { x: c.x - n.width / 2, y: c.y - n.height / 2, width: n.width, height: n.height } };
  });
  const edges = graph.edges.map((edge): PlacedEdge => {
    const route = g.edge(edge.from, edge.to).points ?? [];
    const from = placed.get(edge.from);
    const to = placed.get(edge.to);
    return { edge, points: from && to ? portEnds(route, from, to, direction) : route };
  });
  return fitToMargin({ items, clusters, edges, width: 0, height: 0 });
}

/**
 * Moves the drawing so its top-left content sits at the margin and measures it from what is
 * drawn: dagre's own width can include room for nodes it later drops (cluster borders).
 */
function fitToMargin(l: Layout): Layout {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  const grow = (x: number, y: number): void => {
    [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
  };
  for (const p of l.items) {
    grow(p.center.x - p.box.layoutWidth / 2, p.center.y - p.box.layoutHeight / 2);
    grow(p.center.x + p.box.layoutWidth / 2, p.center.y + p.box.layoutHeight / 2);
  }
  for (const c of l.clusters) {
    grow(c.rect.x, c.rect.y);
    grow(c.rect.x + c.rect.width, c.rect.y + c.rect.height);
  }
  for (const e of l.edges) for (const p of e.points) grow(p.x, p.y);
  if (!Number.isFinite(x0)) return { ...l, width: 2 * MARGIN, height: 2 * MARGIN };
  const moved = shiftLayout(l, MARGIN - x0, MARGIN - y0);
  return { ...moved, width: x1 - x0 + 2 * MARGIN, height: y1 - y0 + 2 * MARGIN };
}

function boxFor(boxes: ReadonlyMap<string, BoxContent>, item: Item): BoxContent {
  const box = boxes.get(item.id);
  if (!box) throw new Error(`no box measured for ${item.id}`);
  return box;
}

function centerOf(n: NodeLabel): Point {
  return { x: n.x ?? 0, y: n.y ?? 0 };
}

/** How far edges run straight into and out of a merge marker. */
const LEAD = 12;

/**
 * dagre ends each route on the border of the space it reserved, which for a merge marker includes
 * the room for its caption. Edges instead meet a marker at its upstream point and leave from its
 * downstream one, running straight for a few pixels, so they never cross the caption beside it.
 */
function portEnds(route: readonly Point[], from: PlacedItem, to: PlacedItem, direction: Direction): Point[] {
  if (route.length < 2) return [...route];
  let pts = [...route];
  if (to.box.shape !== 'rect') {
    const entry = port(to, direction, -1);
    pts = [...pts.slice(0, -1), port(to, direction, -1, LEAD), entry];
  }
  if (from.box.shape !== 'rect') pts = [port(from, direction, 1), port(from, direction, 1, LEAD), ...pts.slice(1)];
  return pts;
}

/** The marker's point upstream (side -1) or downstream (+1), `out` pixels further along the flow. */
function port(p: PlacedItem, direction: Direction, side: 1 | -1, out = 0): Point {
  const { x, y } = p.center;
  return direction === 'TB'
    ? { x, y: y + side * (p.box.height / 2 + out) }
    : { x: x + side * (p.box.width / 2 + out), y };
}

/** The same layout moved by (dx, dy). */
export function shiftLayout(l: Layout, dx: number, dy: number): Layout {
  const pt = (p: Point): Point => ({ x: p.x + dx, y: p.y + dy });
  const rect = (r: Rect): Rect => ({ ...r, x: r.x + dx, y: r.y + dy });
  return {
    items: l.items.map((p) => ({ ...p, rect: rect(p.rect), center: pt(p.center) })),
    clusters: l.clusters.map((c) => ({ ...c, rect: rect(c.rect) })),
    edges: l.edges.map((e) => ({ ...e, points: e.points.map(pt) })),
    width: l.width,
    height: l.height,
  };
}
