/**
 * `npm run bench`: every benchmark in one run, each workload in its own process (so a native
 * crash or leak in one cannot skew another), cnnc and its peer on the same adapter back to back,
 * reported as ratios; where PyTorch is installed, the training ratios again in alternating rounds
 * (bench/paired.ts). Writes bench/results/summary.json. `--quick` for fewer repetitions,
 * `--resnet` to include ResNet-18 on CIFAR (minutes per step on the peer).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { torchEnv } from './torch-env.js';

process.env.XDG_RUNTIME_DIR ??= '/tmp/xdg';
mkdirSync(process.env.XDG_RUNTIME_DIR, { recursive: true });
const quick = process.argv.includes('--quick');
const resnet = process.argv.includes('--resnet');

function tsx(script: string, args: string[]): string {
  process.stdout.write(`\n$ tsx ${script} ${args.join(' ')}\n`);
  const out = execFileSync('npx', ['tsx', script, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
  process.stdout.write(out);
  return out;
}

const load = loadavg()[0];
tsx('bench/frontend.ts', []);
tsx('bench/language.ts', []);
const convOut = tsx('bench/conv.ts', quick ? ['--runs', '3'] : []);
const bandwidthOut = tsx('bench/bandwidth.ts', quick ? ['--runs', '5'] : []);
tsx('bench/models.ts', [...(quick ? ['--quick'] : []), ...(resnet ? [] : ['--no-resnet'])]);
tsx('bench/peer-tfjs.ts', [...(quick ? ['--quick'] : []), '--only', resnet ? 'lenet,conv,resnet' : 'lenet,conv']);

// PyTorch CPU on the same cores, where Debian's python3-torch is installed.
const python = '/usr/bin/python3';
const hasTorch = (() => {
  try {
    execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (hasTorch) {
  process.stdout.write(`\n$ ${python} bench/peer-torch.py${quick ? ' --quick' : ''}\n`);
  process.stdout.write(execFileSync(python, ['bench/peer-torch.py', ...(quick ? ['--quick'] : [])], { encoding: 'utf8', env: torchEnv(), stdio: ['ignore', 'pipe', 'inherit'] }));
}
const torch = hasTorch ? JSON.parse(readFileSync('bench/results/peer-torch.json', 'utf8')).workloads : {};
// The ratio targets measured again in alternating rounds beside a waiting PyTorch process (the
// machine's speed drifts between the separate runs above).
if (hasTorch) tsx('bench/paired.ts', quick ? ['--quick'] : []);
type PairedResult = { ratio: number; lowest: number; highest: number; rounds: unknown[] };
const paired: Record<string, PairedResult> = hasTorch ? JSON.parse(readFileSync('bench/results/paired.json', 'utf8')).results : {};

const fmaCeiling = Number(/^FMA ceiling.*?([\d.]+) GFLOP\/s/m.exec(convOut)?.[1] ?? NaN);
// A row's label may name its parts: `forward (texture GEMM + copies)`.
const gflops = (label: string): number => Number(new RegExp(`^${label}(?: \\([^)]*\\))?\\s+median.*?([\\d.]+) GFLOP/s`, 'm').exec(convOut)?.[1] ?? NaN);
const cnnc = JSON.parse(readFileSync('bench/results/cnnc-models.json', 'utf8')).results;
const peer = existsSync('bench/results/peer-tfjs.json') ? JSON.parse(readFileSync('bench/results/peer-tfjs.json', 'utf8')).workloads : {};
// Images per second from the measured milliseconds: the stored img/s are rounded, too coarse for
// ResNet-18's ~4 img/s.
const perSecond = (r: { batch: number; trainStepMs?: number; inferenceMs?: number } | undefined, key: 'trainStepMs' | 'inferenceMs'): number =>
  r && r[key] ? (r.batch * 1000) / r[key] : NaN;
const rows = [
  ['LeNet-5 train step, batch 64 (img/s)', perSecond(cnnc.lenet5_b64, 'trainStepMs'), peer['lenet5.train']?.imgPerSec, torch['lenet5.train']?.imgPerSec],
  ['LeNet-5 inference, batch 64 (img/s)', perSecond(cnnc.lenet5_b64, 'inferenceMs'), peer['lenet5.infer']?.imgPerSec, torch['lenet5.infer']?.imgPerSec],
  ['ResNet-20 CIFAR train step, batch 128 (img/s)', perSecond(cnnc.resnet20_b128, 'trainStepMs'), NaN, torch['resnet20.train']?.imgPerSec],
  ['conv 3×3 64→64 56×56 b8 forward (GFLOP/s)', gflops('forward'), peer['conv3x3.fwd']?.gflops, torch['conv3x3.fwd']?.gflops],
  ['conv 3×3 64→64 56×56 b8 fwd+bwd (GFLOP/s)', gflops('forward \\+ backward'), peer['conv3x3.fwdbwd']?.gflops, torch['conv3x3.fwdbwd']?.gflops],
  ...(resnet ? [['ResNet-18 CIFAR train, batch 32 (img/s)', perSecond(cnnc.resnet18_cifar_b32, 'trainStepMs'), peer['resnet18-cifar.train']?.imgPerSec, NaN]] : []),
] as [string, number, number, number][];
const num = (v: number | undefined) => (Number.isFinite(v) ? String(+v!.toFixed(2)) : 'n/a').padStart(9);
const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : 'n/a');
process.stdout.write(`\nload average at start ${load.toFixed(2)}\n`);
// Compile time as a user meets it: ModelSession.create to the first finished training step.
const firstSteps = Object.fromEntries(Object.entries(cnnc as Record<string, { firstStepMs?: number }>).filter(([, r]) => r.firstStepMs !== undefined).map(([k, r]) => [k, r.firstStepMs]));
process.stdout.write(`first training step after create (compile included), ms: ${JSON.stringify(firstSteps)}\n`);
// The memory-bound kernels as fractions of a copy's bandwidth (bench/bandwidth.ts).
const copyCeiling = Number(/^the copy's ceiling: ([\d.]+) GB\/s/m.exec(bandwidthOut)?.[1] ?? NaN);
const bandwidth = Object.fromEntries([...bandwidthOut.matchAll(/^(\S+)\s+[\d.]+ ms\s+[\d.]+ MiB\s+[\d.]+ GB\/s\s+(\d+)% of the copy/gm)].map((m) => [m[1], Number(m[2]) / 100]));
process.stdout.write(`copy bandwidth of this adapter, same run: ${copyCeiling} GB/s; memory-bound kernels as a fraction of it: ${JSON.stringify(bandwidth)}\n`);
process.stdout.write(`FMA ceiling of this adapter, same run: ${fmaCeiling} GFLOP/s (the conv rows below as a fraction of it: ${(100 * gflops('forward') / fmaCeiling).toFixed(0)}% forward, ${(100 * gflops('forward \\+ backward') / fmaCeiling).toFixed(0)}% forward + backward)\n`);
for (const [name, a, b, c] of rows) {
  process.stdout.write(`${name.padEnd(46)} cnnc ${num(a)}   TF.js WebGPU ${num(b)} (${ratio(a, b)})   PyTorch CPU ${num(c)} (${ratio(a, c)})\n`);
}
for (const [name, p] of Object.entries(paired)) {
  process.stdout.write(`${name}: against PyTorch CPU in alternating rounds ${p.ratio.toFixed(2)}× (median of ${p.rounds.length}; ${p.lowest.toFixed(2)}–${p.highest.toFixed(2)})\n`);
}
writeFileSync(
  'bench/results/summary.json',
  JSON.stringify({ date: new Date().toISOString(), loadAverageAtStart: load, firstStepMs: firstSteps, fmaCeilingGflops: fmaCeiling, copyGBs: copyCeiling, fractionOfCopy: bandwidth, dispatches: { lenet5: cnnc.lenet5_b64?.dispatches }, pairedWithTorch: paired, rows: rows.map(([name, cnncValue, peerValue, torchValue]) => ({ name, cnnc: cnncValue, peer: peerValue, ratio: cnncValue / peerValue, torch: torchValue ?? null, ratioTorch: torchValue ? cnncValue / torchValue : null })) }, null, 2) + '\n',
);
