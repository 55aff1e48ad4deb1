import { LAYERS } from '../check/layers/index.js';
import type { LayerFamily } from '../check/layers/types.js';

/** What colours a box: a layer's family, the input, and blocks shown collapsed. */
export type Family = LayerFamily | 'input' | 'block';

/** A layer's family from its definition (check/layers), so a new layer is coloured without an entry here. */
export function familyOf(op: string): Family {
  if (op === 'input') return 'input';
  return LAYERS.get(op)?.family ?? 'other';
}

export interface Palette {
  readonly fill: string;
  readonly stroke: string;
  /** Legend wording. */
  readonly label: string;
}

/** Pale fills so black text stays readable; strokes one step darker of the same hue. */
export const PALETTE: Readonly<Record<Family, Palette>> = {
  input: { fill: '#eef1f4', stroke: '#64748b', label: 'input' },
  conv: { fill: '#dbe9ff', stroke: '#2f6fd6', label: 'convolution' },
  pool: { fill: '#daf5e3', stroke: '#1f9d55', label: 'pooling' },
  norm: { fill: '#fff4c2', stroke: '#b7950b', label: 'normalisation' },
  activation: { fill: '#ffe6d1', stroke: '#dd6b20', label: 'activation' },
  dense: { fill: '#ece3ff', stroke: '#7a4fd6', label: 'dense' },
  merge: { fill: '#ffe0ec', stroke: '#c2185b', label: 'merge (+, concat)' },
  other: { fill: '#f1f1f1', stroke: '#8a8a8a', label: 'flatten, dropout' },
  block: { fill: '#d7f4f1', stroke: '#138a7e', label: 'block (collapsed)' },
};

/** Ops that add nothing to read beyond their name and keep the shape: folded into the box before them. */
export function isFoldable(op: string): boolean {
  const f = familyOf(op);
  return f === 'activation' || op === 'batchnorm' || op === 'dropout';
}
