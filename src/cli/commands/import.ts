import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { summarize } from '../../check/summary.js';
import { compileFrontEnd } from '../../compiler.js';
import { memoryHost } from '../../memory-host.js';
import { importOnnx } from '../../import/onnx.js';
import { encodeSafetensors } from '../../train/safetensors.js';
import { UsageError } from '../io.js';
import { writeOutput } from '../load.js';
import type { CommandContext } from './common.js';

/**
 * `cnnc import model.onnx -o DIR`: DIR/<name>.cnn, a readable model with its shapes, and
 * DIR/<name>.safetensors with the weights under its layer names. The .cnn is checked before
 * anything is written, so an import that would not check is an error, not a file.
 */
export function registerImport(program: Command, _ctx: CommandContext): void {
  program
    .command('import')
    .description('turn an ONNX CNN into a readable .cnn file with its shapes, and its weights into safetensors under the new names')
    .argument('<model.onnx>', 'an ONNX model (e.g. from torch.onnx.export)')
    .requiredOption('-o, --out <dir>', 'the folder for <name>.cnn and <name>.safetensors')
    .option('--name <name>', 'the model name (default: the file name)')
    .action((file: string, flags: { out: string; name?: string }) => {
      if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
      const name = flags.name ?? basename(file).replace(/\.onnx$/i, '');
      const imported = importOnnx(readFileSync(file), name);
      const path = `${imported.name}.cnn`;
      const r = compileFrontEnd(path, imported.source, memoryHost({ [path]: imported.source }));
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length || !r.models[0]) throw new Error(`internal: the imported model does not check: ${errors.map((d) => `${d.code} ${d.message}`).join('; ')}`);
      writeOutput(join(flags.out, path), imported.source);
      writeOutput(join(flags.out, `${imported.name}.safetensors`), encodeSafetensors(imported.weights, { format: 'pt', model: imported.name }));
      const s = summarize(r.models[0], r.sources);
      process.stdout.write(`${join(flags.out, path)}: model ${imported.name}, ${imported.layers} layers, ${s.totalParams.toLocaleString('en-US')} parameters, ${s.input.join('×')} → ${s.output.join('×')}\n`);
      process.stdout.write(`${join(flags.out, `${imported.name}.safetensors`)}: ${Object.keys(imported.weights).length} tensors\n`);
    });
}
