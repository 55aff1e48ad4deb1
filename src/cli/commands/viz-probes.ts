import { basename, join } from 'node:path';
import { Option, type Command } from 'commander';
import { numel } from '../../ir/graph.js';
import { loadData, parseDataSpec } from '../../train/data/spec.js';
import { softmax } from '../../train/evaluate.js';
import { activationPicture, activationStats } from '../../viz/activations.js';
import { maximizeActivation } from '../../viz/maximize.js';
import { defaultFeatureTensor, featuresOf, nearest, renderNeighbours, type Metric, type Neighbour } from '../../viz/neighbors.js';
import { finiteRange, imagePicture, scaleFor, upscale } from '../../viz/raster.js';
import { gradCam, resizeBilinear } from '../../viz/gradcam.js';
import { occlude, occlusionMap, occlusionPositions } from '../../viz/occlusion.js';
import { noisyCopies, renderSaliency, saliencyMap, smoothSaliency } from '../../viz/saliency.js';
import { UsageError } from '../io.js';
import type { CommandContext } from './common.js';
import { nonNegativeInt, positiveInt, positiveNumber } from './model-args.js';
import type { ModelProbe } from '../../engine/probe.js';
import { classNames, findLayer, num, prepare, readImage, table, vizCommand, withProbe, writePicture, type VizFlags, type VizSetup } from './viz-common.js';

/** The viz commands that run the model on the GPU through a ModelProbe. */
export function registerVizProbes(viz: Command, ctx: CommandContext): void {
  const invert = new Option('--invert', 'invert the image (dark digits on white paper → MNIST’s white on black)');

  vizCommand(viz, 'activations', "every layer's output for one image: a grid of feature maps per layer, each map normalised on its own")
    .argument('<image>', 'PNG or JPEG, converted to the model input (grey or RGB, scaled to cover, centre-cropped, [0, 1])')
    .requiredOption('-o, --out <dir>', 'folder for 00-input.png and NN-<layer>.png')
    .option('--layer <name>', 'only this layer (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .addOption(invert)
    .action(async (file: string, image: string, flags: VizFlags & { out: string; layer?: string[] }) => {
      const setup = prepare(file, flags, ctx);
      if (!setup) return;
      const pixels = readImage(image, setup, flags.invert);
      const [, h, w] = setup.shape;
      await withProbe(setup, async (probe) => {
        const wanted = flags.layer?.map((n) => findLayer(probe.layers(), n, setup.model).layer);
        const acts = await probe.activations(setup.mapping.toModel(pixels), 1);
        writePicture(join(flags.out, '00-input.png'), upscale(imagePicture(pixels, setup.shape), flags.scale ?? scaleFor(h, w, 112)));
        const rows: string[][] = [];
        acts.forEach((a, i) => {
          if (wanted && !wanted.includes(a.layer)) return;
          const path = join(flags.out, `${String(i + 1).padStart(2, '0')}-${a.layer}.png`);
          writePicture(path, activationPicture(a, 0, { scale: flags.scale }));
          const s = activationStats(a.data);
          rows.push([basename(path), a.layer, a.op, a.shape.join('×'), num(s.min), num(s.max), num(s.mean), `${(100 * s.zeros).toFixed(1)}%`, s.nonFinite ? String(s.nonFinite) : '']);
        });
        process.stdout.write(`${flags.out}: ${rows.length} layers for ${image}\n`);
        process.stdout.write(table(['picture', 'layer', 'op', 'shape', 'min', 'max', 'mean', 'zeros', 'NaN/inf'], rows));
      });
    });

  vizCommand(viz, 'saliency', "which pixels the class score depends on: |∂score/∂pixel| from the generated backward kernels, as a heat map over the image")
    .argument('<image>', 'PNG or JPEG, converted to the model input as for `viz activations`')
    .requiredOption('-o, --out <file.png>', 'the picture: image, heat map, heat map over the image')
    .option('--class <k>', 'the class whose score to explain (default: the predicted one)', nonNegativeInt('--class'))
    .option('--smooth <n>', 'SmoothGrad: average the maps of n noisy copies of the image (one batch)', positiveInt('--smooth'))
    .option('--noise <x>', 'SmoothGrad noise, as a fraction of the image\'s value range', positiveNumber('--noise'), 0.15)
    .option('--seed <n>', 'seed of the SmoothGrad noise', nonNegativeInt('--seed'), 0)
    .addOption(invert)
    .action(async (file: string, image: string, flags: VizFlags & { out: string; class?: number; smooth?: number; noise: number; seed: number }) => {
      const setup = prepare(file, flags, ctx);
      if (!setup) return;
      const pixels = readImage(image, setup, flags.invert);
      const x = setup.mapping.toModel(pixels);
      await withProbe(setup, async (probe) => {
        const { names, predicted, k, p } = await explained(probe, x, setup, flags.class);
        let map: Float32Array;
        let value: number;
        if (flags.smooth) {
          // Noise in pixel units (images are [0, 1]), scaled by the image's own range as SmoothGrad does.
          const [lo, hi] = finiteRange(pixels);
          const copies = noisyCopies(pixels, flags.smooth, flags.noise * (hi - lo || 1), flags.seed);
          const r = await probe.gradient(setup.mapping.toModel(copies), flags.smooth, { kind: 'output', index: k });
          map = smoothSaliency(setup.mapping.gradToPixels(r.grad), flags.smooth, setup.shape);
          value = r.value.reduce((a, b) => a + b, 0) / flags.smooth;
        } else {
          const r = await probe.gradient(x, 1, { kind: 'output', index: k });
          map = saliencyMap(setup.mapping.gradToPixels(r.grad), setup.shape);
          value = r.value[0];
        }
        writePicture(flags.out, renderSaliency(pixels, setup.shape, map, { scale: flags.scale }));
        const peak = map.indexOf(Math.max(...map));
        const w = setup.shape[2];
        const how = flags.smooth ? `SmoothGrad over ${flags.smooth} noisy copies, mean score` : 'score';
        process.stdout.write(`predicted ${names[predicted]} (${(100 * p[predicted]).toFixed(1)}%); saliency of the ${how} of ${names[k]} (${num(value)})\n`);
        process.stdout.write(`${flags.out}: strongest at row ${Math.floor(peak / w)}, column ${peak % w}\n`);
      });
    });

  vizCommand(viz, 'gradcam', "Grad-CAM: where in a conv layer's output the evidence for a class lies, its channels weighed by the class score's gradient, over the image")
    .argument('<image>', 'PNG or JPEG, converted to the model input as for `viz activations`')
    .requiredOption('-o, --out <file.png>', 'the picture: image, Grad-CAM heat map, heat map over the image')
    .option('--class <k>', 'the class to explain (default: the predicted one)', nonNegativeInt('--class'))
    .option('--layer <name>', 'the layer (default: the last one whose output is a map larger than 1×1)')
    .addOption(invert)
    .action(async (file: string, image: string, flags: VizFlags & { out: string; class?: number; layer?: string }) => {
      const setup = prepare(file, flags, ctx);
      if (!setup) return;
      const pixels = readImage(image, setup, flags.invert);
      const x = setup.mapping.toModel(pixels);
      await withProbe(setup, async (probe) => {
        const spatial = probe.layers().filter((l) => l.shape.length === 3 && l.shape[1] * l.shape[2] > 1 && l.kind !== 'reshape');
        const layer = flags.layer ? findLayer(probe.layers(), flags.layer, setup.model) : spatial[spatial.length - 1];
        if (!layer) throw new UsageError(`model ${setup.model.name} has no layer with a spatial output for Grad-CAM`);
        if (layer.shape.length !== 3) throw new UsageError(`--layer ${layer.layer}: its output is ${layer.shape.join('×')}; Grad-CAM needs a C×H×W map (a conv, pool or activation layer)`);
        const { names, predicted, k, p } = await explained(probe, x, setup, flags.class);
        const r = await probe.gradient(x, 1, { kind: 'output', index: k }, { at: layer.tensor });
        const [a] = await probe.outputs(x, 1, [layer.tensor]);
        const cam = gradCam(a, r.at!, layer.shape);
        const [, h, w] = setup.shape;
        const map = resizeBilinear(cam, layer.shape[1], layer.shape[2], h, w);
        writePicture(flags.out, renderSaliency(pixels, setup.shape, map, { scale: flags.scale }));
        const peak = cam.indexOf(Math.max(...cam));
        process.stdout.write(`predicted ${names[predicted]} (${(100 * p[predicted]).toFixed(1)}%); Grad-CAM of ${names[k]} at ${layer.layer} (${layer.shape.join('×')})\n`);
        process.stdout.write(Math.max(...cam) > 0 ? `${flags.out}: strongest at row ${Math.floor(peak / layer.shape[2])}, column ${peak % layer.shape[2]} of the layer's ${layer.shape[1]}×${layer.shape[2]}\n` : `${flags.out}: no positive evidence for ${names[k]} at this layer (the map is empty)\n`);
      });
    });

  vizCommand(viz, 'occlusion', 'occlusion sensitivity: how much the class probability drops when a grey patch hides each part of the image')
    .argument('<image>', 'PNG or JPEG, converted to the model input as for `viz activations`')
    .requiredOption('-o, --out <file.png>', 'the picture: image, drop of the probability, drop over the image')
    .option('--class <k>', 'the class to explain (default: the predicted one)', nonNegativeInt('--class'))
    .option('--patch <n>', 'patch side in pixels (default: a seventh of the image, at least 1)', positiveInt('--patch'))
    .option('--stride <n>', 'patch step in pixels (default: half the patch)', positiveInt('--stride'))
    .option('--fill <x>', 'the patch value in [0, 1] (default: the image mean)', Number)
    .option('--batch <n>', 'occluded copies per GPU run', positiveInt('--batch'), 64)
    .addOption(invert)
    .action(async (file: string, image: string, flags: VizFlags & { out: string; class?: number; patch?: number; stride?: number; fill?: number; batch: number }) => {
      const setup = prepare(file, flags, ctx);
      if (!setup) return;
      const pixels = readImage(image, setup, flags.invert);
      const [, h, w] = setup.shape;
      const patch = flags.patch ?? Math.max(1, Math.round(Math.min(h, w) / 7));
      const stride = flags.stride ?? Math.max(1, Math.floor(patch / 2));
      if (flags.fill !== undefined && !(flags.fill >= 0 && flags.fill <= 1)) throw new UsageError(`--fill takes a value in [0, 1], not ${flags.fill}`);
      const fill = flags.fill ?? pixels.reduce((a, b) => a + b, 0) / pixels.length;
      await withProbe(setup, async (probe) => {
        const { names, predicted, k, p } = await explained(probe, setup.mapping.toModel(pixels), setup, flags.class);
        const positions = occlusionPositions(h, w, patch, stride);
        const size = numel(setup.shape);
        const classes = p.length;
        const drops = new Float32Array(positions.length);
        for (let from = 0; from < positions.length; from += flags.batch) {
          const part = positions.slice(from, from + flags.batch);
          const batch = new Float32Array(part.length * size);
          part.forEach((at, i) => batch.set(occlude(pixels, setup.shape, at, patch, fill), i * size));
          const [logits] = await probe.outputs(setup.mapping.toModel(batch), part.length, [probe.graph.outputs[0]]);
          part.forEach((_, i) => (drops[from + i] = p[k] - softmax(logits.subarray(i * classes, (i + 1) * classes))[k]));
          if (process.stderr.isTTY) process.stderr.write(`\rocclusion: ${Math.min(from + flags.batch, positions.length)}/${positions.length} patches`);
        }
        if (process.stderr.isTTY) process.stderr.write('\n');
        const map = occlusionMap(drops, positions, h, w, patch);
        writePicture(flags.out, renderSaliency(pixels, setup.shape, map.map((v) => Math.max(0, v)), { scale: flags.scale }));
        const worst = drops.indexOf(Math.max(...drops));
        const [wy, wx] = positions[worst];
        process.stdout.write(`predicted ${names[predicted]} (${(100 * p[predicted]).toFixed(1)}%); occlusion of ${names[k]} (${(100 * p[k]).toFixed(1)}%) with ${positions.length} ${patch}×${patch} patches, stride ${stride}\n`);
        process.stdout.write(`${flags.out}: hiding rows ${wy}–${wy + patch - 1}, columns ${wx}–${wx + patch - 1} drops it most, to ${(100 * (p[k] - drops[worst])).toFixed(1)}%\n`);
      });
    });

  vizCommand(viz, 'maximize', 'an image that excites one channel of a layer: gradient ascent on the input, kept a picture by decay, blur and clipping')
    .requiredOption('--layer <name>', 'the layer, by its name in `cnnc summary`')
    .requiredOption('--channel <c>', 'its channel (a feature or class of a dense layer)', nonNegativeInt('--channel'))
    .requiredOption('-o, --out <file.png>', 'the image')
    .option('--steps <n>', 'gradient steps', positiveInt('--steps'), 200)
    .option('--lr <x>', 'pixel change per step, in units of the data range', positiveNumber('--lr'), 0.05)
    .option('--seed <n>', 'seed of the starting noise', nonNegativeInt('--seed'), 0)
    .action(async (file: string, flags: VizFlags & { out: string; layer: string; channel: number; steps: number; lr: number; seed: number }) => {
      const setup = prepare(file, flags, ctx);
      if (!setup) return;
      await withProbe(setup, async (probe) => {
        const layer = findLayer(probe.layers(), flags.layer, setup.model);
        if (flags.channel >= layer.shape[0]) throw new UsageError(`--channel ${flags.channel}: ${layer.layer} has ${layer.shape[0]} channel${layer.shape[0] === 1 ? '' : 's'} (0 to ${layer.shape[0] - 1})`);
        const objective = async (px: Float32Array) => {
          const r = await probe.gradient(setup.mapping.toModel(px), 1, { kind: 'channel', tensor: layer.tensor, channel: flags.channel });
          return { value: r.value[0], grad: setup.mapping.gradToPixels(r.grad) };
        };
        // Start from (and decay towards) the data's mean pixel when the train section gives it.
        const base = setup.model.training?.mean;
        const r = await maximizeActivation(objective, setup.shape, { steps: flags.steps, lr: flags.lr, seed: flags.seed, base });
        const [, h, w] = setup.shape;
        writePicture(flags.out, upscale(imagePicture(r.image, setup.shape), flags.scale ?? scaleFor(h, w, 168)));
        process.stdout.write(`${layer.layer} channel ${flags.channel}: mean activation ${num(r.before)} → ${num(r.after)} after ${r.history.length} steps\n`);
        process.stdout.write(`${flags.out}: ${h}×${w} image\n`);
      });
    });

  vizCommand(viz, 'neighbors', 'the data set images nearest to an image in the feature space before the classifier (and, to compare, in pixel space)')
    .argument('<image>', 'PNG or JPEG, converted to the model input as for `viz activations`')
    .requiredOption('--data <spec>', 'mnist, mnist:DIR, cifar10:DIR or images:DIR')
    .option('-k <n>', 'how many neighbours', positiveInt('-k'), 5)
    .option('--layer <name>', "features from this layer's output (default: the input of the last dense layer)")
    .addOption(new Option('--split <which>', 'which split to search').choices(['train', 'test']).default('train'))
    .option('--limit <n>', 'search only the first n images', positiveInt('--limit'))
    .addOption(new Option('--metric <m>', 'distance').choices(['cosine', 'l2']).default('cosine'))
    .option('--compare-pixels', 'also list the nearest images in pixel space')
    .option('-o, --out <file.png>', 'a strip: the image, then its neighbours (and a second row in pixel space)')
    .option('--batch <n>', 'images per GPU run', positiveInt('--batch'), 256)
    .addOption(invert)
    .action(async (file: string, image: string, flags: NeighborFlags) => {
      const setup = prepare(file, flags, ctx);
      if (!setup) return;
      const spec = parseDataSpec(flags.data);
      const loaded = loadData(spec, setup.shape, flags.split);
      const ds = flags.split === 'test' ? (loaded.test ?? loaded.train) : loaded.train;
      const size = numel(setup.shape);
      const n = Math.min(flags.limit ?? Infinity, ds.labels.length);
      const images = ds.images.subarray(0, n * size);
      const query = readImage(image, setup, flags.invert);
      await withProbe(setup, async (probe) => {
        const tensor = flags.layer ? findLayer(probe.layers(), flags.layer, setup.model).tensor : defaultFeatureTensor(probe);
        if (tensor === undefined) throw new UsageError(`model ${setup.model.name} has no dense layer: name the feature layer with --layer`);
        const producer = probe.layers().find((l) => l.tensor === tensor)!;
        const feats = await featuresOf(probe, images, n, tensor, flags.batch, setup.mapping.toModel);
        const [q] = await probe.outputs(setup.mapping.toModel(query), 1, [tensor]);
        const metric = flags.metric;
        const inFeatures = nearest(q, feats.data, feats.dim, flags.k, metric);
        const where = `among the first ${n} ${flags.split} images of ${spec.text}`;
        const label = (i: number) => ds.classNames?.[ds.labels[i]] ?? String(ds.labels[i]);
        const rows = (list: readonly Neighbour[]) => list.map((nb, r) => [String(r + 1), String(nb.index), label(nb.index), num(nb.distance)]);
        process.stdout.write(`nearest in the output of ${producer.layer} (${feats.dim} features, ${metric} distance) ${where}:\n`);
        process.stdout.write(table(['rank', 'index', 'label', 'distance'], rows(inFeatures)));
        const strips = [[query, ...inFeatures.map((nb) => images.subarray(nb.index * size, (nb.index + 1) * size))]];
        if (flags.comparePixels) {
          const inPixels = nearest(query, images, size, flags.k, metric);
          process.stdout.write(`\nnearest in pixel space (${size} values, ${metric} distance) ${where}:\n`);
          process.stdout.write(table(['rank', 'index', 'label', 'distance'], rows(inPixels)));
          strips.push([query, ...inPixels.map((nb) => images.subarray(nb.index * size, (nb.index + 1) * size))]);
        }
        if (flags.out) {
          writePicture(flags.out, renderNeighbours(strips, setup.shape, flags.scale));
          process.stdout.write(`${flags.out}: the image, then its neighbours${flags.comparePixels ? ' (second row: in pixel space)' : ''}\n`);
        }
      });
    });
}

/** The model's prediction for one input and the class to explain (the predicted one by default). */
async function explained(probe: ModelProbe, x: Float32Array, setup: VizSetup, wanted: number | undefined): Promise<{ names: string[]; predicted: number; k: number; p: number[] }> {
  const [logits] = await probe.outputs(x, 1, [probe.graph.outputs[0]]);
  const names = classNames(setup, logits.length);
  const p = softmax(logits);
  const predicted = p.indexOf(Math.max(...p));
  const k = wanted ?? predicted;
  if (k >= logits.length) throw new UsageError(`--class ${k}: the model has ${logits.length} outputs (0 to ${logits.length - 1})`);
  return { names, predicted, k, p };
}

interface NeighborFlags extends VizFlags {
  readonly data: string;
  readonly k: number;
  readonly layer?: string;
  readonly split: 'train' | 'test';
  readonly limit?: number;
  readonly metric: Metric;
  readonly comparePixels?: boolean;
  readonly batch: number;
}
