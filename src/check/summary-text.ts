import type { LayerSummary, ModelSummary } from './summary.js';
import { formatShape } from './values.js';

/**
 * The summary as text cells, for every front end that shows it: `cnnc summary`'s table
 * (src/cli/summary-table.ts) and the playground's. Numbers are formatted here only.
 */
export const SUMMARY_COLUMNS = ['Layer', 'Op', 'Line', 'Output', 'Params', 'MACs', 'RF (jump)', 'Memory'] as const;
/** Which columns are numbers (aligned right). */
export const NUMERIC_COLUMNS: readonly boolean[] = [false, false, true, false, true, true, true, true];

const group = (n: number): string => n.toLocaleString('en-US');

export function humanCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} K`;
  return String(n);
}

export function humanBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(2)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(2)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(1)} KiB`;
  return `${n} B`;
}

const pair = (p: readonly number[]): string => (p[0] === p[1] ? String(p[0]) : p.join('×'));

/** One layer's cells, in SUMMARY_COLUMNS order. */
export function summaryRow(l: LayerSummary): string[] {
  const rf = l.receptiveField;
  return [l.name, l.op, String(l.line), formatShape(l.shape), l.params ? group(l.params) : '', l.macs ? humanCount(l.macs) : '', rf ? `${pair(rf.size)} (${pair(rf.jump)})` : '', humanBytes(l.activationBytes)];
}

/** The first line: the model's name and what it maps to what. */
export function summaryTitle(s: ModelSummary): string {
  return `model ${s.model}: ${formatShape(s.input)} → ${formatShape(s.output)}`;
}

/** The totals under the table, as label and value. */
export function summaryTotals(s: ModelSummary): [string, string][] {
  return [
    ['Trainable params', group(s.totalParams)],
    ['Non-trainable params', group(s.nonTrainableParams)],
    ['MACs per image', `${group(s.totalMacs)} (${humanCount(s.totalMacs)})`],
    ['Activations / image', humanBytes(s.activationBytes)],
    ['Parameter memory', humanBytes(s.paramBytes)],
  ];
}
