import type { CheckedModel } from '../check/model.js';
import { boxContent, type BoxContent } from './box.js';
import { formatCount, formatShape, trainableParams } from './format.js';
import { buildGraph } from './graph.js';
import { layoutGraph, type Direction } from './layout.js';
import { renderSvg } from './svg.js';

export interface DiagramOptions {
  /**
   * Which block instances to draw expanded (their layers inside a labelled cluster) rather than as
   * one box: `all`, `none`, or how many levels of nesting (1 expands the model's own blocks but
   * shows the blocks inside them as boxes).
   */
  readonly expand: 'all' | 'none' | number;
  /** Top to bottom (the default) or left to right. */
  readonly direction?: Direction;
  /** Fold activations, batchnorm and dropout into the box of the layer before them (default true). */
  readonly fold?: boolean;
}

/** The model's architecture as a standalone SVG document. */
export function renderDiagram(model: CheckedModel, opts: DiagramOptions): string {
  const depth = opts.expand === 'all' ? Infinity : opts.expand === 'none' ? 0 : Math.max(0, Math.floor(opts.expand));
  const graph = buildGraph(model, { depth, fold: opts.fold ?? true });
  const direction = opts.direction ?? 'TB';
  const boxes = new Map<string, BoxContent>(graph.items.map((item) => [item.id, boxContent(item, direction)]));
  const layout = layoutGraph(graph, boxes, direction);
  return renderSvg(layout, { title: model.name, subtitle: subtitle(model) });
}

/** `input 3×224×224 → 1000 · 11,689,512 params · 1.81 GMACs` */
function subtitle(model: CheckedModel): string {
  const params = model.nodes.reduce((sum, n) => sum + trainableParams(n), 0);
  const macs = model.nodes.reduce((sum, n) => sum + n.macs, 0);
  const inputs = model.inputs.map((i) => formatShape(model.nodes.find((n) => n.id === i)?.shape ?? [])).join(', ');
  const output = formatShape(model.nodes.find((n) => n.id === model.output)?.shape ?? []);
  const gmacs = macs >= 1e9 ? `${(macs / 1e9).toFixed(2)} GMACs` : `${(macs / 1e6).toFixed(2)} MMACs`;
  return `input ${inputs} → output ${output} · ${formatCount(params)} params · ${gmacs}`;
}
