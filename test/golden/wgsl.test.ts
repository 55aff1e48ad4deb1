import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TARGETS } from '../../src/codegen/targets.js';
import { compileFrontEnd } from '../../src/compiler.js';
import { DEFAULT_OPTIMIZER, planDevice } from '../../src/engine/plan.js';
import { nodeHost } from '../../src/host.js';
import { differentiate } from '../../src/ir/autodiff.js';
import { lowerModel } from '../../src/ir/lower.js';

/**
 * The WGSL emitted for a few small models, as golden files under test/golden/wgsl/: a change in
 * code generation shows up as a reviewable diff. `npm run golden` rewrites them.
 */
const cases = [
  { file: 'examples/lenet5.cnn', mode: 'infer', target: 'software' },
  { file: 'examples/lenet5.cnn', mode: 'train', target: 'software' },
  { file: 'examples/lenet5.cnn', mode: 'infer', target: 'gpu' },
  { file: 'test/fixtures/residual.cnn', mode: 'infer', target: 'software' },
  { file: 'test/fixtures/residual.cnn', mode: 'train', target: 'software' },
] as const;

function emitAll(file: string, mode: 'infer' | 'train', target: 'software' | 'gpu'): string {
  const m = compileFrontEnd(file, readFileSync(file, 'utf8'), nodeHost).models[0];
  const forward = lowerModel(m, { mode });
  const graph = mode === 'train' ? differentiate(forward) : forward;
  const plan = planDevice(graph, TARGETS[target], { fusion: true, align: 256, optimizer: mode === 'train' ? (m.training?.optimizer ?? DEFAULT_OPTIMIZER) : undefined });
  return plan.kernels.map((k) => `// ---- ${k.name}\n${k.source}\n`).join('\n');
}

describe('golden WGSL', () => {
  it.each(cases)('$file ($mode, $target)', ({ file, mode, target }) => {
    const name = file.replace(/^.*\/|\.cnn$/g, '');
    const path = `test/golden/wgsl/${name}.${mode}.${target}.wgsl`;
    const text = emitAll(file, mode, target);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, text);
    expect(existsSync(path), `${path} is missing: run \`npm run golden\``).toBe(true);
    expect(text).toBe(readFileSync(path, 'utf8'));
  });
});
