import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileFrontEnd } from '../../src/compiler.js';
import { nodeHost } from '../../src/host.js';
import { differentiate } from '../../src/ir/autodiff.js';
import type { Graph } from '../../src/ir/graph.js';
import { fusionRules } from '../../src/codegen/fusion-rules.js';
import { TARGETS } from '../../src/codegen/targets.js';
import { fuse as fuseWith, type FusionPlan } from '../../src/ir/fuse.js';
import { lowerModel } from '../../src/ir/lower.js';
import { cleanModel } from '../helpers.js';

function graphOf(file: string, mode: 'train' | 'infer'): Graph {
  const path = `examples/${file}`;
  const m = compileFrontEnd(path, readFileSync(path, 'utf8'), nodeHost).models[0];
  const g = lowerModel(m, { mode });
  return mode === 'train' ? differentiate(g) : g;
}

/** Fused as for a GPU: activation derivatives at load everywhere. */
const fuse = (g: Graph, opts: { enabled?: boolean } = {}) => fuseWith(g, fusionRules(TARGETS.gpu), opts);

function describePlan(g: Graph, plan: FusionPlan): string[] {
  return plan.groups.map((gr) => {
    const k = (id: number) => g.ops[id].kind;
    return [gr.prologue !== undefined ? `${k(gr.prologue)}>` : '', k(gr.anchor), ...gr.epilogue.map((e) => `+${k(e)}`), ...gr.siblings.map((s) => `&${k(s)}`)].join('');
  });
}

/** Every op is covered exactly once: by a group (anchor, prologue, epilogue, sibling) or an alias. */
function coverage(g: Graph, plan: FusionPlan): void {
  const seen = new Map<number, number>();
  const count = (id: number) => seen.set(id, (seen.get(id) ?? 0) + 1);
  const prologues = new Set<number>();
  for (const gr of plan.groups) {
    count(gr.anchor);
    gr.epilogue.forEach(count);
    gr.siblings.forEach(count);
    if (gr.prologue !== undefined) prologues.add(gr.prologue);
  }
  for (const op of g.ops) {
    if (op.kind === 'reshape') expect(plan.aliases.has(op.outputs[0])).toBe(true);
    else if (prologues.has(op.id)) expect(seen.get(op.id)).toBeUndefined();
    else expect(seen.get(op.id), `${op.kind} ${op.layer}`).toBe(1);
  }
}

describe('fusion', () => {
  it('LeNet-5 training step: conv/dense + bias + relu, loss + gradient, bias grads beside weight grads', () => {
    const g = graphOf('lenet5.cnn', 'train');
    const plan = fuse(g);
    coverage(g, plan);
    expect(describePlan(g, plan)).toEqual([
      'conv2d+unary', 'pool2d', 'conv2d+unary', 'pool2d', 'dense+unary', 'dense+unary', 'dense',
      'softmax_cross_entropy&softmax_cross_entropy_grad',
      'dense_grad_input', 'dense_grad_weight&bias_grad',
      'unary_grad>dense_grad_input', 'unary_grad>dense_grad_weight&bias_grad',
      'unary_grad>dense_grad_input', 'unary_grad>dense_grad_weight&bias_grad',
      'pool2d_grad',
      'unary_grad>conv2d_grad_input', 'unary_grad>conv2d_grad_weight&bias_grad',
      'pool2d_grad',
      'unary_grad>conv2d_grad_weight&bias_grad',
    ]);
    // Plus one fused optimizer update: 20 dispatches per training step (the target is ≤ 24).
    expect(plan.groups.length + 1).toBe(20);
    expect(fuse(g, { enabled: false }).groups.length).toBe(g.ops.length - 2);
  });

  it('LeNet-5 on a software adapter: the derivatives whose readers re-read dy are applied where dy is stored', () => {
    const g = graphOf('lenet5.cnn', 'train');
    const plan = fuseWith(g, fusionRules(TARGETS.software));
    coverage(g, plan);
    const kinds = describePlan(g, plan);
    // fc2, fc1 and conv2 relu derivatives go apart (their grad inputs re-read dy), into the kernels
    // of fc3's and fc2's grad inputs and maxpool2's gradient; conv1's stays at load.
    expect(kinds.filter((k) => k === 'unary_grad')).toHaveLength(0);
    expect(kinds.filter((k) => k === 'dense_grad_input+unary_grad')).toHaveLength(2);
    expect(kinds).toContain('pool2d_grad+unary_grad');
    expect(kinds).toContain('unary_grad>conv2d_grad_weight&bias_grad');
    expect(plan.groups.length).toBe(19);
  });

  it('ResNet: batchnorm + residual add + relu in one kernel', () => {
    const g = graphOf('resnet18.cnn', 'infer');
    const plan = fuse(g);
    coverage(g, plan);
    const kinds = describePlan(g, plan);
    expect(kinds.filter((k) => k === 'batchnorm+add+unary')).toHaveLength(8);
    expect(kinds.filter((k) => k === 'batchnorm+unary').length).toBeGreaterThan(8);
  });

  it('training keeps tensors that backward ops read', () => {
    const g = graphOf('resnet18.cnn', 'train');
    const plan = fuse(g);
    coverage(g, plan);
    // batchnorm_grad reads the conv output, so conv and batchnorm stay apart in training.
    for (const gr of plan.groups) {
      if (g.ops[gr.anchor].kind !== 'conv2d') continue;
      expect(gr.epilogue.map((e) => g.ops[e].kind)).not.toContain('batchnorm');
    }
  });

  it('silu, gelu and hardswish fuse into conv and dense in training too, the tensor their gradient reads stored on the way', () => {
    const text = (act: (i: number) => string) => `model t {
  input image: 3 x 12 x 12
  image -> conv(6, 3, pad: 1) -> ${act(0)} -> conv(8, 3, stride: 2, pad: 1) -> ${act(1)} -> conv(6, 3, pad: 1) -> ${act(2)}
        -> flatten -> dense(16) -> ${act(3)} -> dense(5)
}`;
    const acts = ['silu', 'gelu', 'gelu(approximate: tanh)', 'hardswish'];
    const lower = (t: string, mode: 'train' | 'infer') => {
      const g = lowerModel(cleanModel(t), { mode });
      return mode === 'train' ? differentiate(g) : g;
    };
    for (const mode of ['infer', 'train'] as const) {
      const g = lower(text((i) => acts[i]), mode);
      const plan = fuse(g);
      coverage(g, plan);
      const kinds = describePlan(g, plan);
      // The same groups as relu gets: every activation an epilogue, every derivative a prologue.
      expect(kinds).toEqual(describePlan(lower(text(() => 'relu'), mode), fuse(lower(text(() => 'relu'), mode))));
      expect(kinds.slice(0, 4)).toEqual(['conv2d+unary', 'conv2d+unary', 'conv2d+unary', 'dense+unary']);
      if (mode === 'train') {
        // unary_grad reads the activation's input, which the fused kernel then stores: its anchor's output.
        for (const gr of plan.groups.filter((p) => p.prologue !== undefined)) {
          const p = g.ops[gr.prologue!];
          const fwd = g.ops.find((o) => o.kind === 'unary' && o.inputs[0] === p.inputs[1]);
          expect(fwd, g.ops[gr.anchor].layer).toBeDefined();
          expect(plan.groups.some((q) => q.epilogue.includes(fwd!.id) && g.ops[q.anchor].outputs[0] === p.inputs[1])).toBe(true);
        }
      }
    }
  });

  it('covers every example, train and inference', () => {
    for (const f of ['alexnet.cnn', 'googlenet.cnn', 'mobilenetv2.cnn', 'squeezenet.cnn', 'vgg16.cnn', 'nin.cnn', 'cifar10.cnn']) {
      for (const mode of ['train', 'infer'] as const) {
        const g = graphOf(f, mode);
        coverage(g, fuse(g));
      }
    }
  });
});
