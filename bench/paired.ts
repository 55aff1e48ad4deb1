/**
 * cnnc against PyTorch CPU in alternating rounds: on a shared virtual machine whose speed drifts
 * 1.5–2.4× within an hour (PERFORMANCE.md), two measurements minutes apart give ratios that
 * cannot be compared, so each round times a few cnnc training steps, then as many PyTorch steps
 * in a PyTorch process kept waiting beside it (bench/peer-torch.py --serve), and the ratio of the
 * pair is that round's. Reports every round and the median ratio. Not a test:
 * `npx tsx bench/paired.ts [--quick]`; writes bench/results/paired.json. Needs Debian's python3-torch.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { compileFrontEnd } from '../src/compiler.js';
import { ModelSession } from '../src/engine/session.js';
import { nodeHost } from '../src/host.js';
import { median } from './timing.js';
import { torchEnv } from './torch-env.js';

process.env.XDG_RUNTIME_DIR ??= '/tmp/xdg';
const quick = process.argv.includes('--quick');

interface Workload {
  readonly name: string;
  readonly file: string;
  readonly batch: number;
  /** Steps timed per round on each side (the round's figure is their median), and rounds (odd: one middle ratio). */
  readonly steps: number;
  readonly rounds: number;
}
const WORKLOADS: readonly Workload[] = [
  { name: 'lenet5.train', file: 'examples/lenet5.cnn', batch: 64, steps: 30, rounds: quick ? 5 : 9 },
  { name: 'resnet20.train', file: 'examples/resnet_cifar.cnn', batch: 128, steps: 3, rounds: quick ? 3 : 5 },
];

// PyTorch as the peer's own script builds it.
const torch = spawn('/usr/bin/python3', ['bench/peer-torch.py', '--serve'], { env: torchEnv(), stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: torch.stdout })[Symbol.asyncIterator]();
async function answer(): Promise<string> {
  const next = await lines.next();
  if (next.done) throw new Error('bench/peer-torch.py --serve exited');
  return next.value;
}
if ((await answer()) !== 'ready') throw new Error('bench/peer-torch.py --serve did not start');
async function torchMs(name: string, steps: number, warm: number): Promise<number> {
  torch.stdin.write(`${name} ${steps} ${warm}\n`);
  return (JSON.parse(await answer()) as { ms: number }).ms;
}

async function cnncMs(s: ModelSession, x: Float32Array, y: Float32Array, batch: number, steps: number, warm: number): Promise<number> {
  for (let i = 0; i < warm; i++) await s.trainStep(x, y, batch);
  const t: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await s.trainStep(x, y, batch);
    t.push(performance.now() - t0);
  }
  return median(t);
}

const results: Record<string, unknown> = {};
for (const w of WORKLOADS) {
  const fe = compileFrontEnd(w.file, readFileSync(w.file, 'utf8'), nodeHost);
  const m = fe.models[0];
  if (!m) throw new Error(`${w.file}: ${fe.diagnostics.map((d) => d.message).join('; ')}`);
  const per = m.nodes[m.inputs[0]].shape.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: w.batch * per }, () => Math.random());
  const y = Float32Array.from({ length: w.batch }, () => Math.floor(Math.random() * 10));
  const s = await ModelSession.create(m, { batch: w.batch, train: true, seed: 1 });
  // Both sides' first steps (allocations, PyTorch's oneDNN primitives, lavapipe's first runs) before any round.
  await cnncMs(s, x, y, w.batch, 1, 3);
  await torchMs(w.name, 1, 3);
  const rounds: { cnncMs: number; torchMs: number; ratio: number }[] = [];
  for (let r = 0; r < w.rounds; r++) {
    // Alternate which side goes first, so neither always follows the other's warm caches; each
    // side's first steps of a round are warm-up (the other process ran meanwhile).
    let c: number;
    let t: number;
    if (r % 2 === 0) {
      c = await cnncMs(s, x, y, w.batch, w.steps, 2);
      t = await torchMs(w.name, w.steps, 2);
    } else {
      t = await torchMs(w.name, w.steps, 2);
      c = await cnncMs(s, x, y, w.batch, w.steps, 2);
    }
    rounds.push({ cnncMs: +c.toFixed(2), torchMs: +t.toFixed(2), ratio: +(t / c).toFixed(4) });
    process.stdout.write(`${w.name} round ${r + 1}: cnnc ${c.toFixed(1)} ms, PyTorch ${t.toFixed(1)} ms a step: ${(t / c).toFixed(2)}×\n`);
  }
  await s.destroy();
  const ratios = rounds.map((r) => r.ratio);
  const ratio = median(ratios);
  results[w.name] = { batch: w.batch, stepsPerRound: w.steps, rounds, ratio, lowest: Math.min(...ratios), highest: Math.max(...ratios) };
  process.stdout.write(`${w.name}: cnnc at ${ratio.toFixed(2)}× PyTorch's speed (median of ${w.rounds} rounds; ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})\n`);
}
torch.stdin.end();
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/paired.json', JSON.stringify({ date: new Date().toISOString(), results }, null, 2) + '\n');
