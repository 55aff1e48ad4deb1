import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileBackEnd } from '../../src/backend.js';
import { epilogueBindings } from '../../src/codegen/fusion-rules.js';
import { TARGETS } from '../../src/codegen/targets.js';
import { compileFrontEnd } from '../../src/compiler.js';
import { nodeHost } from '../../src/host.js';

/**
 * The fusion plan is what runs: fuse asks codegen/fusion-rules.ts what each emitter can absorb on
 * the target, and codegen/group.ts emits every group as one kernel, in plan order, binding exactly
 * the buffers the rules counted. Emission only, no device.
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
    const forward = mode === 'train' ? plan.kernels.slice(0, -1) : plan.kernels;
    expect(forward).toHaveLength(groups.length);
    groups.forEach((gr, i) => {
      const anchor = plan.graph.ops[gr.anchor];
      expect(forward[i].layer, `group ${i}`).toBe(anchor.layer);
      if (gr.epilogue.length) expect(forward[i].bindings.length, forward[i].name).toBe(epilogueBindings(anchor, gr.epilogue.map((e) => plan.graph.ops[e]), plan.graph));
    });
  });
});

it('LeNet-5 keeps its kernel counts: 7 forward, 23 per training step on lavapipe', () => {
  const model = compileFrontEnd('examples/lenet5.cnn', readFileSync('examples/lenet5.cnn', 'utf8'), nodeHost).models[0];
  expect(compileBackEnd(model, { mode: 'infer', target: TARGETS.software }).plan.kernels).toHaveLength(7);
  expect(compileBackEnd(model, { mode: 'train', target: TARGETS.software }).plan.kernels).toHaveLength(23);
});
