import Table from 'cli-table3';
import type { ModelSummary } from '../check/summary.js';
import { NUMERIC_COLUMNS, SUMMARY_COLUMNS, summaryRow, summaryTitle, summaryTotals } from '../check/summary-text.js';

/** The torchinfo/Keras-style table: one row per layer, totals below. */
export function renderSummary(s: ModelSummary, color: boolean): string {
  const table = new Table({
    head: [...SUMMARY_COLUMNS],
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [], compact: true },
    colAligns: NUMERIC_COLUMNS.map((n) => (n ? 'right' : 'left')),
  });
  for (const l of s.layers) table.push(summaryRow(l));
  const totals = summaryTotals(s);
  const width = Math.max(...totals.map(([label]) => label.length)) + 2;
  return [summaryTitle(s), table.toString(), ...totals.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`)].join('\n');
}
