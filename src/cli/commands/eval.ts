import { trainingConfig } from '../../check/training.js';
import Table from 'cli-table3';
import type { Command } from 'commander';
import { ModelSession } from '../../engine/session.js';
import { loadData, parseDataSpec } from '../../train/data/spec.js';
import { evaluate, type EvalResult } from '../../train/evaluate.js';
import { normalizer } from '../../train/inputs.js';
import { EXIT, UsageError } from '../io.js';
import { common, type CommandContext, type CommonFlags } from './common.js';
import { imageShape, loadModel, loadWeightsFile, positiveInt } from './model-args.js';

interface EvalFlags extends CommonFlags {
  readonly weights: string;
  readonly data?: string;
  readonly split: 'test' | 'train';
  readonly batch?: number;
  readonly limit?: number;
  readonly json?: boolean;
}

export function registerEval(program: Command, ctx: CommandContext): void {
  common(
    program
      .command('eval')
      .description('score trained weights on a data set: loss, accuracy, top-5 and the confusion matrix')
      .argument('<file>', '.cnn file')
      .requiredOption('--weights <file>', 'weights (safetensors, PyTorch names)')
      .option('--data <spec>', "mnist | mnist:DIR | cifar10:DIR | images:DIR (default: the train section's data)")
      .option('--split <which>', 'the test split, or the training data', 'test')
      .option('--batch <n>', 'images per forward pass', positiveInt('--batch'))
      .option('--limit <n>', 'score only the first N images', positiveInt('--limit'))
      .option('--json', 'print JSON')
      .option('--model <name>', 'which model, when the file has several'),
  ).action(async (file: string, flags: EvalFlags) => {
    const model = loadModel(file, flags);
    if (!model) return ctx.setCode(EXIT.inputErrors);
    if (flags.split !== 'test' && flags.split !== 'train') throw new UsageError(`--split takes test or train, not '${flags.split}'`);
    const cfg = trainingConfig(model);
    const dataText = flags.data ?? cfg.data;
    if (!dataText) throw new UsageError(`no data: pass --data or add \`data:\` to ${model.name}'s train section`);
    const shape = imageShape(model);
    const loaded = loadData(parseDataSpec(dataText), shape, flags.split === 'train' ? 'train' : 'test');
    const ds = flags.split === 'train' ? loaded.train : loaded.test;
    if (!ds) throw new UsageError(`${dataText} has no test split; use --split train`);
    const weights = loadWeightsFile(flags.weights, model, (s) => process.stderr.write(s + '\n'));
    const batch = flags.batch ?? cfg.batch;
    const session = await ModelSession.create(model, { batch, seed: 0 });
    try {
      await session.setWeights(weights);
      const r = await evaluate(session, ds, { batch, loss: cfg.loss, prepare: normalizer(cfg, shape), limit: flags.limit });
      const names = ds.classNames ?? Array.from({ length: ds.classes }, (_, i) => String(i));
      process.stdout.write(flags.json ? JSON.stringify({ split: flags.split, ...r, classes: names }, null, 1) + '\n' : renderEval(r, names, `${dataText} (${flags.split})`));
    } finally {
      await session.destroy();
    }
  });
}

export function renderEval(r: EvalResult, names: readonly string[], what: string): string {
  const lines = [
    `${what}: ${r.count.toLocaleString('en-US')} images`,
    `loss      ${r.loss.toFixed(4)}`,
    `accuracy  ${(100 * r.accuracy).toFixed(2)}%`,
    ...(r.top5 !== undefined ? [`top-5     ${(100 * r.top5).toFixed(2)}%`] : []),
    '',
    'confusion matrix (rows: true class, columns: predicted)',
  ];
  const table = new Table({
    head: ['', ...names],
    colAligns: ['left', ...names.map(() => 'right' as const)],
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: { head: [], border: [], compact: true },
  });
  r.confusion.forEach((row, i) => table.push({ [names[i]]: row.map(String) }));
  return lines.join('\n') + '\n' + table.toString() + '\n';
}
