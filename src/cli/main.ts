import { Command, CommanderError, Option } from 'commander';
import { summarize } from '../check/summary.js';
import { differentiate } from '../ir/autodiff.js';
import { lowerModel } from '../ir/lower.js';
import { printGraph } from '../ir/print.js';
import { renderDiagram } from '../viz/diagram.js';
import { TARGETS } from '../codegen/targets.js';
import { DEFAULT_OPTIMIZER, planDevice } from '../engine/plan.js';
import { defaultFormat, EXIT, useColor, UsageError, type DiagFormat } from './io.js';
import { pickModel, runFrontEnd, writeOutput, type FrontEndFlags } from './load.js';
import { renderSummary } from './summary-table.js';

interface CommonFlags extends FrontEndFlags {
  readonly format?: DiagFormat;
}

function common(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <style>', 'diagnostics style (default: pretty on a terminal, short otherwise)').choices(['short', 'pretty']))
    .option('--strict', 'treat lossy strides (W0208) as errors')
    .option('--set <name=value>', 'set a model parameter, e.g. --set classes=10 (repeatable)', (v: string, prev: string[] = []) => [...prev, v]);
}

/** The `cnnc` program. Returns the exit code instead of exiting, so it can be tested in-process. */
export async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('cnnc')
    .description('A compiler for convolutional neural networks described in .cnn files.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });

  common(program.command('check').description('check files for errors; prints nothing when they are clean').argument('<files...>', '.cnn files')).action(
    (files: string[], flags: CommonFlags) => {
      const format = flags.format ?? defaultFormat();
      for (const f of files) if (runFrontEnd(f, flags, format).failed) code = EXIT.inputErrors;
    },
  );

  common(
    program
      .command('summary')
      .description('print each layer with its output shape, parameters, MACs, receptive field and memory')
      .argument('<file>', '.cnn file')
      .option('--json', 'print JSON instead of a table')
      .option('--model <name>', 'which model, when the file has several'),
  ).action((file: string, flags: CommonFlags & { json?: boolean }) => {
    const r = runFrontEnd(file, flags, flags.format ?? defaultFormat());
    if (r.failed) {
      code = EXIT.inputErrors;
      return;
    }
    const s = summarize(pickModel(r.models, flags.model, file), r.sources);
    process.stdout.write((flags.json ? JSON.stringify(s, null, 2) : renderSummary(s, Boolean(process.stdout.isTTY) && !process.env.NO_COLOR)) + '\n');
  });

  common(
    program
      .command('compile')
      .description('compile a model and print one stage: the syntax tree, or the graph IR (forward, or forward + backward with --mode train)')
      .argument('<file>', '.cnn file')
      .addOption(new Option('--emit <stage>', 'what to print').choices(['ast', 'ir', 'wgsl']).makeOptionMandatory())
      .addOption(new Option('--target <kind>', 'kernel variants for --emit wgsl').choices(['software', 'gpu']).default('software'))
      .option('--no-fusion', 'one kernel per op (for comparison)')
      .addOption(new Option('--mode <mode>', 'inference graph, or training graph with loss and gradients').choices(['infer', 'train']).default('infer'))
      .option('--model <name>', 'which model, when the file has several'),
  ).action((file: string, flags: CommonFlags & { emit: 'ast' | 'ir' | 'wgsl'; mode: 'infer' | 'train'; target: 'software' | 'gpu'; fusion: boolean }) => {
    const r = runFrontEnd(file, flags, flags.format ?? defaultFormat());
    if (flags.emit === 'ast') {
      process.stdout.write(JSON.stringify(r.program, (k, v: unknown) => (k === 'file' ? undefined : v), 1) + '\n');
      if (r.failed) code = EXIT.inputErrors;
      return;
    }
    if (r.failed) {
      code = EXIT.inputErrors;
      return;
    }
    const m = pickModel(r.models, flags.model, file);
    const forward = lowerModel(m, { mode: flags.mode });
    const graph = flags.mode === 'train' ? differentiate(forward) : forward;
    if (flags.emit === 'ir') {
      process.stdout.write(printGraph(graph, `${m.name} (${flags.mode})`) + '\n');
      return;
    }
    const plan = planDevice(graph, TARGETS[flags.target], { fusion: flags.fusion, align: 256, optimizer: flags.mode === 'train' ? (m.training?.optimizer ?? DEFAULT_OPTIMIZER) : undefined });
    process.stdout.write(`// ${m.name} (${flags.mode}, ${flags.target}): ${plan.kernels.length} kernels\n`);
    for (const k of plan.kernels) process.stdout.write(`\n// ---- ${k.name}\n${k.source}\n`);
  });

  common(
    program
      .command('diagram')
      .description('draw the architecture as an SVG graph: layers with shapes and parameters, branches and merges')
      .argument('<file>', '.cnn file')
      .option('-o, --out <file.svg>', 'where to write the SVG (default: standard output)')
      .option('--expand <what>', 'open blocks: none, all, or how many levels', 'none')
      .addOption(new Option('--direction <dir>', 'top to bottom or left to right').choices(['TB', 'LR']).default('TB'))
      .option('--no-fold', 'draw activations, batchnorm and dropout as boxes of their own')
      .option('--model <name>', 'which model, when the file has several'),
  ).action((file: string, flags: CommonFlags & { out?: string; expand: string; direction: 'TB' | 'LR'; fold: boolean }) => {
    const expand = flags.expand === 'none' || flags.expand === 'all' ? flags.expand : Number(flags.expand);
    if (typeof expand === 'number' && !(Number.isInteger(expand) && expand >= 0)) throw new UsageError(`--expand takes none, all or a number of levels, not '${flags.expand}'`);
    const r = runFrontEnd(file, flags, flags.format ?? defaultFormat());
    if (r.failed) {
      code = EXIT.inputErrors;
      return;
    }
    const svg = renderDiagram(pickModel(r.models, flags.model, file), { expand, direction: flags.direction, fold: flags.fold });
    if (flags.out) writeOutput(flags.out, svg);
    else process.stdout.write(svg);
  });

  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (e instanceof UsageError) {
      process.stderr.write(`cnnc: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
}
