import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { compileFrontEnd } from '../src/compiler.js';
import { nodeHost } from '../src/host.js';

/**
 * Front-end speed: parse + check of each example, median of many runs after a warm-up.
 * The target is well under 100 ms for ResNet-50. Writes bench/results/frontend.json.
 */
const files = ['lenet5', 'alexnet', 'vgg16', 'resnet18', 'resnet50', 'googlenet', 'mobilenetv2'].map((n) => `examples/${n}.cnn`);
const RUNS = 50;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

const results: Record<string, { medianMs: number; minMs: number; layers: number }> = {};
for (const path of files) {
  const text = readFileSync(path, 'utf8');
  for (let i = 0; i < 10; i++) compileFrontEnd(path, text, nodeHost);
  const times: number[] = [];
  let layers = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = compileFrontEnd(path, text, nodeHost);
    times.push(performance.now() - t0);
    layers = r.models[0]?.nodes.length ?? 0;
  }
  results[path] = { medianMs: +median(times).toFixed(3), minMs: +Math.min(...times).toFixed(3), layers };
}
const width = Math.max(...files.map((f) => f.length));
process.stdout.write(`parse + check, median of ${RUNS} runs (node ${process.version})\n`);
for (const [path, r] of Object.entries(results)) {
  process.stdout.write(`${path.padEnd(width)}  ${r.medianMs.toFixed(2).padStart(7)} ms  (${r.layers} layers)\n`);
}
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/frontend.json', JSON.stringify({ date: new Date().toISOString(), node: process.version, runs: RUNS, results }, null, 2) + '\n');
