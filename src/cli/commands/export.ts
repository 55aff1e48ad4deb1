import { trainingConfig } from '../../check/training.js';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import type { CheckedModel } from '../../check/model.js';
import { initialWeights } from '../../backend.js';
import { exportOnnx, OPSETS } from '../../export/onnx.js';
import { exportPyTorch } from '../../export/pytorch.js';
import { trainScript } from '../../export/train-script.js';
import { lowerModel } from '../../ir/lower.js';
import { defaultFormat, EXIT, UsageError } from '../io.js';
import type { FrontEndResult } from '../../compiler.js';
import { parseSets, pickModel, runFrontEnd, writeOutput } from '../load.js';
import { common, type CommandContext, type CommonFlags } from './common.js';
import { loadWeightsFile, nonNegativeInt } from './model-args.js';

interface ExportFlags extends CommonFlags {
  readonly to: 'pytorch' | 'onnx';
  readonly out: string;
  readonly opset: number;
  readonly weights?: string;
  readonly seed: number;
}

/**
 * `cnnc export FILE --to pytorch -o DIR`: the model as plain PyTorch (DIR/model.py) and its
 * training as DIR/train.py. `--to onnx -o FILE.onnx`: the inference graph with the weights.
 */
export function registerExport(program: Command, ctx: CommandContext): void {
  common(
    program
      .command('export')
      .description('write the model for another framework: --to pytorch writes DIR/model.py (a class per block and model, state_dict keys = cnnc\'s weight names) and DIR/train.py (its train section, alone or under torchrun); --to onnx writes FILE.onnx (the inference graph, dynamic batch, with the weights)')
      .argument('<file>', '.cnn file')
      .addOption(new Option('--to <framework>', 'the framework').choices(['pytorch', 'onnx']).default('pytorch'))
      .requiredOption('-o, --out <path>', 'pytorch: the folder to write; onnx: the .onnx file')
      .option('--opset <n>', `onnx: the operator set (${OPSETS[0]}–${OPSETS[OPSETS.length - 1]})`, (v: string) => opsetOf(v), 17)
      .option('--weights <file>', 'onnx: the weights to put in (safetensors or .pth; default: the initial weights from --seed)')
      .option('--seed <n>', 'onnx: seed of the initial weights when --weights is not given', nonNegativeInt('--seed'), 0),
  ).action((file: string, flags: ExportFlags) => {
    const r = runFrontEnd(file, flags, flags.format ?? defaultFormat());
    if (r.failed) return ctx.setCode(EXIT.inputErrors);
    const model = pickModel(r.models, flags.model, file);
    if (flags.to === 'onnx') return writeOnnx(model, r, flags);
    if (flags.weights) throw new UsageError('--weights is for --to onnx; model.py loads weights itself: build_model(\'model.safetensors\')');
    const { source, className } = exportPyTorch(model, r, parseSets(flags.set));
    const files: [string, string][] = [['model.py', source]];
    // A model with one image input trains; its train section (or cnnc train's defaults) becomes train.py.
    const trains = model.inputs.length === 1 && model.nodes[model.inputs[0]].shape.length === 3;
    if (trains) files.push(['train.py', trainScript(model, trainingConfig(model))]);
    for (const [name, text] of files) writeOutput(join(flags.out, name), text);
    process.stdout.write(`${join(flags.out, 'model.py')}: class ${className}; load cnnc weights with build_model('model.safetensors')\n`);
    if (trains) {
      const data = model.training?.data ?? 'mnist';
      process.stdout.write(`${join(flags.out, 'train.py')}: python train.py --data ${data}:DIR, or torchrun --nproc_per_node N train.py --data ${data}:DIR\n`);
    }
  });
}

function writeOnnx(model: CheckedModel, r: FrontEndResult, flags: ExportFlags): void {
  const log = (s: string) => process.stderr.write(s + '\n');
  const weights = flags.weights ? loadWeightsFile(flags.weights, model, log) : initialWeights(lowerModel(model, { mode: 'infer' }), flags.seed);
  const bytes = exportOnnx(model, weights, r.sources, { opset: flags.opset, producerVersion: '0.1.0' });
  writeOutput(flags.out, bytes);
  const input = model.nodes[model.inputs[0]].shape;
  process.stdout.write(`${flags.out}: ${model.name}, opset ${flags.opset}, input N × ${input.join(' × ')}, ${(bytes.length / 2 ** 20).toFixed(2)} MiB${flags.weights ? ` with the weights of ${flags.weights}` : ` with initial weights (seed ${flags.seed}; give trained ones with --weights)`}\n`);
}

function opsetOf(v: string): number {
  const n = Number(v);
  if (!OPSETS.includes(n as (typeof OPSETS)[number])) throw new UsageError(`--opset ${v}: cnnc writes opsets ${OPSETS.join(', ')}`);
  return n;
}

