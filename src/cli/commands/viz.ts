import { join } from 'node:path';
import type { Command } from 'commander';
import { lowerModel } from '../../ir/lower.js';
import { convLayers, renderFilters } from '../../viz/filters.js';
import { UsageError } from '../io.js';
import type { CommandContext } from './common.js';
import { prepare, unknownLayer, vizCommand, writePicture, type VizFlags } from './viz-common.js';
import { registerVizProbes } from './viz-probes.js';
import { registerVizReport } from './viz-report.js';

/**
 * `cnnc viz <kind>`: pictures of what a trained network has learnt (`cnnc diagram` draws the
 * architecture). This file holds the command group and the filters command, which needs no GPU;
 * the commands that run the model are in viz-probes.ts, the HTML page in viz-report.ts, and what
 * they share in viz-common.ts.
 */
export function registerViz(program: Command, ctx: CommandContext): void {
  const viz = program
    .command('viz')
    .description('pictures of what a trained network does: filters, activations, saliency, Grad-CAM, occlusion, deconvolution, inversion, activation maximisation, nearest neighbours, and a report page of them all');
  vizCommand(viz, 'filters', "a conv layer's kernels (the first one by default) as a grid of small pictures, each normalised on its own; colour for 3-channel input")
    .requiredOption('-o, --out <dir>', 'folder for filters-<layer>.png')
    .option('--layer <name>', 'another conv layer, by its name in `cnnc summary`')
    .action((file: string, flags: VizFlags & { out: string; layer?: string }) => {
      const setup = prepare(file, flags, ctx);
      if (!setup) return;
      const convs = convLayers(lowerModel(setup.model, { mode: 'infer' }));
      if (convs.length === 0) throw new UsageError(`model ${setup.model.name} has no conv layer`);
      const conv = flags.layer === undefined ? convs[0] : convs.find((c) => c.layer === flags.layer);
      if (!conv) {
        const names = setup.model.nodes.map((n) => n.name);
        const kind = setup.model.nodes.find((n) => n.name === flags.layer)?.op;
        if (kind) throw new UsageError(`layer ${flags.layer} is a ${kind}, not a conv (conv layers: ${convs.map((c) => c.layer).join(', ')})`);
        throw new UsageError(unknownLayer(flags.layer!, setup.model.name, names));
      }
      const picture = renderFilters(setup.weights[conv.weight].data, conv.shape, { scale: flags.scale });
      const path = join(flags.out, `filters-${conv.layer}.png`);
      writePicture(path, picture);
      const [o, i, kh, kw] = conv.shape;
      process.stdout.write(`${path}: ${o} kernel${o === 1 ? '' : 's'} of ${conv.layer}, ${kh}×${kw} over ${i} channel${i === 1 ? '' : 's'}, ${picture.width}×${picture.height} pixels\n`);
    });
  registerVizProbes(viz, ctx);
  registerVizReport(viz, ctx);
}

