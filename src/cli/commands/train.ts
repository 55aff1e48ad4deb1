import { trainingConfig } from '../../check/training.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sources } from '../../diagnostics/render.js';
import { sourceFile, type Span } from '../../diagnostics/source.js';
import { Option, type Command } from 'commander';
import type { TrainingConfig } from '../../check/training.js';
import { loadCheckpoint } from '../../train/checkpoint.js';
import { loadData, parseDataSpec } from '../../train/data/spec.js';
import { splitValidation } from '../../train/data/split.js';
import { checkWritableFolder } from '../../train/atomic-write.js';
import { DataError } from '../../train/errors.js';
import { train, type TrainSetup } from '../../train/trainer.js';
import { renderRunDiagnostic } from '../errors.js';
import { EXIT, UsageError } from '../io.js';
import { TrainProgress } from '../progress.js';
import { common, type CommandContext, type CommonFlags } from './common.js';
import { imageShape, loadModel, loadWeightsFile, nonNegativeInt, outputCount, positiveInt, positiveNumber } from './model-args.js';

interface TrainFlags extends CommonFlags {
  readonly data?: string;
  readonly epochs?: number;
  readonly batch?: number;
  readonly lr?: number;
  readonly seed?: number;
  readonly validation?: number;
  readonly out?: string;
  readonly resume?: string;
  readonly weights?: string;
  readonly saveFormat: 'safetensors' | 'pt';
}

export function registerTrain(program: Command, ctx: CommandContext): void {
  common(
    program
      .command('train')
      .description("train a model on a data set; flags override the file's train { } section")
      .argument('<file>', '.cnn file')
      .option('--data <spec>', 'mnist | mnist:DIR | cifar10:DIR | images:DIR')
      .option('--epochs <n>', 'epochs to train', positiveInt('--epochs'))
      .option('--batch <n>', 'images per step', positiveInt('--batch'))
      .option('--lr <x>', 'learning rate', positiveNumber('--lr'))
      .option('--seed <n>', 'seed for initial weights, shuffling, augmentation and dropout', nonNegativeInt('--seed'))
      .option('--validation <fraction>', 'hold out this part of the training data to validate on (default: validate on the test split)', parseFraction)
      .option('--out <dir>', 'where checkpoints, metrics and curves go', 'runs/<model>')
      .option('--resume <dir>', 'continue from DIR/checkpoint.safetensors (writes to DIR unless --out is given)')
      .option('--weights <file>', 'start from these weights (safetensors, PyTorch names)')
      .addOption(new Option('--save-format <format>', 'the final weights as OUT/model.safetensors or, for torch.load, OUT/model.pt (checkpoints stay safetensors)').choices(['safetensors', 'pt']).default('safetensors'))
      .option('--model <name>', 'which model, when the file has several'),
  ).action(async (file: string, flags: TrainFlags, cmd: Command) => {
    const model = loadModel(file, flags);
    if (!model) return ctx.setCode(EXIT.inputErrors);
    if (flags.resume && flags.weights) throw new UsageError('--resume continues a run with its own weights; --weights starts a new one: pass one of them');
    const config = withOverrides(trainingConfig(model), flags);
    const dataText = flags.data ?? config.data;
    if (!dataText) throw new UsageError(`no data: pass --data (mnist, mnist:DIR, cifar10:DIR, images:DIR) or add \`data:\` to ${model.name}'s train section`);
    const shape = imageShape(model);
    const log = (s: string) => process.stderr.write(s + '\n');
    const outExplicit = cmd.getOptionValueSource('out') === 'cli';
    const outDir = flags.resume && !outExplicit ? flags.resume : (flags.out ?? 'runs/<model>').replace('<model>', model.name);
    // Before the data is read and any step runs: results that cannot be saved fail now (a run
    // resumed in its own folder is checked once its checkpoint is found there).
    const resumesInPlace = Boolean(flags.resume) && !outExplicit;
    if (!resumesInPlace) checkWritableFolder(outDir);
    const loaded = loadData(parseDataSpec(dataText), shape);
    const classes = outputCount(model);
    if (loaded.train.classes > classes) {
      throw new DataError('E_DATA_LABEL', `${dataText} has ${loaded.train.classes} classes but ${model.name} has ${classes} outputs; set the model's class count (e.g. --set classes=${loaded.train.classes})`);
    }
    const resume = flags.resume ? loadCheckpoint(join(flags.resume, 'checkpoint.safetensors'), model) : undefined;
    if (resumesInPlace) checkWritableFolder(outDir);
    if (resume && resume.optimizerConfig !== JSON.stringify(config.optimizer)) {
      log(`warning: the optimizer differs from the checkpoint's (${resume.optimizerConfig}); the run will not match an uninterrupted one`);
    }
    let trainSet = loaded.train;
    let validation: TrainSetup['validation'];
    if (config.validation > 0) {
      const split = splitValidation(loaded.train, config.validation, config.seed);
      trainSet = split.train;
      validation = { data: split.validation, split: 'validation' };
    } else if (loaded.test) validation = { data: loaded.test, split: 'test' };

    const aborter = new AbortController();
    const onSigint = () => {
      if (aborter.signal.aborted) process.exit(130);
      log('\ninterrupted: saving a checkpoint after this step (Ctrl-C again to quit without saving)');
      aborter.abort();
    };
    process.on('SIGINT', onSigint);
    const progress = new TrainProgress(Boolean(process.stderr.isTTY));
    try {
      log(`training ${model.name} on ${dataText}: ${trainSet.labels.length.toLocaleString('en-US')} images${validation ? `, validating on ${validation.data.labels.length.toLocaleString('en-US')} (${validation.split})` : ''}; ${config.optimizer.name} lr ${config.optimizer.lr}, batch ${config.batch}, ${config.epochs} epochs`);
      const result = await train(
        { model, config, train: trainSet, validation, test: loaded.test, outDir, resume, signal: aborter.signal, initialWeights: flags.weights ? loadWeightsFile(flags.weights, model, log) : undefined, saveFormat: flags.saveFormat },
        {
          onStart: (s) => {
            if (s.start.step > 0) log(`resuming at epoch ${s.start.epoch + 1}, batch ${s.start.batch + 1} (step ${s.start.step})`);
            log(`${s.dispatches.trainStep} kernels per training step, ${s.dispatches.forward} per forward pass; ${s.stepsPerEpoch} steps per epoch`);
          },
          onStep: (e) => progress.step(e),
          onEpoch: (e) => progress.epoch(e, config.epochs),
        },
      );
      progress.stop();
      const report = result.metrics.test;
      if (result.status === 'diverged') {
        const nf = result.nonFinite!;
        const where = !nf.where
          ? 'the loss (every layer output is finite)'
          : nf.where.kind === 'layer'
            ? `layer ${nf.where.name} (${nf.where.op}): ${nf.where.detail}`
            : `${nf.where.kind} ${nf.where.name}: ${nf.where.detail}`;
        log(renderRunDiagnostic({
          severity: 'error',
          code: 'E_NONFINITE_LOSS',
          message: `the loss became ${nf.loss} at step ${nf.step} (epoch ${nf.epoch + 1}, batch ${nf.batch + 1}); the first non-finite value is in ${where}`,
          span: nf.where?.span,
          notes: [{ message: result.checkpoint ? `the last good state is saved in ${result.checkpoint}` : 'no good state to save (the first step failed)' }],
          help: 'try a lower --lr',
        }, sourcesOf(nf.where?.span)));
        return ctx.setCode(EXIT.inputErrors);
      }
      if (result.status === 'interrupted') {
        log(`stopped; checkpoint saved in ${result.checkpoint}. Continue with: cnnc train ${file} --resume ${outDir}`);
        return ctx.setCode(130);
      }
      const acc = report ? `; test accuracy ${(100 * report.accuracy).toFixed(2)}% on ${report.count.toLocaleString('en-US')} images` : '';
      process.stdout.write(`trained ${model.name} in ${result.seconds.toFixed(1)} s${acc}\n`);
      process.stdout.write(`weights: ${result.weightsFile}\ncheckpoint: ${result.checkpoint}\nmetrics: ${join(outDir, 'metrics.json')}, curves: ${join(outDir, 'curves.svg')}\n`);
    } finally {
      progress.stop();
      process.off('SIGINT', onSigint);
    }
  });
}

function withOverrides(cfg: TrainingConfig, f: TrainFlags): TrainingConfig {
  return {
    ...cfg,
    data: f.data ?? cfg.data,
    epochs: f.epochs ?? cfg.epochs,
    batch: f.batch ?? cfg.batch,
    seed: f.seed ?? cfg.seed,
    validation: f.validation ?? cfg.validation,
    optimizer: f.lr !== undefined ? { ...cfg.optimizer, lr: f.lr } : cfg.optimizer,
  };
}

/** file:line:column of a span, for pointing at the layer in the .cnn file. */
/** The source a span points into, for the renderer's excerpt (none when it cannot be read). */
function sourcesOf(span: Span | undefined): Sources {
  if (!span) return new Map();
  try {
    return new Map([[span.file, sourceFile(span.file, readFileSync(span.file, 'utf8'))]]);
  } catch {
    return new Map();
  }
}

function parseFraction(v: string): number {
  const n = Number(v);
  if (!(n >= 0 && n < 1)) throw new UsageError(`--validation takes a fraction in [0, 1), not '${v}'`);
  return n;
}
