import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileBackEnd } from '../../src/backend.js';
import type { Binding, Kernel } from '../../src/codegen/kernel.js';
import { TARGETS } from '../../src/codegen/targets.js';
import { compileFrontEnd } from '../../src/compiler.js';
import { dropRepeatedCopies } from '../../src/engine/copies.js';
import { nodeHost } from '../../src/host.js';

const b = (tensor: number, access: Binding['access']): Binding => ({ tensor, access }) as Binding;
const kernel = (name: string, bindings: Binding[], body = 'fn main() {}', texture?: number): Kernel => ({
  name, layer: name, source: `// ${name}\n${body}\n`, bindings, workgroups: { units: 1, batched: false, perWorkgroup: 1, times: 1 },
  // Copies write staging buffer 8, which the runtime copies into the texture.
  ...(texture !== undefined ? { copy: { buffer: 8, texture, texels: 1, batched: false } } : {}),
});

describe('repeated texture copies', () => {
  const copy = (name: string) => kernel(name, [b(1, 'read'), b(8, 'read_write')], 'fn main() { copy(); }', 9);
  const gemm = kernel('gemm', [b(9, 'read_texture'), b(2, 'read_write')]);
  it('a second copy of the same tensor to the same texture, its comment aside, is dropped', () => {
    expect(dropRepeatedCopies([copy('a'), gemm, copy('b'), gemm]).map((k) => k.name)).toEqual(['a', 'gemm', 'gemm']);
  });
  it('is kept when the texture or what it reads was written since, or its code differs', () => {
    const other = kernel('other', [b(3, 'read'), b(8, 'read_write')], 'fn main() {}', 9);
    expect(dropRepeatedCopies([copy('a'), other, copy('b')]).map((k) => k.name)).toEqual(['a', 'other', 'b']);
    const writer = kernel('writer', [b(1, 'read_write')]);
    expect(dropRepeatedCopies([copy('a'), writer, copy('b')]).map((k) => k.name)).toEqual(['a', 'writer', 'b']);
    const prologue = kernel('c', [b(1, 'read'), b(8, 'read_write')], 'fn main() { copy(relu_grad()); }', 9);
    expect(dropRepeatedCopies([copy('a'), prologue]).map((k) => k.name)).toEqual(['a', 'c']);
    // The same code into another texture is another copy, and does not end the first's validity.
    const elsewhere = kernel('d', [b(1, 'read'), b(8, 'read_write')], 'fn main() { copy(); }', 7);
    expect(dropRepeatedCopies([copy('a'), elsewhere, copy('b')]).map((k) => k.name)).toEqual(['a', 'd']);
  });
  it("ResNet-20's training plan on lavapipe copies each conv input and each stride-1 conv's dy once", () => {
    const file = 'examples/resnet_cifar.cnn';
    const model = compileFrontEnd(file, readFileSync(file, 'utf8'), nodeHost).models[0];
    const names = compileBackEnd(model, { mode: 'train', target: TARGETS.software }).plan.kernels.map((k) => k.name);
    const of = (layer: string, kinds: RegExp) => names.filter((n) => n.endsWith(`:${layer}`) && kinds.test(n)).map((n) => n.replace(/:.*/, ''));
    // The weight gradient reads the forward's copy of x and grad input's copy of dy.
    expect(of('layer1.0.conv2', /grad_(input|weight)/)).toEqual([
      'conv2d_grad_input.input_texture', 'conv2d_grad_input.weight_texture', 'conv2d_grad_input', 'conv2d_grad_weight_partial', 'conv2d_grad_weight_sum',
    ]);
    // A strided conv's grad input keeps its phase kernel: its weight gradient copies dy itself.
    expect(of('layer2.0.conv1', /grad_(input|weight)/)).toEqual(['conv2d_grad_input', 'conv2d_grad_weight.gradient_texture', 'conv2d_grad_weight_partial', 'conv2d_grad_weight_sum']);
    // The projection shortcut reads the block's input, which the block's first conv copied.
    expect(of('layer2.0.conv1', /^conv2d_fwd/)).toEqual(['conv2d_fwd.input_texture', 'conv2d_fwd.weight_texture', 'conv2d_fwd']);
    expect(of('layer2.0.conv3', /^conv2d_fwd/)).toEqual(['conv2d_fwd.weight_texture', 'conv2d_fwd']);
    expect(names.filter((n) => n.startsWith('conv2d_grad_weight.input_texture'))).toEqual([]);
  });
});
