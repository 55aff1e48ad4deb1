import { Command, CommanderError } from 'commander';
import { summarize } from '../check/summary.js';
import { defaultFormat, EXIT, UsageError } from './io.js';
import { pickModel, runFrontEnd } from './load.js';
import { renderSummary } from './summary-table.js';
import { userErrorText } from './errors.js';
import { common, type CommandContext, type CommonFlags } from './commands/common.js';
import { registerCompile } from './commands/compile.js';
import { registerDiagram } from './commands/diagram.js';
import { registerViz } from './commands/viz.js';
import { registerTrain } from './commands/train.js';
import { registerEval } from './commands/eval.js';
import { registerPredict } from './commands/predict.js';
import { registerLsp } from './commands/lsp.js';
import { registerExport } from './commands/export.js';
import { registerImport } from './commands/import.js';
import { registerFmt } from './commands/fmt.js';

/** The `cnnc` program. Returns the exit code instead of exiting, so it can be tested in-process. */
export async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('cnnc')
    .description('A compiler for convolutional neural networks described in .cnn files.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  const ctx: CommandContext = { setCode: (c) => (code = Math.max(code, c)) };

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

  registerCompile(program, ctx);
  registerDiagram(program, ctx);
  registerViz(program, ctx);
  registerTrain(program, ctx);
  registerEval(program, ctx);
  registerPredict(program, ctx);
  registerExport(program, ctx);
  registerImport(program, ctx);
  registerFmt(program, ctx);
  registerLsp(program);

  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (e instanceof UsageError) {
      process.stderr.write(`cnnc: ${e.message}\n`);
      return EXIT.usage;
    }
    const text = userErrorText(e);
    if (text === undefined) throw e;
    process.stderr.write(`${text}\n`);
    return EXIT.inputErrors;
  }
}
