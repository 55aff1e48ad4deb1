import { basename, join } from 'node:path';
import { Option, type Command } from 'commander';
import { numel } from '../../ir/graph.js';
import { loadData, parseDataSpec } from '../../train/data/spec.js';
import { activationPicture, activationStats } from '../../viz/activations.js';
import { classToExplain, deconvolve, gradCamOf, invertAt, inversionLayers, lastSpatialLayer, occlusion, peakOf, renderInversions, saliency } from '../../viz/explain.js';
import { maximizeActivation } from '../../viz/maximize.js';
import { defaultFeatureTensor, featuresOf, nearest, renderNeighbours, type Metric, type Neighbour } from '../../viz/neighbors.js';
import { imagePicture, scaleFor, upscale } from '../../viz/raster.js';
import { UsageError } from '../io.js';
import { TaskProgress } from '../progress.js';
import type { CommandContext } from './common.js';
import { nonNegativeInt, positiveInt, positiveNumber } from './model-args.js';
import { explaining, findLayer, num, predicted, prepare, readImage, table, vizCommand, withProbe, writePicture, type VizFlags } from './viz-common.js';

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
      await explaining(file, image, flags, ctx, async (s, pixels, pred, names) => {
        const k = classToExplain(pred, flags.class);
        const r = await saliency(s, pixels, k, { smooth: flags.smooth, noise: flags.noise, seed: flags.seed, scale: flags.scale });
        writePicture(flags.out, r.picture);
        const [py, px] = peakOf(r.map, s.shape[2]);
        const how = flags.smooth ? `SmoothGrad over ${flags.smooth} noisy copies, mean score` : 'score';
        process.stdout.write(`${predicted(pred, names)}; saliency of the ${how} of ${names[k]} (${num(r.score)})\n`);
        process.stdout.write(`${flags.out}: strongest at row ${py}, column ${px}\n`);
      });
    });

  vizCommand(viz, 'gradcam', "Grad-CAM: where in a conv layer's output the evidence for a class lies, its channels weighed by the class score's gradient, over the image")
    .argument('<image>', 'PNG or JPEG, converted to the model input as for `viz activations`')
    .requiredOption('-o, --out <file.png>', 'the picture: image, Grad-CAM heat map, heat map over the image')
    .option('--class <k>', 'the class to explain (default: the predicted one)', nonNegativeInt('--class'))
    .option('--layer <name>', 'the layer (default: the last one whose output is a map larger than 1×1)')
    .addOption(invert)
    .action(async (file: string, image: string, flags: VizFlags & { out: string; class?: number; layer?: string }) => {
      await explaining(file, image, flags, ctx, async (s, pixels, pred, names, setup) => {
        const layer = flags.layer ? findLayer(s.probe.layers(), flags.layer, setup.model) : lastSpatialLayer(s.probe);
        if (!layer) throw new UsageError(`model ${setup.model.name} has no layer with a spatial output for Grad-CAM`);
        const k = classToExplain(pred, flags.class);
        const { picture, cam } = await gradCamOf(s, pixels, k, layer, flags.scale);
        writePicture(flags.out, picture);
        const [py, px] = peakOf(cam, layer.shape[2]);
        process.stdout.write(`${predicted(pred, names)}; Grad-CAM of ${names[k]} at ${layer.layer} (${layer.shape.join('×')})\n`);
        process.stdout.write(Math.max(...cam) > 0 ? `${flags.out}: strongest at row ${py}, column ${px} of the layer's ${layer.shape[1]}×${layer.shape[2]}\n` : `${flags.out}: no positive evidence for ${names[k]} at this layer (the map is empty)\n`);
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
      if (flags.fill !== undefined && !(flags.fill >= 0 && flags.fill <= 1)) throw new UsageError(`--fill takes a value in [0, 1], not ${flags.fill}`);
      await explaining(file, image, flags, ctx, async (s, pixels, pred, names) => {
        const k = classToExplain(pred, flags.class);
        const progress = new TaskProgress();
        const r = await occlusion(s, pixels, k, pred.p[k], { ...flags, onBatch: (done, total) => progress.update('occlusion', done, total, 'patches') });
        writePicture(flags.out, r.picture);
        const worst = r.drops.indexOf(Math.max(...r.drops));
        const [wy, wx] = r.positions[worst];
        process.stdout.write(`${predicted(pred, names)}; occlusion of ${names[k]} (${(100 * pred.p[k]).toFixed(1)}%) with ${r.positions.length} ${r.patch}×${r.patch} patches, stride ${r.stride}\n`);
        process.stdout.write(`${flags.out}: hiding rows ${wy}–${wy + r.patch - 1}, columns ${wx}–${wx + r.patch - 1} drops it most, to ${(100 * (pred.p[k] - r.drops[worst])).toFixed(1)}%\n`);
      });
    });

  vizCommand(viz, 'deconv', "reconstruction by deconvolution (Zeiler and Fergus): a layer's strongest activations, each projected back to pixels through the transposed convolutions, unpooling and relu")
    .argument('<image>', 'PNG or JPEG, converted to the model input as for `viz activations`')
    .requiredOption('-o, --out <file.png>', 'one row per activation: its reconstruction, the reconstruction where it is not zero, and that patch of the image')
    .option('--layer <name>', 'the layer (default: the last one whose output is a map larger than 1×1)')
    .option('--channel <c>', "this channel's strongest positions (default: the strongest channels, each at its peak)", nonNegativeInt('--channel'))
    .option('--top <k>', 'how many activations', positiveInt('--top'), 4)
    .addOption(new Option('--method <m>', 'deconvnet: relu on the way down (Zeiler and Fergus); guided: also only through units that were positive (guided backpropagation)').choices(['deconvnet', 'guided']).default('deconvnet'))
    .addOption(invert)
    .action(async (file: string, image: string, flags: VizFlags & { out: string; layer?: string; channel?: number; top: number; method: 'deconvnet' | 'guided' }) => {
      await explaining(file, image, flags, ctx, async (s, pixels, pred, names, setup) => {
        const layer = flags.layer ? findLayer(s.probe.layers(), flags.layer, setup.model) : lastSpatialLayer(s.probe);
        if (!layer) throw new UsageError(`model ${setup.model.name} has no layer with a spatial output: name one with --layer`);
        const r = await deconvolve(s, pixels, layer, { top: flags.top, channel: flags.channel, relu: flags.method, scale: flags.scale });
        process.stdout.write(`${predicted(pred, names)}; ${flags.method} reconstructions of ${layer.layer} (${layer.shape.join('×')})\n`);
        if (r.picks.length === 0) {
          process.stdout.write(`${layer.layer} has no positive activation${flags.channel === undefined ? '' : ` in channel ${flags.channel}`} for this image: nothing to project (${flags.out} shows the image)\n`);
        } else {
          const w = layer.shape.length === 3 ? layer.shape[2] : 1;
          const rows = r.picks.map((p, i) => [String(i + 1), String(p.channel), layer.shape.length === 3 ? `${Math.floor(p.position / w)}, ${p.position % w}` : '', num(p.value), `rows ${r.boxes[i].y0}–${r.boxes[i].y1 - 1}, columns ${r.boxes[i].x0}–${r.boxes[i].x1 - 1}`]);
          process.stdout.write(table(['rank', 'channel', 'at', 'activation', 'patch of the image'], rows));
        }
        writePicture(flags.out, r.picture);
        process.stdout.write(`${flags.out}: ${r.picks.length} row${r.picks.length === 1 ? '' : 's'}\n`);
      });
    });

  vizCommand(viz, 'invert', "code inversion (Mahendran and Vedaldi): images whose representation at a layer is the image's, found by gradient descent with total-variation and norm priors")
    .argument('<image>', 'PNG or JPEG, converted to the model input as for `viz activations`')
    .requiredOption('-o, --out <file.png>', 'the image, then the inversion from each layer, in a row')
    .option('--layer <name>', 'invert from this layer (repeatable; default: up to four conv, pool and dense layers from first to last)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--steps <n>', 'gradient steps per layer', positiveInt('--steps'), 300)
    .option('--lr <x>', 'step size, in units of the data range', positiveNumber('--lr'), 0.02)
    .option('--tv <x>', 'weight of the total-variation prior (smoothness)', Number, 0.5)
    .option('--seed <n>', 'seed of the starting noise', nonNegativeInt('--seed'), 0)
    .addOption(invert)
    .action(async (file: string, image: string, flags: VizFlags & { out: string; layer?: string[]; steps: number; lr: number; tv: number; seed: number }) => {
      if (!(flags.tv >= 0)) throw new UsageError(`--tv takes a weight of 0 or more, not ${flags.tv}`);
      await explaining(file, image, flags, ctx, async (s, pixels, pred, names, setup) => {
        const layers = flags.layer ? flags.layer.map((n) => findLayer(s.probe.layers(), n, setup.model)) : inversionLayers(s.probe);
        const progress = new TaskProgress();
        let current = '';
        const results = await invertAt(s, pixels, layers, {
          steps: flags.steps, lr: flags.lr, tv: flags.tv, seed: flags.seed, base: setup.model.training?.mean,
          onLayer: (i, l) => (current = `invert ${l.layer} (${i + 1}/${layers.length})`),
          onStep: (done, total, loss) => progress.update(current, done, total, `loss ${num(loss)}`),
        });
        writePicture(flags.out, renderInversions(pixels, s.shape, results, flags.scale));
        process.stdout.write(`${predicted(pred, names)}; inverted from ${results.length} layer${results.length === 1 ? '' : 's'} in ${flags.steps} steps each\n`);
        process.stdout.write(table(['layer', 'op', 'shape', 'loss before', 'loss after'], results.map((r) => [r.layer.layer, r.layer.op, r.layer.shape.join('×'), num(r.before), num(r.after)])));
        process.stdout.write(`${flags.out}: the image, then ${results.map((r) => r.layer.layer).join(', ')} (loss: ‖φ(x) − φ₀‖² / ‖φ₀‖²)\n`);
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
        const progress = new TaskProgress();
        const onStep = (done: number, total: number, value: number) => progress.update(`maximize ${layer.layer}:${flags.channel}`, done, total, `activation ${num(value)}`);
        const r = await maximizeActivation(objective, setup.shape, { steps: flags.steps, lr: flags.lr, seed: flags.seed, base, onStep });
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
        const progress = new TaskProgress();
        const feats = await featuresOf(probe, images, n, tensor, flags.batch, setup.mapping.toModel, (done, total) => progress.update('features', done, total, 'images'));
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
