import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CheckedModel } from '../../src/check/model.js';
import { compileFrontEnd } from '../../src/compiler.js';
import { nodeHost } from '../../src/host.js';
import { renderDiagram, type DiagramOptions } from '../../src/viz/diagram.js';
import { escapeXml } from '../../src/viz/escape.js';
import { trainableParams } from '../../src/viz/format.js';
import { textWidth } from '../../src/viz/measure.js';
import { contains, overlaps, pathCrosses, readDiagram, type ReadDiagram } from './read-svg.js';
import { hasClass, parseXml, textOf, walk } from './xml.js';

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples');

const models = new Map<string, CheckedModel>();
function model(file: string): CheckedModel {
  const cached = models.get(file);
  if (cached) return cached;
  const path = join(EXAMPLES, file);
  const r = compileFrontEnd(path, readFileSync(path, 'utf8'), nodeHost);
  const m = r.models[0];
  if (!m) throw new Error(`${file} has no model`);
  models.set(file, m);
  return m;
}

function draw(file: string, opts: DiagramOptions): ReadDiagram {
  return readDiagram(renderDiagram(model(file), opts));
}

const totalParams = (m: CheckedModel): number => m.nodes.reduce((s, n) => s + trainableParams(n), 0);
const sumParams = (d: ReadDiagram): number => d.boxes.reduce((s, b) => s + b.params, 0);
const incoming = (d: ReadDiagram, id: string): number => d.arrows.filter((a) => a.to === id).length;

/** Layout invariants every diagram must keep, whatever the model. */
function expectClean(d: ReadDiagram): void {
  // Boxes (merge markers included) never overlap one another.
  for (let i = 0; i < d.boxes.length; i++)
    for (let j = i + 1; j < d.boxes.length; j++)
      if (overlaps(d.boxes[i].rect, d.boxes[j].rect)) throw new Error(`${d.boxes[i].name} overlaps ${d.boxes[j].name}`);

  // The viewBox holds every box, cluster and edge.
  const view = d.viewBox;
  for (const b of d.boxes) expect(contains(view, b.rect), `${b.name} outside the viewBox`).toBe(true);
  for (const c of d.clusters) expect(contains(view, c.rect), `${c.name} outside the viewBox`).toBe(true);
  for (const a of d.arrows) for (const p of a.points) expect(contains(view, { ...p, width: 0, height: 0 })).toBe(true);

  // Clusters hold their own boxes and nested clusters, and no one else's boxes.
  const clusters = new Map(d.clusters.map((c) => [c.id, c]));
  const ancestors = (id: string | undefined): Set<string> => {
    const out = new Set<string>();
    for (let c = id; c; c = clusters.get(c)?.parent) out.add(c);
    return out;
  };
  for (const c of d.clusters) if (c.parent) expect(contains(clusters.get(c.parent)?.rect ?? view, c.rect)).toBe(true);
  for (const b of d.boxes) {
    const mine = ancestors(b.cluster);
    for (const c of d.clusters) {
      if (mine.has(c.id)) expect(contains(c.rect, b.rect), `${b.name} outside ${c.name}`).toBe(true);
      else expect(overlaps(c.rect, b.rect), `${b.name} intrudes on ${c.name}`).toBe(false);
    }
  }

  // Cluster labels sit inside their cluster, clear of every box and of each other.
  const labels = d.clusters.map((c) => ({ c, rect: labelRect(c) }));
  for (const { c, rect } of labels) {
    expect(contains(c.rect, rect), `label of ${c.name} outside it`).toBe(true);
    for (const b of d.boxes) expect(overlaps(rect, b.rect), `label of ${c.name} over ${b.name}`).toBe(false);
    for (const o of labels) if (o.c !== c) expect(overlaps(rect, o.rect), `labels of ${c.name} and ${o.c.name}`).toBe(false);
  }

  // Every arrow joins two drawn boxes and ends on the border of the one it points at.
  const byId = new Map(d.boxes.map((b) => [b.id, b]));
  for (const a of d.arrows) {
    const from = byId.get(a.from);
    const to = byId.get(a.to);
    expect(from && to, `${a.from} → ${a.to}`).toBeTruthy();
    if (!to) continue;
    const end = a.points[a.points.length - 1];
    const r = to.rect;
    const slack = 1.5;
    expect(end.x >= r.x - slack && end.x <= r.x + r.width + slack && end.y >= r.y - slack && end.y <= r.y + r.height + slack).toBe(true);
    const inset = Math.min(end.x - r.x, r.x + r.width - end.x, end.y - r.y, r.y + r.height - end.y);
    expect(inset, `${a.from} → ${a.to} ends inside its target`).toBeLessThanOrEqual(slack);
  }

  // Text fits its box (widths estimated as the layout does, bold titles included).
  for (const g of walk(d.root)) {
    if (!hasClass(g, 'node') || hasClass(g, 'merge')) continue;
    const box = d.boxes.find((b) => b.id === g.attrs.id);
    for (const t of walk(g)) {
      if (t.name !== 'text' || !box) continue;
      const size = Number(t.attrs['font-size']);
      const bold = [...walk(t)].some((s) => hasClass(s, 't-title'));
      expect(textWidth(textOf(t), size, bold), `"${textOf(t)}" in ${box.name}`).toBeLessThanOrEqual(box.rect.width - 8);
    }
  }
}

describe('escapeXml', () => {
  it('escapes the five XML specials and round-trips through a parser', () => {
    expect(escapeXml(`a<b & c>"d" 'e'`)).toBe('a&lt;b &amp; c&gt;&quot;d&quot; &apos;e&apos;');
    const nasty = `x<y>&amp;"q"'s'`;
    const doc = parseXml(`<t a="${escapeXml(nasty)}">${escapeXml(nasty)}</t>`);
    expect(doc.attrs.a).toBe(nasty);
    expect(textOf(doc)).toBe(nasty);
  });

  it('drops control characters XML cannot hold and keeps everything else', () => {
    expect(escapeXml('a\u0000b\u0007c\td\ne×→')).toBe('abc\td\ne×→');
  });

  it('the test parser rejects what it should, so its passes mean something', () => {
    expect(() => parseXml('<a><b></a></b>')).toThrow();
    expect(() => parseXml('<a>x < y</a>')).toThrow();
    expect(() => parseXml('<a>x & y</a>')).toThrow();
    expect(() => parseXml('<a b=c/>')).toThrow();
    expect(() => parseXml('<a b="1" b="2"/>')).toThrow();
    expect(() => parseXml('<a>')).toThrow();
  });
});

describe('LeNet-5', () => {
  const d = draw('lenet5.cnn', { expand: 'all' });

  it('is one standalone, well-formed SVG document', () => {
    const svg = renderDiagram(model('lenet5.cnn'), { expand: 'all' });
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(d.root.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    // No external resources: no links, images, imports or remote fonts.
    expect(svg).not.toMatch(/href=|<image|@import|url\((?!#)/);
    expect([...walk(d.root)].some((e) => e.name === 'style')).toBe(true);
  });

  it('draws one box per layer, with each activation folded into the layer before it', () => {
    expect(d.boxes.map((b) => b.name)).toEqual(['image', 'conv1', 'maxpool1', 'conv2', 'maxpool2', 'flatten1', 'fc1', 'fc2', 'fc3']);
    expect(d.boxes.map((b) => b.shape)).toEqual(['1×28×28', '6×28×28', '6×14×14', '16×10×10', '16×5×5', '400', '120', '84', '10']);
    expect(d.clusters).toHaveLength(0);
  });

  it('shows the op, its key attributes, the folded relu, the shape and the parameters', () => {
    const box = (name: string) => d.boxes.find((b) => b.name === name)?.lines;
    expect(box('image')).toEqual(['image', 'input', '1×28×28']);
    expect(box('conv1')).toEqual(['conv1', 'conv 5×5 p2, 6', '+ relu', '6×28×28 · 156 params']);
    expect(box('maxpool1')).toEqual(['maxpool1', 'maxpool 2×2/2', '6×14×14']);
    expect(box('conv2')).toEqual(['conv2', 'conv 5×5, 16', '+ relu', '16×10×10 · 2,416 params']);
    expect(box('fc1')).toEqual(['fc1', 'dense 120', '+ relu', '120 · 48,120 params']);
    expect(box('fc3')).toEqual(['fc3', 'dense 10', '10 · 850 params']);
    expect(sumParams(d)).toBe(61_706);
  });

  it('chains the boxes with one arrow each, top to bottom', () => {
    expect(d.arrows.map((a) => [a.from, a.to])).toEqual(d.boxes.slice(1).map((b, i) => [d.boxes[i].id, b.id]));
    const ys = d.boxes.map((b) => b.rect.y);
    expect([...ys].sort((a, b) => a - b)).toEqual(ys);
    expectClean(d);
  });

  it('without folding draws every layer as its own box', () => {
    const all = draw('lenet5.cnn', { expand: 'all', fold: false });
    expect(all.boxes.map((b) => b.name)).toEqual(model('lenet5.cnn').nodes.map((n) => n.name));
    expect(all.boxes.find((b) => b.name === 'relu1')?.lines).toEqual(['relu1', 'relu', '6×28×28']);
    expectClean(all);
  });

  it('left to right puts each box right of the one before', () => {
    const lr = draw('lenet5.cnn', { expand: 'all', direction: 'LR' });
    const xs = lr.boxes.map((b) => b.rect.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(lr.viewBox.width).toBeGreaterThan(lr.viewBox.height);
    expectClean(lr);
  });
});

describe('ResNet-18', () => {
  const m = model('resnet18.cnn');

  it('collapsed: one box per block instance with its output shape and parameter total', () => {
    const d = draw('resnet18.cnn', { expand: 'none' });
    const blocks = d.boxes.filter((b) => b.kind === 'block');
    expect(blocks.map((b) => b.name)).toEqual(['layer1.0', 'layer1.1', 'layer2.0', 'layer2.1', 'layer3.0', 'layer3.1', 'layer4.0', 'layer4.1']);
    expect(blocks.map((b) => b.lines[0])).toEqual(blocks.map((b) => `${b.name}: basic`));
    expect(blocks.map((b) => b.shape)).toEqual(['64×56×56', '64×56×56', '128×28×28', '128×28×28', '256×14×14', '256×14×14', '512×7×7', '512×7×7']);
    for (const b of blocks) {
      const inside = m.nodes.filter((n) => n.name.startsWith(`${b.name}.`));
      expect(b.params).toBe(inside.reduce((s, n) => s + trainableParams(n), 0));
    }
    expect(blocks[0].lines.at(-1)).toBe('64×56×56 · 73,984 params');
    expect(blocks[6].lines.at(-1)).toBe('512×7×7 · 3,673,088 params');
    expect(blocks[0].lines[1]).toBe('conv×2 · bn×2 · relu×2 · add');
    expect(sumParams(d)).toBe(11_689_512);
    expect(d.boxes.map((b) => b.name)).toEqual(['image', 'conv1', 'maxpool1', ...blocks.map((b) => b.name), 'globalavgpool1', 'flatten1', 'fc']);
    expect(d.clusters).toHaveLength(0);
    expect(d.arrows).toHaveLength(d.boxes.length - 1);
    expectClean(d);
  });

  it('expanded: the convolutions inside labelled clusters, and a + per block', () => {
    const d = draw('resnet18.cnn', { expand: 'all' });
    expect(d.clusters.map((c) => c.label)).toEqual(['layer1.0', 'layer1.1', 'layer2.0', 'layer2.1', 'layer3.0', 'layer3.1', 'layer4.0', 'layer4.1'].map((n) => `${n}: basic`));
    const convs = d.boxes.filter((b) => b.op === 'conv');
    expect(convs).toHaveLength(20);
    const conv = d.boxes.find((b) => b.name === 'layer2.0.conv1');
    expect(conv?.lines).toEqual(['conv1', 'conv 3×3/2 p1, 128', '+ batchnorm + relu', '128×28×28 · 73,984 params']);
    expect(conv?.cluster).toBe('c:layer2.0');
    expect(d.boxes.find((b) => b.name === 'layer2.0.downsample.0')?.lines[1]).toBe('conv 1×1/2, 128');

    const adds = d.boxes.filter((b) => b.kind === 'merge');
    expect(adds).toHaveLength(8);
    for (const a of adds) {
      expect(a.op).toBe('add');
      expect(a.lines[0]).toBe('+');
      expect(a.lines.slice(1)).toEqual([a.shape, '+ relu']);
      expect(incoming(d, a.id)).toBe(2);
      expect(a.cluster).toBe(`c:${a.name.split('.').slice(0, 2).join('.')}`);
    }
    expect(sumParams(d)).toBe(11_689_512);
    expectClean(d);
  });

  it('the tooltip names every layer a box stands for', () => {
    const d = draw('resnet18.cnn', { expand: 'all' });
    const conv = d.boxes.find((b) => b.name === 'layer1.0.conv1');
    expect(conv?.tooltip).toContain('layer1.0.bn1 (batchnorm)');
    expect(conv?.tooltip).toContain('layer1.0.relu1 (relu)');
    const drawn = d.boxes.flatMap((b) => [...b.tooltip.matchAll(/^(\S+) \(/gm)].map((x) => x[1]));
    expect(new Set(drawn)).toEqual(new Set(m.nodes.map((n) => n.name)));
  });
});

describe('GoogLeNet', () => {
  const inceptions = ['3a', '3b', '4a', '4b', '4c', '4d', '4e', '5a', '5b'].map((s) => `inception${s}`);

  for (const expand of ['all', 1] as const) {
    it(`expand ${expand}: nine concats, each fed by four branches`, () => {
      const d = draw('googlenet.cnn', { expand });
      const concats = d.boxes.filter((b) => b.op === 'concat');
      expect(concats.map((c) => c.name)).toEqual(inceptions.map((i) => `${i}.concat1`));
      for (const c of concats) {
        expect(incoming(d, c.id)).toBe(4);
        expect(c.lines[0]).toBe('concat');
      }
      expect(concats.map((c) => c.shape)).toEqual(['256×28×28', '480×28×28', '512×14×14', '512×14×14', '512×14×14', '528×14×14', '832×14×14', '832×7×7', '1024×7×7']);
      const incs = d.clusters.filter((c) => c.block === 'inception');
      expect(incs.map((c) => c.name)).toEqual(inceptions);
      expect(sumParams(d)).toBe(6_624_904);
      expectClean(d);
    });
  }

  it('expand 1 shows the blocks inside an inception as boxes, expand all as clusters', () => {
    const one = draw('googlenet.cnn', { expand: 1 });
    const nested = one.boxes.filter((b) => b.kind === 'block');
    expect(nested).toHaveLength(9 * 6);
    expect(nested[0].lines[0]).toBe('branch1: basic');
    expect(nested[0].cluster).toBe('c:inception3a');
    expect(one.clusters.filter((c) => c.block === 'basic').map((c) => c.name)).toEqual(['conv1', 'conv2', 'conv3']);

    const all = draw('googlenet.cnn', { expand: 'all' });
    expect(all.boxes.filter((b) => b.kind === 'block')).toHaveLength(0);
    const branch = all.clusters.find((c) => c.name === 'inception3a.branch2.1');
    expect(branch?.parent).toBe('c:inception3a');
    expect(branch?.label).toBe('branch2.1: basic');
    expect(all.boxes.find((b) => b.name === 'inception3a.branch2.1.conv')?.lines.slice(0, 2)).toEqual(['conv', 'conv 3×3 p1, 128']);
  });

  it('collapsed: a box per module between the stem and the classifier', () => {
    const d = draw('googlenet.cnn', { expand: 'none' });
    const blocks = d.boxes.filter((b) => b.kind === 'block');
    expect(blocks.map((b) => b.name)).toEqual(['conv1', 'conv2', 'conv3', ...inceptions]);
    expect(blocks.find((b) => b.name === 'inception3a')?.lines).toEqual(['inception3a: inception', 'basic×6 · maxpool · concat', '256×28×28 · 155,872 params']);
    expect(d.boxes.find((b) => b.name === 'flatten1')?.lines).toEqual(['flatten1', 'flatten', '+ dropout p=0.2', '1024']);
    expect(sumParams(d)).toBe(6_624_904);
    expectClean(d);
  });
});

/** The drawn extent of a cluster's label, as the layout estimates it. */
function labelRect(c: ReadDiagram['clusters'][number]) {
  // `name: ` is bold, the block's name after it regular.
  const cut = c.label.indexOf(': ') + 2;
  const width = cut > 1 ? textWidth(c.label.slice(0, cut), c.labelAt.size, true) + textWidth(c.label.slice(cut), c.labelAt.size) : textWidth(c.label, c.labelAt.size, true);
  return { x: c.labelAt.x, y: c.labelAt.y - c.labelAt.size, width, height: c.labelAt.size * 1.25 };
}

describe('cluster labels', () => {
  for (const [file, expand] of [['resnet18.cnn', 'all'], ['resnet50.cnn', 'all'], ['googlenet.cnn', 1], ['googlenet.cnn', 'all'], ['mobilenetv2.cnn', 'all']] as const) {
    it(`${file} expand ${expand}: no edge runs through a cluster label`, () => {
      const d = draw(file, { expand });
      expect(d.clusters.length).toBeGreaterThan(0);
      for (const c of d.clusters) for (const a of d.arrows) expect(pathCrosses(a.d, labelRect(c)), `${a.from} → ${a.to} through ${c.label}`).toBe(false);
    });
  }

  it('say which block each instance is, where there is room', () => {
    const d = draw('resnet50.cnn', { expand: 'all' });
    expect(d.clusters.map((c) => c.label)).toEqual(d.clusters.map((c) => `${c.name}: bottleneck`));
  });
});

describe('every example', () => {
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.cnn'));
  for (const f of files) {
    it(`${f} draws cleanly collapsed and expanded`, () => {
      const m = model(f);
      for (const expand of ['none', 'all'] as const) {
        const d = draw(f, { expand });
        expect(sumParams(d)).toBe(totalParams(m));
        expectClean(d);
      }
    });
  }

  it('ResNet-50 expanded has its 16 blocks and 53 convolutions, left to right too', () => {
    for (const direction of ['TB', 'LR'] as const) {
      const d = draw('resnet50.cnn', { expand: 'all', direction });
      expect(d.clusters.filter((c) => c.block === 'bottleneck')).toHaveLength(16);
      expect(d.boxes.filter((b) => b.op === 'conv')).toHaveLength(53);
      expect(d.boxes.filter((b) => b.op === 'add')).toHaveLength(16);
      expectClean(d);
    }
  });
});
