import Table from 'cli-table3';
import type { ModelSummary } from '../check/summary.js';
import { formatShape } from '../check/values.js';

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

/** The torchinfo/Keras-style table: one row per layer, totals below. */
export function renderSummary(s: ModelSummary, color: boolean): string {
  const table = new Table({
    head: ['Layer', 'Op', 'Line', 'Output', 'Params', 'MACs', 'RF (jump)', 'Memory'],
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [], compact: true },
    colAligns: ['left', 'left', 'right', 'left', 'right', 'right', 'right', 'right'],
  });
  for (const l of s.layers) {
    const rf = l.receptiveField;
    const rfText = rf ? `${rf.size[0] === rf.size[1] ? rf.size[0] : rf.size.join('×')} (${rf.jump[0] === rf.jump[1] ? rf.jump[0] : rf.jump.join('×')})` : '';
    table.push([l.name, l.op, l.line, formatShape(l.shape), l.params ? group(l.params) : '', l.macs ? humanCount(l.macs) : '', rfText, humanBytes(l.activationBytes)]);
  }
  const lines = [
    `model ${s.model}: ${formatShape(s.input)} → ${formatShape(s.output)}`,
    table.toString(),
    `Trainable params:     ${group(s.totalParams)}`,
    `Non-trainable params: ${group(s.nonTrainableParams)}`,
    `MACs per image:       ${group(s.totalMacs)} (${humanCount(s.totalMacs)})`,
    `Activations / image:  ${humanBytes(s.activationBytes)}`,
    `Parameter memory:     ${humanBytes(s.paramBytes)}`,
  ];
  return lines.join('\n');
}
