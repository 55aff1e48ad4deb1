import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkText, cleanModel, codes, shapeOf } from '../helpers.js';

/**
 * Output size by sliding a window along one axis and counting where it fits: an oracle that shares
 * no code or formula with the checker. `ceil` follows PyTorch: a partial last window counts if it
 * starts inside the input or the leading padding.
 */
function slide(size: number, k: number, s: number, padBefore: number, padAfter: number, d: number, ceil: boolean): number {
  const eff = d * (k - 1) + 1;
  let n = 0;
  for (let start = -padBefore; ; start += s) {
    const fits = start + eff <= size + padAfter;
    const partialOk = ceil && start < size && start + 1 <= size + padAfter && start < size + padAfter;
    if (fits) n++;
    else if (partialOk && start <= size - 1 + 0) {
      n++;
      break;
    } else break;
  }
  return n;
}

describe('conv and pooling output sizes', () => {
  it('conv matches a window-sliding count for random sizes, strides, padding and dilation', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        (h, w, k, kw, s, p, d) => {
          const effH = d * (k - 1) + 1;
          const effW = d * (kw - 1) + 1;
          const r = checkText(`model t {\n input x: 2 x ${h} x ${w}\n x -> conv(3, ${k}x${kw}, stride: ${s}, pad: ${p}, dilation: ${d}, round: floor)\n}`);
          if (h + 2 * p < effH || w + 2 * p < effW) {
            expect(codes(r)).toContain('E0201');
            return;
          }
          expect(r.diagnostics).toEqual([]);
          const m = r.models[0];
          expect(m.nodes[m.output].shape).toEqual([3, slide(h, k, s, p, p, d, false), slide(w, kw, s, p, p, d, false)]);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('ceil-mode pooling matches PyTorch on known cases', () => {
    // Values from torch.nn.MaxPool2d(k, s, p, ceil_mode=True) on these sizes.
    expect(shapeOf('1 x 112 x 112', 'maxpool(3, stride: 2, round: ceil)')).toEqual([1, 56, 56]);
    expect(shapeOf('1 x 55 x 55', 'maxpool(3, stride: 2, round: ceil)')).toEqual([1, 27, 27]);
    expect(shapeOf('1 x 14 x 14', 'maxpool(3, stride: 2, round: ceil)')).toEqual([1, 7, 7]);
    expect(shapeOf('1 x 7 x 7', 'maxpool(2, stride: 2, round: ceil)')).toEqual([1, 4, 4]);
    // The last window would start in the trailing padding only: dropped.
    expect(shapeOf('1 x 5 x 5', 'maxpool(2, stride: 2, pad: 1, round: ceil)')).toEqual([1, 3, 3]);
    expect(shapeOf('1 x 6 x 6', 'maxpool(3, stride: 2, pad: 1, round: ceil)')).toEqual([1, 4, 4]);
  });

  it('same padding keeps the size for any kernel and dilation, stride 1', () => {
    for (const k of [1, 2, 3, 4, 5, 7]) {
      for (const d of [1, 2, 3]) expect(shapeOf('4 x 13 x 9', `conv(6, ${k}, pad: same, dilation: ${d})`)).toEqual([6, 13, 9]);
    }
    expect(codes(checkText('model t {\n input x: 1 x 8 x 8\n x -> conv(2, 3, stride: 2, pad: same)\n}'))).toEqual(['E0111']);
  });

  it('valid padding is no padding', () => {
    expect(shapeOf('1 x 10 x 10', 'conv(1, 3, pad: valid)')).toEqual([1, 8, 8]);
  });

  it('asymmetric sizes: h x w kernels, strides and paddings', () => {
    expect(shapeOf('3 x 20 x 31', 'conv(8, 3x5, stride: 1x2, pad: 1x2)')).toEqual([8, 20, 16]);
    expect(shapeOf('3 x 20 x 31', 'conv(8, 3 x 5, stride: 1 x 2, pad: 1 x 2)')).toEqual([8, 20, 16]);
  });

  it('global, adaptive and cross-channel pooling', () => {
    expect(shapeOf('64 x 7 x 5', 'globalavgpool')).toEqual([64, 1, 1]);
    expect(shapeOf('64 x 7 x 5', 'globalmaxpool -> flatten')).toEqual([64]);
    expect(shapeOf('64 x 13 x 13', 'adaptiveavgpool(6)')).toEqual([64, 6, 6]);
    expect(shapeOf('64 x 13 x 13', 'adaptivemaxpool(2x3)')).toEqual([64, 2, 3]);
    expect(shapeOf('96 x 5 x 5', 'maxout(3)')).toEqual([32, 5, 5]);
    expect(shapeOf('96', 'maxout(4)')).toEqual([24]);
  });

  it('concat adds channels, add keeps the shape', () => {
    const m = cleanModel('model t {\n input x: 8 x 6 x 6\n a = x -> conv(3, 1)\n b = x -> conv(5, 3, pad: 1)\n c = x -> maxpool(3, stride: 1, pad: 1)\n (a, b, c) -> concat\n}');
    expect(m.nodes[m.output].shape).toEqual([16, 6, 6]);
    expect(shapeOf('8 x 6 x 6', 'conv(8, 3, pad: 1) -> relu')).toEqual([8, 6, 6]);
    const r = cleanModel('model t {\n input x: 8 x 6 x 6\n y = x -> conv(8, 3, pad: 1)\n relu(y + x)\n}');
    expect(r.nodes.map((n) => n.op)).toEqual(['input', 'conv', 'add', 'relu']);
  });
});

describe('parameters, MACs and receptive fields', () => {
  it('counts conv weights with groups and without bias, and dense and batchnorm as PyTorch does', () => {
    const m = cleanModel(
      'model t {\n input x: 32 x 10 x 10\n x -> conv(64, 3, groups: 4, bias: false) -> batchnorm -> conv(64, 3, groups: 64) -> flatten -> dense(10)\n}',
    );
    const byOp = (op: string) => m.nodes.filter((n) => n.op === op);
    const count = (n: (typeof m.nodes)[number], trainable: boolean) =>
      n.weights.filter((w) => w.trainable === trainable).reduce((a, w) => a + w.shape.reduce((x, y) => x * y, 1), 0);
    const [c1, c2] = byOp('conv');
    expect(c1.weights.map((w) => w.shape)).toEqual([[64, 8, 3, 3]]);
    expect(count(c1, true)).toBe(64 * 8 * 9);
    expect(c1.macs).toBe(64 * 8 * 8 * 8 * 9);
    expect(count(c2, true)).toBe(64 * 9 + 64);
    const bn = byOp('batchnorm')[0];
    expect(count(bn, true)).toBe(128);
    expect(count(bn, false)).toBe(128);
    expect(bn.weights.map((w) => w.name)).toEqual(['weight', 'bias', 'running_mean', 'running_var']);
    const d = byOp('dense')[0];
    expect(d.weights.map((w) => w.shape)).toEqual([[10, 64 * 36], [10]]);
    expect(d.macs).toBe(10 * 64 * 36);
  });

  it('receptive fields grow as (k − 1)·jump and jumps multiply by strides', () => {
    const m = cleanModel('model t {\n input x: 1 x 64 x 64\n x -> conv(4, 3) -> conv(4, 3) -> maxpool(2) -> conv(4, 3, dilation: 2) -> conv(4, 5, stride: 3)\n}');
    const rf = m.nodes.map((n) => n.rf && [n.rf.size[0], n.rf.jump[0]]);
    expect(rf).toEqual([[1, 1], [3, 1], [5, 1], [6, 2], [14, 2], [22, 6]]);
  });
});

describe('shape errors', () => {
  it('a stride that does not divide evenly warns, names what is dropped, and suggests a padding', () => {
    const r = checkText('model t {\n input x: 3 x 224 x 224\n x -> conv(96, 11, stride: 4)\n}');
    expect(codes(r)).toEqual(['W0208']);
    const d = r.diagnostics[0];
    expect(d.severity).toBe('warning');
    expect(d.message).toContain('(224 − 11 + 0)/4 + 1 = 54.25');
    expect(d.message).toContain('height and width');
    expect(d.message).toContain('the last row and column of the input are never read');
    expect(d.help).toContain('`pad: 2`');
    // Only rows of real input count: ResNet's stride-2 3×3 conv with pad 1 on 56×56 drops a padding row, fine.
    expect(checkText('model t {\n input x: 64 x 56 x 56\n x -> conv(128, 3, stride: 2, pad: 1)\n}').diagnostics).toEqual([]);
    // A stride wider than the window skips rows by design; only a longer tail is reported.
    expect(checkText('model t {\n input x: 64 x 56 x 56\n x -> conv(128, 1, stride: 2)\n}').diagnostics).toEqual([]);
    const tall = checkText('model t {\n input x: 1 x 10 x 12\n x -> conv(1, 3, stride: 4)\n}');
    expect(tall.diagnostics[0].message).toBe(
      '`conv` output size is not a whole number: height: (10 − 3 + 0)/4 + 1 = 2.75; the last 3 rows of the input are never read',
    );
    expect(checkText('model t {\n input x: 3 x 224 x 224\n x -> conv(96, 11, stride: 4)\n}', { strict: true }).diagnostics[0].severity).toBe('error');
    expect(checkText('model t {\n input x: 3 x 224 x 224\n x -> conv(96, 11, stride: 4, round: floor)\n}').diagnostics).toEqual([]);
  });

  it('kernel larger than the padded input', () => {
    const r = checkText('model t {\n input x: 3 x 4 x 4\n x -> conv(8, 5)\n}');
    expect(codes(r)).toEqual(['E0201']);
    expect(r.diagnostics[0].notes[0].message).toContain('3×4×4');
  });

  it('channel mismatch at + names both shapes and where they came from', () => {
    const text = 'model t {\n input x: 64 x 8 x 8\n y = x -> conv(128, 3, pad: 1)\n y + x\n}';
    const r = checkText(text);
    expect(codes(r)).toEqual(['E0203']);
    const d = r.diagnostics[0];
    expect(d.message).toBe('cannot add 128×8×8 and 64×8×8: the channels differ');
    expect(d.notes.map((n) => text.slice(n.span!.start, n.span!.end))).toEqual(['conv(128, 3, pad: 1)', 'x']);
    expect(d.help).toContain('conv(128, 1)');
  });

  it('spatial mismatch at concat, groups, flat inputs, dense on a feature map', () => {
    expect(codes(checkText('model t {\n input x: 4 x 8 x 8\n concat(x, x -> maxpool(2))\n}'))).toEqual(['E0204']);
    expect(codes(checkText('model t {\n input x: 6 x 8 x 8\n x -> conv(8, 3, groups: 4)\n}'))).toEqual(['E0205']);
    expect(codes(checkText('model t {\n input x: 6 x 8 x 8\n x -> flatten -> conv(8, 3)\n}'))).toEqual(['E0207']);
    const r = checkText('model t {\n input x: 6 x 8 x 8\n x -> dense(10)\n}');
    expect(codes(r)).toEqual(['E0206']);
    expect(r.diagnostics[0].help).toContain('flatten');
  });

  it('reports every independent error, not only the first', () => {
    const r = checkText('model t {\n input x: 3 x 32 x 32\n x -> conv(8, 3) -> maxpol(2) -> flaten -> dense(10, bais: true)\n}');
    expect(codes(r)).toEqual(['E0101', 'E0101', 'E0102']);
    expect(r.diagnostics.map((d) => d.help)).toEqual(['did you mean `maxpool`?', 'did you mean `flatten`?', 'did you mean `bias`?']);
  });

  it('a repeated bad layer is reported once', () => {
    expect(codes(checkText('model t {\n input x: 3 x 32 x 32\n x -> conv(8, 3, grups: 2) * 4\n}'))).toEqual(['E0102']);
  });
});

describe('names, blocks and parameters', () => {
  const basic = `block basic(c, stride = 1)(x) {
  y = x -> conv(c, 3, stride: stride, pad: 1, bias: false) as conv1 -> batchnorm as bn1 -> relu
        -> conv(c, 3, pad: 1, bias: false) as conv2 -> batchnorm as bn2
  skip = if stride != 1 or x.channels != c then x -> conv(c, 1, stride: stride, bias: false) as down else x
  return relu(y + skip)
}
`;

  it('blocks take defaults, named arguments and take only the branch that applies', () => {
    const m = cleanModel(`${basic}model t {\n input x: 16 x 32 x 32\n x -> basic(16) -> basic(32, stride: 2)\n}`);
    expect(m.nodes[m.output].shape).toEqual([32, 16, 16]);
    expect(m.nodes.filter((n) => n.op === 'conv')).toHaveLength(5);
  });

  it('names layers like PyTorch modules, with `as` and repetition', () => {
    const m = cleanModel(`${basic}model t {\n input x: 16 x 8 x 8\n x -> conv(16, 3, pad: 1) -> basic(16) * 2 as layer1 -> basic(32, stride: 2) as layer2\n}`);
    const names = m.nodes.filter((n) => n.weights.length).map((n) => n.name);
    expect(names).toEqual([
      'conv1',
      'layer1.0.conv1', 'layer1.0.bn1', 'layer1.0.conv2', 'layer1.0.bn2',
      'layer1.1.conv1', 'layer1.1.bn1', 'layer1.1.conv2', 'layer1.1.bn2',
      'layer2.conv1', 'layer2.bn1', 'layer2.conv2', 'layer2.bn2', 'layer2.down',
    ]);
  });

  it('arithmetic and shape queries on parameters', () => {
    expect(shapeOf('6 x 8 x 8', 'conv(6 * 4 // 3 + 1, 1)')).toEqual([9, 8, 8]);
    const m = cleanModel('model t {\n input x: 6 x 8 x 10\n x -> conv(x.channels * 2, 1) -> adaptiveavgpool(x.height // 2 x x.width // 2)\n}');
    expect(m.nodes[m.output].shape).toEqual([12, 4, 5]);
  });

  it('model parameters can be set from outside', () => {
    const text = 'model t(classes = 1000) {\n input x: 8\n x -> dense(classes)\n}';
    expect(checkText(text, { params: { classes: 7 } }).models[0].nodes.at(-1)!.shape).toEqual([7]);
  });

  it('imports blocks from other files', () => {
    const r = checkText('import basic from "lib/blocks.cnn"\nmodel t {\n input x: 16 x 8 x 8\n x -> basic(16)\n}', {}, { 'lib/blocks.cnn': basic });
    expect(r.diagnostics).toEqual([]);
    const missing = checkText('import "nope.cnn"\nmodel t {\n input x: 4\n x -> relu\n}');
    expect(codes(missing)).toEqual(['E0110']);
    const wrong = checkText('import basik from "lib/blocks.cnn"\nmodel t {\n input x: 4\n x -> relu\n}', {}, { 'lib/blocks.cnn': basic });
    expect(wrong.diagnostics[0].help).toBe('did you mean `basic`?');
  });

  it('recursive blocks, undefined and duplicate names', () => {
    expect(codes(checkText('block a()(x) {\n return x -> b\n}\nblock b()(x) {\n return x -> a\n}\nmodel t {\n input x: 4\n x -> a\n}'))).toEqual(['E0109']);
    const undef = checkText('model t {\n input image: 4\n imgae -> relu\n}');
    expect(codes(undef)).toEqual(['E0107']);
    expect(undef.diagnostics[0].help).toBe('did you mean `image`?');
    expect(codes(checkText('block a()(x) {\n return x\n}\nblock a()(x) {\n return x\n}\nmodel t {\n input x: 4\n x -> a\n}'))).toEqual(['E0108']);
  });

  it('wrong argument kinds and counts', () => {
    expect(codes(checkText('model t {\n input x: 3 x 8 x 8\n x -> conv(8, 3, bias: 1)\n}'))).toEqual(['E0104']);
    expect(codes(checkText('model t {\n input x: 3 x 8 x 8\n x -> conv(8)\n}'))).toEqual(['E0105']);
    expect(codes(checkText('model t {\n input x: 3 x 8 x 8\n x -> conv(8, 3, 1, 1, 1, 1, true, zeros, floor, 9)\n}'))).toEqual(['E0103']);
    expect(codes(checkText('model t {\n input x: 3 x 8 x 8\n x -> conv(8, 3, pad: 1, pad: 2)\n}'))).toEqual(['E0106']);
    expect(codes(checkText('model t {\n input x: 3 x 8 x 8\n x -> dropout(1.5)\n}'))).toEqual(['E0111']);
    expect(codes(checkText('model t {\n input x: 3 x 8 x 8\n x -> conv(8, 3, pad: sme)\n}'))).toEqual(['E0104']);
  });
});

describe('training section', () => {
  const model = (train: string, out = 'dense(10)') => `model t {\n input x: 1 x 28 x 28\n x -> flatten -> ${out}\n train {\n${train}\n }\n}`;

  it('is completed with defaults', () => {
    const m = cleanModel(model('  data: mnist\n  optimizer: sgd(lr: 0.1, momentum: 0.9, nesterov: true)\n  schedule: cosine\n  augment: [translate(2), hflip]'));
    expect(m.training).toMatchObject({
      data: 'mnist',
      loss: 'cross_entropy',
      optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0 },
      schedule: { name: 'cosine', min_lr: 0 },
      augment: [{ name: 'translate', pixels: 2 }, { name: 'hflip', p: 0.5 }],
      batch: 64,
    });
  });

  it('must fit the model: loss vs output, classes and input vs data set', () => {
    expect(codes(checkText(model('  data: mnist', 'dense(7)')))).toEqual(['E0303']);
    expect(codes(checkText('model t {\n input x: 3 x 32 x 32\n x -> conv(10, 3)\n train {\n  loss: cross_entropy\n }\n}'))).toEqual(['E0302']);
    expect(codes(checkText(model('  data: cifar10')))).toEqual(['E0303']);
    expect(codes(checkText(model('  optimiser: adam')))).toEqual(['E0301']);
    expect(codes(checkText(model('  optimizer: adamm(lr: 0.1)')))).toEqual(['E0104']);
    expect(codes(checkText(model('  batch: 0')))).toEqual(['E0111']);
  });
});

describe('silu, gelu and hardswish', () => {
  it('keep the shape; gelu takes approximate: none | tanh, a word that is also a layer name', () => {
    for (const act of ['silu', 'gelu', 'gelu(approximate: none)', 'gelu(approximate: tanh)', 'gelu("tanh")', 'hardswish']) {
      expect(shapeOf('4 x 5 x 6', `conv(3, 3, pad: 1) -> ${act}`), act).toEqual([3, 5, 6]);
    }
    const m = cleanModel('model t {\n input x: 7\n x -> gelu(approximate: tanh) -> gelu -> dense(2)\n}');
    expect(m.nodes.filter((n) => n.op === 'gelu').map((n) => n.attrs.approximate)).toEqual(['tanh', 'none']);
  });

  it('reject another approximation, and a layer that is not one of the words', () => {
    const r = checkText('model t {\n input x: 7\n x -> gelu(approximate: tnah) -> gelu(approximate: relu) -> silu(1)\n}');
    expect(codes(r)).toEqual(['E0104', 'E0104', 'E0103']);
    expect(r.diagnostics[0].help).toMatch(/tanh/);
  });
});
