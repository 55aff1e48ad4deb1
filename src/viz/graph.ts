import type { CheckedModel, ModelNode } from '../check/model.js';
import { familyOf, isFoldable, type Family } from './family.js';
import { trainableParams } from './format.js';

/**
 * The graph a diagram draws, before layout: the model's nodes grouped into boxes. A box is one
 * layer with the trivial layers after it folded in, a merge, the input, or a whole block instance
 * when that block is collapsed. Expanded block instances become clusters around their boxes.
 */
export type ItemKind = 'input' | 'layer' | 'merge' | 'block';

export interface Item {
  readonly id: string;
  readonly kind: ItemKind;
  readonly family: Family;
  /** Full dotted name: the head layer's, or the block instance's. */
  readonly name: string;
  /** The name relative to the enclosing cluster, as shown. */
  readonly label: string;
  /** The head layer's op, or the block's name (`basic`) for a collapsed block. */
  readonly op: string;
  /** Model nodes drawn by this box, head first (topological order). */
  readonly nodes: readonly ModelNode[];
  /** The cluster directly around the box, if any. */
  readonly cluster?: string;
  readonly shape: readonly number[];
  /** The head layer's first input shape (tells a depthwise convolution apart). */
  readonly inShape?: readonly number[];
  /** Nesting depth: for a collapsed block, the index of its instance in its nodes' `scope`. */
  readonly level: number;
  readonly params: number;
  readonly macs: number;
}

export interface Cluster {
  readonly id: string;
  /** The block instance's full name (`layer1.0`). */
  readonly name: string;
  /** Its name relative to the cluster around it. */
  readonly label: string;
  /** The block it is an instance of (`basic`). */
  readonly block: string;
  readonly parent?: string;
  readonly depth: number;
}

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
}

export interface DiagramGraph {
  readonly items: readonly Item[];
  readonly clusters: readonly Cluster[];
  readonly edges: readonly DiagramEdge[];
}

export interface GraphOptions {
  /** How many levels of block nesting to show expanded: 0 collapses every top-level block. */
  readonly depth: number;
  /** Fold activations, batchnorm and dropout into the box before them. */
  readonly fold: boolean;
}

interface MutableItem {
  id: string;
  kind: ItemKind;
  family: Family;
  name: string;
  label: string;
  op: string;
  nodes: ModelNode[];
  cluster?: string;
  shape: readonly number[];
  inShape?: readonly number[];
  level: number;
  params: number;
  macs: number;
}

const instanceName = (scope: readonly string[], depth: number): string => scope.slice(0, depth + 1).join('.');
const clusterId = (name: string): string => `c:${name}`;

/** `layer1.0.conv1` inside `layer1.0` reads `conv1`; top-level names stay whole. */
function relative(name: string, container: string | undefined): string {
  return container !== undefined && name.startsWith(`${container}.`) ? name.slice(container.length + 1) : name;
}

export function buildGraph(model: CheckedModel, opts: GraphOptions): DiagramGraph {
  const byId = new Map(model.nodes.map((n) => [n.id, n]));
  const consumers = new Map<number, number>();
  for (const n of model.nodes) for (const i of n.inputs) consumers.set(i, (consumers.get(i) ?? 0) + 1);

  const items: MutableItem[] = [];
  const itemById = new Map<string, MutableItem>();
  const itemOf = new Map<number, MutableItem>();
  const clusters = new Map<string, Cluster>();

  const ensureClusters = (n: ModelNode, upTo: number): void => {
    for (let d = 0; d < upTo; d++) {
      const name = instanceName(n.scope, d);
      if (clusters.has(clusterId(name))) continue;
      const parentName = d > 0 ? instanceName(n.scope, d - 1) : undefined;
      clusters.set(clusterId(name), {
        id: clusterId(name),
        name,
        label: relative(name, parentName),
        block: n.blocks[d] ?? '',
        parent: parentName === undefined ? undefined : clusterId(parentName),
        depth: d,
      });
    }
  };

  const add = (item: MutableItem): MutableItem => {
    items.push(item);
    itemById.set(item.id, item);
    return item;
  };

  for (const n of model.nodes) {
    const depth = n.scope.length;
    if (depth > opts.depth) {
      // Inside a collapsed block instance: the whole instance is one box.
      ensureClusters(n, opts.depth);
      const name = instanceName(n.scope, opts.depth);
      const parentName = opts.depth > 0 ? instanceName(n.scope, opts.depth - 1) : undefined;
      const id = `b:${name}`;
      const item =
        itemById.get(id) ??
        add({
          id,
          kind: 'block',
          family: 'block',
          name,
          label: relative(name, parentName),
          op: n.blocks[opts.depth] ?? '',
          nodes: [],
          cluster: parentName === undefined ? undefined : clusterId(parentName),
          shape: n.shape,
          level: opts.depth,
          params: 0,
          macs: 0,
        });
      item.nodes.push(n);
      item.params += trainableParams(n);
      item.macs += n.macs;
      itemOf.set(n.id, item);
      continue;
    }

    ensureClusters(n, depth);
    const container = depth > 0 ? instanceName(n.scope, depth - 1) : undefined;
    const cluster = container === undefined ? undefined : clusterId(container);
    const host = opts.fold ? foldTarget(n, itemOf, consumers, cluster) : undefined;
    if (host) {
      host.nodes.push(n);
      host.shape = n.shape;
      host.params += trainableParams(n);
      host.macs += n.macs;
      itemOf.set(n.id, host);
      continue;
    }
    const kind: ItemKind = n.op === 'input' ? 'input' : familyOf(n.op) === 'merge' ? 'merge' : 'layer';
    const item = add({
      id: `n${n.id}`,
      kind,
      family: familyOf(n.op),
      name: n.name,
      label: relative(n.name, container),
      op: n.op,
      nodes: [n],
      cluster,
      shape: n.shape,
      inShape: n.inputs.length > 0 ? byId.get(n.inputs[0])?.shape : undefined,
      level: depth,
      params: trainableParams(n),
      macs: n.macs,
    });
    itemOf.set(n.id, item);
  }

  const edges: DiagramEdge[] = [];
  const seen = new Set<string>();
  for (const n of model.nodes) {
    const to = itemOf.get(n.id);
    for (const i of n.inputs) {
      const from = itemOf.get(i);
      if (!from || !to || from === to) continue;
      const key = `${from.id}\u0000${to.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      edges.push({ from: from.id, to: to.id });
    }
  }

  for (const item of items) if (item.kind === 'block') item.shape = blockOutput(item, model, byId).shape;
  return { items, clusters: [...clusters.values()], edges };
}

/**
 * The box a trivial layer folds into: the box of its only input, when that input feeds nothing
 * else and sits in the same cluster. Merges take only activations (their caption stays short).
 */
function foldTarget(
  n: ModelNode,
  itemOf: ReadonlyMap<number, MutableItem>,
  consumers: ReadonlyMap<number, number>,
  cluster: string | undefined,
): MutableItem | undefined {
  if (!isFoldable(n.op) || n.inputs.length !== 1) return undefined;
  const src = n.inputs[0];
  const host = itemOf.get(src);
  if (!host || consumers.get(src) !== 1 || host.cluster !== cluster) return undefined;
  if (host.kind === 'layer') return host;
  if (host.kind === 'merge' && familyOf(n.op) === 'activation') return host;
  return undefined;
}

/** The node a block instance hands on: the last one used outside it (or the model's output). */
function blockOutput(item: MutableItem, model: CheckedModel, byId: ReadonlyMap<number, ModelNode>): ModelNode {
  const inside = new Set(item.nodes.map((n) => n.id));
  let out: ModelNode | undefined;
  const consider = (id: number): void => {
    const n = byId.get(id);
    if (n && inside.has(id) && (!out || n.id > out.id)) out = n;
  };
  for (const n of model.nodes) if (!inside.has(n.id)) n.inputs.forEach(consider);
  consider(model.output);
  return out ?? item.nodes[item.nodes.length - 1];
}
