/**
 * conv2d_grad_input at stride > 1: the register-tiled implicit GEMM with masked taps (the kernel
 * before stride phases) against one direct conv per stride phase (codegen/conv-grad-input-phases.ts),
 * alternating in one process, with pipeline compile times. Shapes: ResNet's strided 3×3 and 1×1
 * convs, and a stride-3 one; with --model also ResNet-18 CIFAR's whole training step (batch 8).
 * Not a test: `npx tsx bench/grad-input.ts [--runs 5] [--model]`.
 */
import { loadavg } from 'node:os';
import { emitConv2dGradInput } from '../src/codegen/conv-grad-input.js';
import type { Kernel } from '../src/codegen/kernel.js';
import { gemmVariant } from '../src/codegen/variants.js';
import type { Graph, Op, Tensor } from '../src/ir/graph.js';
import { acquireDevice } from '../src/runtime/device.js';
import { Executor } from '../src/runtime/executor.js';

process.env.XDG_RUNTIME_DIR ??= '/tmp/xdg';
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const gpu = await acquireDevice();

interface Shape { name: string; n: number; c: number; h: number; o: number; k: number; s: number; p: number }
const shapes: Shape[] = [
  { name: '3×3 s2 64→128, 32×32 (ResNet-18 CIFAR layer2)', n: 8, c: 64, h: 32, o: 128, k: 3, s: 2, p: 1 },
  { name: '1×1 s2 64→128, 32×32 (its downsample)', n: 8, c: 64, h: 32, o: 128, k: 1, s: 2, p: 0 },
  { name: '3×3 s3 32→32, 33×33', n: 8, c: 32, h: 33, o: 32, k: 3, s: 3, p: 1 },
];

async function time(tensors: Tensor[], k: Kernel, n: number): Promise<{ compile: number; run: number }> {
  const t0 = performance.now();
  const ex = await Executor.create(gpu.device, tensors, [k], n);
  const compile = performance.now() - t0;
  ex.write(0, Float32Array.from({ length: tensors[0].shape.reduce((a, b) => a * b, n) }, () => Math.random() - 0.5));
  ex.write(1, Float32Array.from({ length: tensors[1].shape.reduce((a, b) => a * b, 1) }, () => Math.random() - 0.5));
  await ex.runAndWait();
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    ex.run();
    await ex.finish();
    ts.push(performance.now() - t);
  }
  await ex.destroy();
  ts.sort((a, b) => a - b);
  return { compile, run: ts[ts.length >> 1] };
}

console.log(`${gpu.description}; ${runs} runs each; load at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const sh of shapes) {
  const oh = Math.floor((sh.h + 2 * sh.p - sh.k) / sh.s) + 1;
  const tensors: Tensor[] = [
    { id: 0, name: 'dy', shape: [sh.o, oh, oh], batched: true, role: 'grad' },
    { id: 1, name: 'w', shape: [sh.o, sh.c, sh.k, sh.k], batched: false, role: 'param' },
    { id: 2, name: 'dx', shape: [sh.c, sh.h, sh.h], batched: true, role: 'grad' },
  ];
  const op: Op = { kind: 'conv2d_grad_input', id: 0, inputs: [0, 1], outputs: [2], layer: 'conv', attrs: { stride: [sh.s, sh.s], pad: [sh.p, sh.p, sh.p, sh.p], dilation: [1, 1], groups: 1, padMode: 'zeros' } };
  const g: Graph = { tensors, ops: [op], inputs: [0], outputs: [2], params: [1] };
  const masked = emitConv2dGradInput(op, g, gpu.target, gemmVariant(gpu.target, sh.c));
  const phased = emitConv2dGradInput(op, g, gpu.target);
  const flops = 2 * sh.n * sh.o * oh * oh * sh.c * sh.k * sh.k;
  for (let round = 0; round < 2; round++) {
    const a = await time(tensors, masked, sh.n);
    const b = await time(tensors, phased, sh.n);
    const gf = (ms: number) => (flops / ms / 1e6).toFixed(2);
    console.log(`${sh.name}, batch ${sh.n}: masked GEMM ${a.run.toFixed(1)} ms (${gf(a.run)} GFLOP/s, compile ${a.compile.toFixed(0)} ms), phases ${b.run.toFixed(1)} ms (${gf(b.run)} GFLOP/s, compile ${b.compile.toFixed(0)} ms): ${(a.run / b.run).toFixed(2)}×`);
  }
}

// The whole ResNet-18 CIFAR training step, strided grad inputs as masked GEMMs vs stride phases.
if (process.argv.includes('--model')) {
  const { compileFrontEnd } = await import('../src/compiler.js');
  const { nodeHost } = await import('../src/host.js');
  const { ModelSession } = await import('../src/engine/session.js');
  const { emitGroup } = await import('../src/codegen/group.js');
  const { convDimsOf } = await import('../src/codegen/shapes.js');
  const { RESNET18_CIFAR } = await import('./resnet18-cifar.js');
  const model = compileFrontEnd('resnet18_cifar.cnn', RESNET18_CIFAR, nodeHost).models[0];
  const batch = 8;
  const masked: import('../src/engine/plan.js').GroupEmitter = (group, graph, target) => {
    const a = graph.ops[group.anchor];
    const strided = a.kind === 'conv2d_grad_input' && (a.attrs.stride[0] > 1 || a.attrs.stride[1] > 1);
    return emitGroup(group, graph, target, strided ? { gemm: gemmVariant(target, convDimsOf(a, graph).Cg) } : {});
  };
  const sessions = [
    ['masked', await ModelSession.create(model, { batch, train: true, seed: 1, emitGroup: masked })],
    ['phases', await ModelSession.create(model, { batch, train: true, seed: 1 })],
  ] as const;
  const x = Float32Array.from({ length: batch * 3 * 32 * 32 }, () => Math.random());
  const y = Float32Array.from({ length: batch }, () => Math.floor(Math.random() * 10));
  const times: Record<string, number[]> = { masked: [], phases: [] };
  for (const [, s] of sessions) await s.trainStep(x, y, batch);
  for (let i = 0; i < runs; i++) {
    for (const [name, s] of sessions) {
      const t = performance.now();
      await s.trainStep(x, y, batch);
      times[name].push(performance.now() - t);
    }
  }
  const median = (a: number[]) => [...a].sort((p, q) => p - q)[a.length >> 1];
  console.log(`ResNet-18 CIFAR training step, batch ${batch}, ${runs} alternating runs (load now ${loadavg()[0].toFixed(2)}): masked ${median(times.masked).toFixed(0)} ms, phases ${median(times.phases).toFixed(0)} ms`);
  for (const [, s] of sessions) await s.destroy();
}
await gpu.destroy();
