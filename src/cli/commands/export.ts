import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { exportPyTorch } from '../../export/pytorch.js';
import { defaultFormat, EXIT, UsageError } from '../io.js';
import { pickModel, runFrontEnd } from '../load.js';
import { common, type CommandContext, type CommonFlags } from './common.js';

interface ExportFlags extends CommonFlags {
  readonly to: 'pytorch';
  readonly out: string;
}

/** `cnnc export FILE --to pytorch -o DIR`: the model as plain PyTorch (DIR/model.py). */
export function registerExport(program: Command, ctx: CommandContext): void {
  common(
    program
      .command('export')
      .description('write the model for another framework: --to pytorch writes DIR/model.py (an nn.Module whose state_dict keys are cnnc\'s weight names)')
      .argument('<file>', '.cnn file')
      .addOption(new Option('--to <framework>', 'the framework').choices(['pytorch']).default('pytorch'))
      .requiredOption('-o, --out <dir>', 'the folder to write'),
  ).action((file: string, flags: ExportFlags) => {
    const r = runFrontEnd(file, flags, flags.format ?? defaultFormat());
    if (r.failed) return ctx.setCode(EXIT.inputErrors);
    const model = pickModel(r.models, flags.model, file);
    const { source, className } = exportPyTorch(model, r.sources);
    const path = join(flags.out, 'model.py');
    try {
      mkdirSync(flags.out, { recursive: true });
      writeFileSync(path, source);
    } catch (e) {
      throw new UsageError(`cannot write ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    process.stdout.write(`${path}: class ${className}; load cnnc weights with build_model('model.safetensors')\n`);
  });
}
