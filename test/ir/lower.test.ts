import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileFrontEnd } from '../../src/compiler.js';
import { nodeHost } from '../../src/host.js';
import { differentiate } from '../../src/ir/autodiff.js';
import { lowerModel } from '../../src/ir/lower.js';
import { verifyGraph } from '../../src/ir/verify.js';
import { cleanModel } from '../helpers.js';

const examples = readdirSync('examples').filter((f) => f.endsWith('.cnn'));

function model(file: string) {
  const path = `examples/${file}`;
  const r = compileFrontEnd(path, readFileSync(path, 'utf8'), nodeHost);
  expect(r.diagnostics).toEqual([]);
  return r.models[0];
}

describe('lowering and autodiff on every example', () => {
  it.each(examples)('%s lowers, differentiates and verifies', (file) => {
    const m = model(file);
    const infer = lowerModel(m, { mode: 'infer' });
    expect(verifyGraph(infer)).toEqual([]);
    const train = lowerModel(m, { mode: 'train' });
    expect(verifyGraph(train)).toEqual([]);
    const full = differentiate(train);
    expect(verifyGraph(full)).toEqual([]);
    // Every trainable parameter gets a gradient of its own shape.
    expect([...full.grads!.keys()].sort((a, b) => a - b)).toEqual([...train.params].sort((a, b) => a - b));
    // Parameters are named as PyTorch names them and hold exactly the counted weights.
    const counted = m.nodes.flatMap((n) => n.weights.filter((w) => w.trainable).map((w) => `${n.name}.${w.name}`));
    expect(train.params.map((p) => train.tensors[p].name)).toEqual(counted);
  });

  it('LeNet-5: a forward op per layer, backward ops only where gradients flow', () => {
    const m = model('lenet5.cnn');
    const g = differentiate(lowerModel(m, { mode: 'train' }));
    const forward = g.ops.filter((o) => !o.kind.endsWith('_grad') && o.id < 13).map((o) => o.kind);
    expect(forward).toEqual(['conv2d', 'unary', 'pool2d', 'conv2d', 'unary', 'pool2d', 'reshape', 'dense', 'unary', 'dense', 'unary', 'dense', 'softmax_cross_entropy']);
    const kinds = g.ops.map((o) => o.kind);
    // The first conv's input is the image: no gradient is computed for it.
    expect(kinds.filter((k) => k === 'conv2d_grad_input')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'conv2d_grad_weight')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'bias_grad')).toHaveLength(5);
  });

  it('a residual block sums the two gradients of its input once', () => {
    const path = 'examples/resnet18.cnn';
    const r = compileFrontEnd(path, readFileSync(path, 'utf8'), nodeHost);
    const g = differentiate(lowerModel(r.models[0], { mode: 'train' }));
    const gradAdds = g.ops.filter((o) => o.kind === 'add' && g.tensors[o.outputs[0]].role === 'grad');
    // One per identity shortcut (skip + main path); projection shortcuts add too.
    expect(gradAdds.length).toBe(8);
    expect(gradAdds.every((o) => o.inputs.length === 2)).toBe(true);
  });

  it('saliency: gradients with respect to the input image', () => {
    const g = differentiate(lowerModel(model('lenet5.cnn'), { mode: 'train' }), { wrtInputs: true });
    const image = g.inputs[0];
    expect(g.grads!.has(image)).toBe(true);
    expect(g.tensors[g.grads!.get(image)!].shape).toEqual([1, 28, 28]);
  });
});

describe('activations whose gradient reads their input', () => {
  it('gelu(approximate: tanh) lowers to gelu_tanh; unary_grad of silu, gelu and hardswish reads the forward input', () => {
    const m = cleanModel('model t {\n input x: 6\n x -> dense(5) -> silu -> dense(5) -> gelu -> dense(5) -> gelu(approximate: tanh) -> dense(5) -> hardswish -> dense(5) -> relu -> dense(3)\n}');
    const g = differentiate(lowerModel(m, { mode: 'train' }));
    expect(verifyGraph(g)).toEqual([]);
    const unary = g.ops.filter((o) => o.kind === 'unary');
    expect(unary.map((o) => (o.kind === 'unary' ? o.fn : ''))).toEqual(['silu', 'gelu', 'gelu_tanh', 'hardswish', 'relu']);
    for (const u of unary) {
      const grad = g.ops.find((o) => o.kind === 'unary_grad' && o.layer === u.layer)!;
      // relu's derivative comes from its output; the others' from their input.
      expect(grad.inputs[1], u.layer).toBe(u.kind === 'unary' && u.fn === 'relu' ? u.outputs[0] : u.inputs[0]);
    }
  });
});
