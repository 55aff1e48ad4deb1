import { Option, type Command } from 'commander';
import { renderDiagram } from '../../viz/diagram.js';
import { defaultFormat, EXIT, UsageError } from '../io.js';
import { pickModel, runFrontEnd, writeOutput } from '../load.js';
import { common, type CommandContext, type CommonFlags } from './common.js';

export function registerDiagram(program: Command, ctx: CommandContext): void {
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
      ctx.setCode(EXIT.inputErrors);
      return;
    }
    const svg = renderDiagram(pickModel(r.models, flags.model, file), { expand, direction: flags.direction, fold: flags.fold });
    if (flags.out) writeOutput(flags.out, svg);
    else process.stdout.write(svg);
  });
}
