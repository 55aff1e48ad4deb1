import { Option, type Command } from 'commander';
import { differentiate } from '../../ir/autodiff.js';
import { lowerModel } from '../../ir/lower.js';
import { printGraph } from '../../ir/print.js';
import { TARGETS } from '../../codegen/targets.js';
import { DEFAULT_OPTIMIZER, planDevice } from '../../engine/plan.js';
import { defaultFormat, EXIT } from '../io.js';
import { pickModel, runFrontEnd } from '../load.js';
import { common, type CommandContext, type CommonFlags } from './common.js';

export function registerCompile(program: Command, ctx: CommandContext): void {
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
      if (r.failed) ctx.setCode(EXIT.inputErrors);
      return;
    }
    if (r.failed) {
      ctx.setCode(EXIT.inputErrors);
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
}
