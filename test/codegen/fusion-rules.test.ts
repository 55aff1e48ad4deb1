import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileBackEnd } from '../../src/backend.js';
import { epilogueBindings } from '../../src/codegen/fusion-rules.js';
import { TARGETS } from '../../src/codegen/targets.js';
import { compileFrontEnd } from '../../src/compiler.js';
import { nodeHost } from '../../src/host.js';

/**
 * The fusion plan is what runs: fuse asks codegen/fusion-rules.ts what each emitter can absorb on
 * the target, and codegen/group.ts emits every group as one kernel (a weight gradient split over
 * the batch as two), in plan order, binding exactly the buffers the rules counted. Emission only,
 * no device.
 */
const EXAMPLES = ['lenet5.cnn', 'resnet18.cnn', 'resnet_cifar.cnn', 'vgg16.cnn', 'googlenet.cnn', 'mobilenetv2.cnn', 'squeezenet.cnn', 'alexnet.cnn', 'nin.cnn', 'cifar10.cnn'];

describe.each(EXAMPLES)('%s', (file) => {
  const model = compileFrontEnd(`examples/${file}`, readFileSync(`examples/${file}`, 'utf8'), nodeHost).models[0];
  it.each([
    ['train', 'software'],
    ['train', 'gpu'],
    ['infer', 'software'],
    ['infer', 'gpu'],
  ] as const)('%s on %s: one kernel per group, the bindings the rules counted', (mode, target) => {
    const { plan } = compileBackEnd(model, { mode, target: TARGETS[target] });
    const { groups } = plan.fusion;
    const all = mode === 'train' ? plan.kernels.slice(0, -1) : plan.kernels;
    // The one exception: on software a weight gradient of few tiles is its partial sums, then their sum.
    const isSum = (name: string) => name.startsWith('conv2d_grad_weight_sum:');
    all.forEach((k, i) => {
      if (!isSum(k.name)) return;
      expect(target).toBe('software');
      expect(all[i - 1].name).toMatch(/conv2d_grad_weight_partial/);
      expect(all[i - 1].layer).toBe(k.layer);
    });
    // And a texture conv's two copies (input and weights; a weight gradient's x and dy) come
    // before its GEMM (conv-texture.ts, conv-grad-weight-texture.ts), which reads both.
    const isCopy = (name: string) => /^[a-z0-9_]+\.(input|weight|gradient)_texture:/.test(name);
    all.forEach((k, i) => {
      if (!isCopy(k.name)) return;
      expect(target).toBe('software');
      const gemm = all.slice(i + 1).find((n) => !isCopy(n.name))!;
      expect(gemm.layer).toBe(k.layer);
      expect(gemm.bindings.filter((b) => b.access === 'read_texture')).toHaveLength(2);
    });
    const forward = all.filter((k) => !isSum(k.name) && !isCopy(k.name));
    expect(forward).toHaveLength(groups.length);
    groups.forEach((gr, i) => {
      const anchor = plan.graph.ops[gr.anchor];
      expect(forward[i].layer, `group ${i}`).toBe(anchor.layer);
      if (gr.epilogue.length) expect(forward[i].bindings.length, forward[i].name).toBe(epilogueBindings(anchor, gr.epilogue.map((e) => plan.graph.ops[e]), plan.graph, gr.prologue === undefined ? undefined : plan.graph.ops[gr.prologue]));
    });
  });
});

it('LeNet-5 keeps its kernel counts: 7 forward, 21 per training step on lavapipe', () => {
  const model = compileFrontEnd('examples/lenet5.cnn', readFileSync('examples/lenet5.cnn', 'utf8'), nodeHost).models[0];
  expect(compileBackEnd(model, { mode: 'infer', target: TARGETS.software }).plan.kernels).toHaveLength(7);
  // 19 groups (the relu derivatives that are not at load applied by the kernels storing their
  // gradients), conv1's weight gradient as two kernels (one tile: split over the batch), the optimizer.
  const train = compileBackEnd(model, { mode: 'train', target: TARGETS.software }).plan.kernels;
  expect(train).toHaveLength(21);
  expect(train.filter((k) => k.layer === 'conv1' && k.name.includes('grad_weight')).map((k) => k.name)).toEqual(['relu_grad>conv2d_grad_weight_partial&bias_grad:conv1', 'conv2d_grad_weight_sum:conv1']);
  // GPUs: every derivative applied at load, no split.
  expect(compileBackEnd(model, { mode: 'train', target: TARGETS.gpu }).plan.kernels).toHaveLength(20);
});
