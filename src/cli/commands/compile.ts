import { Option, type Command } from 'commander';
import type { CheckedModel } from '../../check/model.js';
import { differentiate } from '../../ir/autodiff.js';
import { lowerModel } from '../../ir/lower.js';
import { printGraph } from '../../ir/print.js';
import { TARGETS } from '../../codegen/targets.js';
import { DEFAULT_OPTIMIZER, planDevice } from '../../engine/plan.js';
import { compileModule } from '../../module/compile-module.js';
import { moduleFiles, writeModuleFiles } from '../../module/write-module.js';
import { defaultFormat, EXIT, UsageError } from '../io.js';
import { pickModel, runFrontEnd } from '../load.js';
import { common, type CommandContext, type CommonFlags } from './common.js';

type Target = 'software' | 'gpu';

interface CompileFlags extends CommonFlags {
  readonly emit?: 'ast' | 'ir' | 'wgsl';
  readonly mode: 'infer' | 'train';
  readonly target: Target;
  readonly fusion: boolean;
  readonly out?: string;
  readonly seed: string;
}

export function registerCompile(program: Command, ctx: CommandContext): void {
  common(
    program
      .command('compile')
      .description('compile a model to a runnable ES module in DIR (-o), or print one stage: the syntax tree, the graph IR or the WGSL (--emit)')
      .argument('<file>', '.cnn file')
      .option('-o, --out <dir>', 'write <model>.js, <model>.d.ts, <model>.manifest.json, the WGSL kernels and the runtime to this folder')
      .addOption(new Option('--emit <stage>', 'print a stage (required without -o)').choices(['ast', 'ir', 'wgsl']))
      .addOption(new Option('--target <kind>', 'kernel variants: software (CPU adapters such as lavapipe) or gpu').choices(['software', 'gpu']).default('software'))
      .option('--no-fusion', 'one kernel per op (for comparison)')
      .addOption(new Option('--mode <mode>', '--emit: inference graph, or training graph with loss and gradients').choices(['infer', 'train']).default('infer'))
      .option('--seed <n>', "-o: default seed of the initial weights and of dropout's random stream", '0')
      .option('--model <name>', 'which model, when the file has several'),
  ).action((file: string, flags: CompileFlags) => {
    if (!flags.emit && flags.out === undefined) throw new UsageError('compile needs -o DIR (a runnable module) or --emit ast|ir|wgsl (a stage on stdout)');
    const seed = Number(flags.seed);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new UsageError(`--seed expects an integer from 0 to 4294967295, got '${flags.seed}'`);
    const r = runFrontEnd(file, flags, flags.format ?? defaultFormat());
    if (flags.emit === 'ast') {
      process.stdout.write(JSON.stringify(r.program, (k, v: unknown) => (k === 'file' ? undefined : v), 1) + '\n');
    }
    if (r.failed) {
      ctx.setCode(EXIT.inputErrors);
      return;
    }
    const m = pickModel(r.models, flags.model, file);
    if (flags.emit === 'ir' || flags.emit === 'wgsl') emitStage(m, flags.emit, flags);
    if (flags.out !== undefined) writeModule(m, file, flags.out, { target: flags.target, fusion: flags.fusion, seed });
  });
}

function emitStage(m: CheckedModel, stage: 'ir' | 'wgsl', flags: CompileFlags): void {
  const forward = lowerModel(m, { mode: flags.mode });
  const graph = flags.mode === 'train' ? differentiate(forward) : forward;
  if (stage === 'ir') {
    process.stdout.write(printGraph(graph, `${m.name} (${flags.mode})`) + '\n');
    return;
  }
  const plan = planDevice(graph, TARGETS[flags.target], { fusion: flags.fusion, align: 256, optimizer: flags.mode === 'train' ? (m.training?.optimizer ?? DEFAULT_OPTIMIZER) : undefined });
  process.stdout.write(`// ${m.name} (${flags.mode}, ${flags.target}): ${plan.kernels.length} kernels\n`);
  for (const k of plan.kernels) process.stdout.write(`\n// ---- ${k.name}\n${k.source}\n`);
}

/** Writes the module's files and says what it wrote, one line per file, then the dispatch counts. */
function writeModule(m: CheckedModel, file: string, dir: string, opts: { target: Target; fusion: boolean; seed: number }): void {
  const compiled = compileModule(m, opts);
  let written: string[];
  try {
    written = writeModuleFiles(dir, moduleFiles(compiled, file));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(`cannot write to ${dir} (${err.code ?? err.message}${err.path ? `: ${err.path}` : ''})`);
  }
  for (const path of written) process.stdout.write(`wrote ${path}\n`);
  const d = compiled.manifest.dispatches;
  process.stdout.write(`${d.forward} kernels per forward pass, ${d.trainStep} per training step\n`);
}
