import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { summarize } from '../../check/summary.js';
import type { LayerOutput } from '../../engine/probe.js';
import { lowerModel } from '../../ir/lower.js';
import { numel } from '../../ir/graph.js';
import { loadData, parseDataSpec } from '../../train/data/spec.js';
import type { Metrics } from '../../train/metrics.js';
import { renderCurves } from '../../train/plot.js';
import { activationPicture, activationStats } from '../../viz/activations.js';
import { renderDiagram } from '../../viz/diagram.js';
import { classToExplain, deconvolve, gradCamOf, invertAt, inversionLayers, lastSpatialLayer, occlusion, peakOf, renderInversions, saliency, type Subject } from '../../viz/explain.js';
import { convLayers, renderFilters } from '../../viz/filters.js';
import { defaultFeatureTensor, featuresOf, nearest, renderNeighbours } from '../../viz/neighbors.js';
import { encodePng } from '../../viz/png.js';
import type { Picture } from '../../viz/raster.js';
import { renderReport, type ReportSection } from '../../viz/report.js';
import { UsageError } from '../io.js';
import { writeOutput } from '../load.js';
import { TaskProgress } from '../progress.js';
import type { CommandContext } from './common.js';
import { nonNegativeInt, positiveInt } from './model-args.js';
import { explaining, num, vizCommand, type VizFlags, type VizSetup } from './viz-common.js';

interface ReportFlags extends VizFlags {
  readonly out: string;
  readonly run?: string;
  readonly data?: string;
  readonly limit: number;
  readonly class?: number;
  readonly invertSteps: number;
}

/**
 * `cnnc viz report`: everything `cnnc viz` draws for one model and one image, on one HTML page
 * that needs nothing else to open (viz/report.ts). Each section is computed by the same code as
 * its own `viz` command (viz/explain.ts), with that command's defaults.
 */
export function registerVizReport(viz: Command, ctx: CommandContext): void {
  vizCommand(viz, 'report', 'one self-contained HTML page for a model and an image: summary, diagram, training curves, filters, activations, saliency, Grad-CAM, occlusion, deconvolution, inversion and nearest neighbours')
    .argument('<image>', 'PNG or JPEG, converted to the model input as for `viz activations`')
    .requiredOption('-o, --out <file.html>', 'the page')
    .option('--run <dir>', 'the folder `cnnc train` wrote (its metrics.json gives the training curves)')
    .option('--data <spec>', 'mnist, mnist:DIR, cifar10:DIR or images:DIR: adds the nearest training images')
    .option('--limit <n>', 'search the first n training images for neighbours', positiveInt('--limit'), 10000)
    .option('--class <k>', 'the class to explain (default: the predicted one)', nonNegativeInt('--class'))
    .option('--invert-steps <n>', 'gradient steps of each inversion', positiveInt('--invert-steps'), 300)
    .option('--invert', 'invert the image (dark digits on white paper → MNIST’s white on black)')
    .action(async (file: string, image: string, flags: ReportFlags) => {
      // Read the run folder before any GPU work, so a wrong path fails at once.
      const metrics = flags.run === undefined ? undefined : readMetrics(flags.run);
      await explaining(file, image, flags, ctx, async (s, pixels, pred, names, setup) => {
        const say = (what: string) => process.stderr.write(`report: ${what}\n`);
        const k = classToExplain(pred, flags.class);
        const sections: ReportSection[] = [];
        const omitted: string[] = [];
        const one = (p: Picture) => [{ png: encodePng(p) }];

        sections.push({ id: 'diagram', title: 'Architecture', caption: 'As cnnc diagram draws it: every layer with its output shape and parameters, blocks as clusters.', svg: renderDiagram(setup.model, { expand: 1 }) });
        if (metrics) {
          const last = metrics.epochs[metrics.epochs.length - 1];
          const test = metrics.test && last?.validationSplit !== 'test' ? ` Test accuracy ${(100 * metrics.test.accuracy).toFixed(2)}% on ${metrics.test.count.toLocaleString('en-US')} images.` : '';
          const epochs = last ? ` ${metrics.epochs.length} epoch${metrics.epochs.length === 1 ? '' : 's'}, last training accuracy ${(100 * last.trainAccuracy).toFixed(2)}%${last.validationAccuracy !== undefined ? `, ${last.validationSplit ?? 'validation'} ${(100 * last.validationAccuracy).toFixed(2)}%` : ''}.` : '';
          sections.push({ id: 'curves', title: 'Training', caption: `Loss and accuracy from ${join(flags.run!, 'metrics.json')}.${epochs}${test}`, svg: renderCurves(metrics) });
        } else omitted.push('Training curves: give --run DIR, the folder `cnnc train` wrote.');

        const convs = convLayers(lowerModel(setup.model, { mode: 'infer' }));
        if (convs.length) {
          const c = convs[0];
          const [o, i, kh, kw] = c.shape;
          sections.push({ id: 'filters', title: `Filters of ${c.layer}`, caption: `${o} kernels, ${kh}×${kw} over ${i} channel${i === 1 ? '' : 's'}, each normalised to its own range (smallest weight black, largest white).`, pictures: one(renderFilters(setup.weights[c.weight].data, c.shape)) });
        } else omitted.push('Filters: the model has no conv layer.');

        say('activations');
        const shown = activationLayers(s);
        const acts = await s.probe.activations(s.mapping.toModel(pixels), 1);
        sections.push({
          id: 'activations', title: 'Activations', caption: `The image through ${shown.map((l) => l.layer).join(', ')}: each channel normalised on its own (so a weak channel still shows its pattern).`,
          pictures: shown.map((l) => {
            const a = acts.find((x) => x.tensor === l.tensor)!;
            const st = activationStats(a.data);
            return { label: `${l.layer} (${l.op}, ${l.shape.join('×')}): min ${num(st.min)}, max ${num(st.max)}, mean ${num(st.mean)}, ${(100 * st.zeros).toFixed(1)}% zeros`, png: encodePng(activationPicture(a)) };
          }),
        });

        say('saliency');
        const plain = await saliency(s, pixels, k);
        const [py, px] = peakOf(plain.map, s.shape[2]);
        sections.push({ id: 'saliency', title: 'Saliency', caption: `|∂score/∂pixel| of ${names[k]}'s score (${num(plain.score)}): the image, the map, the map over the image. Strongest at row ${py}, column ${px}.`, pictures: one(plain.picture) });
        const smooth = await saliency(s, pixels, k, { smooth: 16 });
        sections.push({ id: 'smoothgrad', title: 'SmoothGrad', caption: `The mean saliency map of 16 copies of the image with Gaussian noise (0.15 of its range).`, pictures: one(smooth.picture) });

        const spatial = lastSpatialLayer(s.probe);
        if (spatial) {
          say('Grad-CAM');
          const cam = await gradCamOf(s, pixels, k, spatial);
          const [cy, cx] = peakOf(cam.cam, spatial.shape[2]);
          sections.push({ id: 'gradcam', title: 'Grad-CAM', caption: `${names[k]} at ${spatial.layer} (${spatial.shape.join('×')}): channels weighed by the mean gradient of the score reaching them. ${Math.max(...cam.cam) > 0 ? `Strongest at row ${cy}, column ${cx} of the layer's map.` : 'No positive evidence at this layer.'}`, pictures: one(cam.picture) });
        } else omitted.push('Grad-CAM and deconvolution: the model has no layer with a spatial output.');

        say('occlusion');
        const progress = new TaskProgress();
        const occ = await occlusion(s, pixels, k, pred.p[k], { onBatch: (done, total) => progress.update('report: occlusion', done, total, 'patches') });
        const worst = occ.drops.indexOf(Math.max(...occ.drops));
        const [wy, wx] = occ.positions[worst];
        sections.push({ id: 'occlusion', title: 'Occlusion', caption: `How much the probability of ${names[k]} (${(100 * pred.p[k]).toFixed(1)}%) drops with a ${occ.patch}×${occ.patch} patch of the image's mean over each part (stride ${occ.stride}). Hiding rows ${wy}–${wy + occ.patch - 1}, columns ${wx}–${wx + occ.patch - 1} drops it most, to ${(100 * (pred.p[k] - occ.drops[worst])).toFixed(1)}%.`, pictures: one(occ.picture) });

        if (spatial) {
          say('deconvolution');
          const d = await deconvolve(s, pixels, spatial, { top: 4 });
          sections.push({
            id: 'deconv', title: `Deconvolution of ${spatial.layer}`,
            caption: d.picks.length ? `The ${d.picks.length} strongest channels of ${spatial.layer}, each projected back to pixels alone (Zeiler and Fergus): the reconstruction, its non-zero part, and that patch of the image.` : `${spatial.layer} has no positive activation for this image: nothing to project.`,
            pictures: one(d.picture),
            table: d.picks.length ? [['channel', 'activation', 'patch'], ...d.picks.map((p, i) => [String(p.channel), num(p.value), `rows ${d.boxes[i].y0}–${d.boxes[i].y1 - 1}, columns ${d.boxes[i].x0}–${d.boxes[i].x1 - 1}`])] : undefined,
          });
        }

        const layers = inversionLayers(s.probe);
        if (layers.length) {
          const bar = new TaskProgress();
          let current = '';
          const inv = await invertAt(s, pixels, layers, {
            steps: flags.invertSteps, base: setup.model.training?.mean,
            onLayer: (i, l) => (current = `report: invert ${l.layer} (${i + 1}/${layers.length})`),
            onStep: (done, total) => bar.update(current, done, total),
          });
          sections.push({
            id: 'inversion', title: 'Inversion', caption: `Images whose representation at each layer matches the image's (Mahendran and Vedaldi; ${flags.invertSteps} steps, total-variation prior): the image, then ${layers.map((l) => l.layer).join(', ')}.`,
            pictures: one(renderInversions(pixels, s.shape, inv)),
            table: [['layer', 'shape', 'loss before', 'loss after'], ...inv.map((r) => [r.layer.layer, r.layer.shape.join('×'), num(r.before), num(r.after)])],
          });
        }

        if (flags.data) sections.push(await neighbours(s, setup, pixels, flags));
        else omitted.push('Nearest neighbours: give --data SPEC (the training data).');

        const html = renderReport({
          model: setup.model.name, file, image: basename(image), summary: summarize(setup.model, setup.sources),
          prediction: pred.p.map((p, i) => ({ name: names[i], p })).sort((a, b) => b.p - a.p), sections, omitted, made: new Date().toISOString(),
        });
        writeOutput(flags.out, html);
        process.stdout.write(`${flags.out}: ${sections.length + 2} sections (${(html.length / 1024).toFixed(0)} KiB, self-contained)${omitted.length ? `; left out: ${omitted.map((o) => o.split(':')[0].toLowerCase()).join(', ')}` : ''}\n`);
      });
    });
}

function readMetrics(dir: string): Metrics {
  const path = join(dir, 'metrics.json');
  if (!existsSync(path)) throw new UsageError(`--run ${dir}: no metrics.json there (give the folder \`cnnc train --out\` wrote)`);
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as Metrics;
    if (!Array.isArray(m.steps) || !Array.isArray(m.epochs)) throw new Error('shape');
    return m;
  } catch {
    throw new UsageError(`${path} is not a metrics file written by cnnc train`);
  }
}

/** Up to six layers with a map (activation or pooling outputs, spread from first to last), and the output. */
function activationLayers(s: Subject): LayerOutput[] {
  const layers = s.probe.layers();
  const maps = layers.filter((l) => l.shape.length === 3 && (l.kind === 'unary' || l.kind === 'pool2d' || l.kind === 'adaptive_pool'));
  const spread = maps.length <= 6 ? maps : [0, 1, 2, 3, 4, 5].map((i) => maps[Math.round((i * (maps.length - 1)) / 5)]);
  const out = layers[layers.length - 1];
  return [...new Set([...spread, out])];
}

async function neighbours(s: Subject, setup: VizSetup, pixels: Float32Array, flags: ReportFlags): Promise<ReportSection> {
  const spec = parseDataSpec(flags.data!);
  const ds = loadData(spec, setup.shape, 'train').train;
  const size = numel(setup.shape);
  const n = Math.min(flags.limit, ds.labels.length);
  const images = ds.images.subarray(0, n * size);
  const tensor = defaultFeatureTensor(s.probe);
  if (tensor === undefined) throw new UsageError(`model ${setup.model.name} has no dense layer, so no feature space for neighbours; leave out --data`);
  const progress = new TaskProgress();
  const feats = await featuresOf(s.probe, images, n, tensor, 256, s.mapping.toModel, (done, total) => progress.update('report: features', done, total, 'images'));
  const [q] = await s.probe.outputs(s.mapping.toModel(pixels), 1, [tensor]);
  const inFeatures = nearest(q, feats.data, feats.dim, 5, 'cosine');
  const inPixels = nearest(pixels, images, size, 5, 'cosine');
  const label = (i: number) => ds.classNames?.[ds.labels[i]] ?? String(ds.labels[i]);
  const strip = (list: typeof inFeatures) => [pixels, ...list.map((nb) => images.subarray(nb.index * size, (nb.index + 1) * size))];
  return {
    id: 'neighbors', title: 'Nearest neighbours',
    caption: `The 5 nearest of the first ${n.toLocaleString('en-US')} training images of ${spec.text} by cosine distance: top row in the features before the classifier (${feats.dim} values), bottom row in pixel space.`,
    pictures: [{ png: encodePng(renderNeighbours([strip(inFeatures), strip(inPixels)], setup.shape)) }],
    table: [['rank', 'features: index', 'label', 'distance', 'pixels: index', 'label', 'distance'], ...inFeatures.map((nb, r) => [String(r + 1), String(nb.index), label(nb.index), num(nb.distance), String(inPixels[r]?.index ?? ''), inPixels[r] ? label(inPixels[r].index) : '', inPixels[r] ? num(inPixels[r].distance) : ''])],
  };
}
