import { Option, type Command } from 'commander';
import { compileBackEnd } from '../../backend.js';
import type { CheckedModel } from '../../check/model.js';
import { printGraph } from '../../ir/print.js';
import { TARGETS } from '../../codegen/targets.js';
import { printDevicePlan, printFusion } from '../../engine/print-plan.js';
import { compileModule } from '../../module/compile-module.js';
import { moduleFiles, writeModuleFiles } from '../../module/write-module.js';
import { defaultFormat, EXIT, UsageError } from '../io.js';
import { pickModel, runFrontEnd } from '../load.js';
import { common, type CommandContext, type CommonFlags } from './common.js';

type Target = 'software' | 'gpu';

/** Stages `--emit` prints, in pipeline order (src/backend.ts). */
const STAGES = ['ast', 'ir', 'folded', 'fusion', 'wgsl', 'plan', 'manifest'] as const;
type Stage = (typeof STAGES)[number];

interface CompileFlags extends CommonFlags {
  readonly emit?: Stage;
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
      .addOption(
        new Option(
          '--emit <stage>',
          'print a stage (required without -o): ast, ir (lowered; with --mode train, differentiated), folded (batchnorm folded), fusion (the groups), wgsl, plan (kernels, bindings, workgroups, buffers) or manifest (the module, as JSON)',
        ).choices(STAGES),
      )
      .addOption(new Option('--target <kind>', 'kernel variants: software (CPU adapters such as lavapipe) or gpu').choices(['software', 'gpu']).default('software'))
      .option('--no-fusion', 'one kernel per op (for comparison)')
      .addOption(new Option('--mode <mode>', '--emit: inference graph, or training graph with loss and gradients').choices(['infer', 'train']).default('infer'))
      .option('--seed <n>', "default seed of the initial weights and the seed of dropout's random stream (-o, --emit)", '0')
      .option('--model <name>', 'which model, when the file has several'),
  ).action((file: string, flags: CompileFlags) => {
    if (!flags.emit && flags.out === undefined) throw new UsageError(`compile needs -o DIR (a runnable module) or --emit ${STAGES.join('|')} (a stage on stdout)`);
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
    if (flags.emit && flags.emit !== 'ast') emitStage(m, flags.emit, flags, seed);
    if (flags.out !== undefined) writeModule(m, file, flags.out, { target: flags.target, fusion: flags.fusion, seed });
  });
}

function emitStage(m: CheckedModel, stage: Exclude<Stage, 'ast'>, flags: CompileFlags, seed: number): void {
  const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  if (stage === 'manifest') {
    out(JSON.stringify(compileModule(m, { target: flags.target, fusion: flags.fusion, seed }).manifest, null, 2));
    return;
  }
  const stages = compileBackEnd(m, { mode: flags.mode, target: TARGETS[flags.target], fusion: flags.fusion, seed });
  const { plan } = stages;
  const title = `${m.name} (${flags.mode}, ${flags.target})`;
  if (stage === 'ir') out(printGraph(stages.differentiated ?? stages.lowered, `${m.name} (${flags.mode})`));
  else if (stage === 'folded') out(printGraph(plan.graph, `${m.name} (${flags.mode}, batchnorm folded)`));
  else if (stage === 'fusion') out(printFusion(plan.graph, plan.fusion, title));
  else if (stage === 'plan') out(printDevicePlan(plan, title));
  else {
    out(`// ${title}: ${plan.kernels.length} kernels`);
    for (const k of plan.kernels) out(`\n// ---- ${k.name}\n${k.source}`);
  }
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
