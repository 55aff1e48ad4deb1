import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { summarize } from '../src/check/summary.js';
import { compileFrontEnd } from '../src/compiler.js';
import { renderAll } from '../src/diagnostics/render.js';
import { nodeHost } from '../src/host.js';

/**
 * Every example must check without a single diagnostic (warnings included), and the models that
 * reproduce torchvision's must have exactly its trainable parameter count and, within 1%, its
 * published GFLOPS (torchvision counts conv and linear multiply-accumulates, as cnnc does).
 */
const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples');

function check(path: string) {
  const r = compileFrontEnd(path, readFileSync(path, 'utf8'), nodeHost);
  return { ...r, rendered: renderAll(r.diagnostics, r.sources, 'short') };
}

function cnnFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cnn'))
    .sort()
    .map((f) => join(dir, f));
}

/** torchvision's numbers: trainable parameters (exact) and published GMACs ("GFLOPS"). */
const TORCHVISION: Record<string, { params: number; gmacs: number }> = {
  'alexnet.cnn': { params: 61_100_840, gmacs: 0.714 },
  'vgg16.cnn': { params: 138_357_544, gmacs: 15.47 },
  'resnet18.cnn': { params: 11_689_512, gmacs: 1.81 },
  'resnet50.cnn': { params: 25_557_032, gmacs: 4.09 },
  'googlenet.cnn': { params: 6_624_904, gmacs: 1.5 },
  'squeezenet.cnn': { params: 1_248_424, gmacs: 0.82 },
  'mobilenetv2.cnn': { params: 3_504_872, gmacs: 0.3 },
};

/** Our own models: counts worked out by hand from their layers, pinned against regressions. */
const OWN: Record<string, { params: number; data?: string }> = {
  'lenet5.cnn': { params: 61_706, data: 'mnist' },
  'cifar10.cnn': { params: 647_386, data: 'cifar10' },
  'nin.cnn': { params: 966_986, data: 'cifar10' },
  'resnet_cifar.cnn': { params: 272_474, data: 'cifar10' },
};

describe('examples check cleanly', () => {
  const files = [...cnnFiles(EXAMPLES), ...cnnFiles(join(EXAMPLES, 'blocks'))];

  it('finds the examples', () => {
    const names = files.map((f) => f.slice(EXAMPLES.length + 1));
    for (const n of [...Object.keys(TORCHVISION), ...Object.keys(OWN), 'blocks/fire.cnn']) expect(names).toContain(n);
  });

  for (const path of files) {
    const name = path.slice(EXAMPLES.length + 1);
    it(`${name} has no diagnostics`, () => {
      const r = check(path);
      expect(r.rendered).toBe('');
      expect(r.diagnostics).toEqual([]);
      // Top-level files are models; blocks/ holds libraries of blocks for import.
      if (!name.startsWith('blocks/')) expect(r.models).toHaveLength(1);
    });
  }
});

describe('torchvision models match torchvision', () => {
  for (const [file, want] of Object.entries(TORCHVISION)) {
    it(`${file}: ${want.params.toLocaleString('en')} parameters, ≈${want.gmacs} GMACs`, () => {
      const r = check(join(EXAMPLES, file));
      expect(r.diagnostics).toEqual([]);
      const s = summarize(r.models[0], r.sources);
      expect(s.totalParams).toBe(want.params);
      expect(Math.abs(s.totalMacs / (want.gmacs * 1e9) - 1)).toBeLessThan(0.01);
      expect(s.output).toEqual([1000]);
    });
  }
});

describe('other examples', () => {
  for (const [file, want] of Object.entries(OWN)) {
    it(`${file}: ${want.params.toLocaleString('en')} parameters`, () => {
      const r = check(join(EXAMPLES, file));
      expect(r.diagnostics).toEqual([]);
      const m = r.models[0];
      expect(summarize(m, r.sources).totalParams).toBe(want.params);
      expect(m.training?.data).toBe(want.data);
    });
  }
});

describe('layer names follow torchvision where the examples name them', () => {
  it('resnet18 uses state_dict-style names', () => {
    const r = check(join(EXAMPLES, 'resnet18.cnn'));
    const names = r.models[0].nodes.map((n) => n.name);
    for (const n of ['conv1', 'bn1', 'layer1.0.conv1', 'layer1.1.bn2', 'layer2.0.conv1', 'layer2.0.downsample.0', 'layer2.0.downsample.1', 'layer4.1.conv2', 'fc']) {
      expect(names).toContain(n);
    }
  });

  it('googlenet uses state_dict-style names', () => {
    const r = check(join(EXAMPLES, 'googlenet.cnn'));
    const names = r.models[0].nodes.map((n) => n.name);
    for (const n of ['conv1.conv', 'conv1.bn', 'conv3.conv', 'inception3a.branch1.conv', 'inception3a.branch2.0.conv', 'inception5b.branch4.1.bn', 'fc']) {
      expect(names).toContain(n);
    }
  });
});
