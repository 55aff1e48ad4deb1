import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { exportPyTorch } from '../../export/pytorch.js';
import { trainScript } from '../../export/train-script.js';
import { defaultFormat, EXIT, UsageError } from '../io.js';
import { parseSets, pickModel, runFrontEnd } from '../load.js';
import { common, type CommandContext, type CommonFlags } from './common.js';
import { trainingDefaults } from './model-args.js';

interface ExportFlags extends CommonFlags {
  readonly to: 'pytorch';
  readonly out: string;
}

/** `cnnc export FILE --to pytorch -o DIR`: the model as plain PyTorch (DIR/model.py) and its training as DIR/train.py. */
export function registerExport(program: Command, ctx: CommandContext): void {
  common(
    program
      .command('export')
      .description('write the model for another framework: --to pytorch writes DIR/model.py (an nn.Module whose state_dict keys are cnnc\'s weight names) and DIR/train.py (its train section, on one process or under torchrun)')
      .argument('<file>', '.cnn file')
      .addOption(new Option('--to <framework>', 'the framework').choices(['pytorch']).default('pytorch'))
      .requiredOption('-o, --out <dir>', 'the folder to write'),
  ).action((file: string, flags: ExportFlags) => {
    const r = runFrontEnd(file, flags, flags.format ?? defaultFormat());
    if (r.failed) return ctx.setCode(EXIT.inputErrors);
    const model = pickModel(r.models, flags.model, file);
    const { source, className } = exportPyTorch(model, r, parseSets(flags.set));
    const files: [string, string][] = [['model.py', source]];
    // A model with one image input trains; its train section (or cnnc train's defaults) becomes train.py.
    const trains = model.inputs.length === 1 && model.nodes[model.inputs[0]].shape.length === 3;
    if (trains) files.push(['train.py', trainScript(model, model.training ?? trainingDefaults(model))]);
    for (const [name, text] of files) {
      const path = join(flags.out, name);
      try {
        mkdirSync(flags.out, { recursive: true });
        writeFileSync(path, text);
      } catch (e) {
        throw new UsageError(`cannot write ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      }
    }
    process.stdout.write(`${join(flags.out, 'model.py')}: class ${className}; load cnnc weights with build_model('model.safetensors')\n`);
    if (trains) {
      const data = model.training?.data ?? 'mnist';
      process.stdout.write(`${join(flags.out, 'train.py')}: python train.py --data ${data}:DIR, or torchrun --nproc_per_node N train.py --data ${data}:DIR\n`);
    }
  });
}
