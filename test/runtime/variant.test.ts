import { CnncError } from '../../src/diagnostics/run-error.js';
import { describe, expect, it } from 'vitest';
import type { VariantSpec } from '../../src/module/manifest.js';
import { chooseVariant, variantProblem } from '../../src/runtime/variant.js';

const program = { tensors: [], kernels: [], prepare: 0, batchedBuffers: [], io: { input: { buffer: 0, offset: 0, elements: 1 }, output: { buffer: 0, offset: 0, elements: 1 } } };
const variant = (name: string, features: string[], minSubgroupSize?: number): VariantSpec => ({
  name,
  features,
  ...(minSubgroupSize ? { minSubgroupSize } : {}),
  dispatches: { forward: 0, trainStep: 0 },
  forward: program,
  trainStep: program,
});
const VARIANTS = [variant('subgroups', ['subgroups'], 8), variant('portable', [])];
const withSubgroups = (subgroupMinSize?: number) => ({ features: new Set(['subgroups']), ...(subgroupMinSize ? { subgroupMinSize } : {}) });

describe('choosing a module kernel variant for a device', () => {
  it.each([
    ['lavapipe (8 lanes)', withSubgroups(8), 'subgroups'],
    ['lavapipe at 512 bits (16)', withSubgroups(16), 'subgroups'],
    ['NVIDIA (32)', withSubgroups(32), 'subgroups'],
    ['SwiftShader (4)', withSubgroups(4), 'portable'],
    ['subgroups of an unknown size', withSubgroups(), 'portable'],
    ['no subgroups feature', { features: new Set<string>(), subgroupMinSize: 32 }, 'portable'],
  ])('%s → %s', (_, facts, want) => {
    expect(chooseVariant(VARIANTS, facts).name).toBe(want);
  });

  it('refuses a requested variant the device would run wrongly, saying why', () => {
    expect(() => chooseVariant(VARIANTS, withSubgroups(4), 'subgroups')).toThrow("kernel variant 'subgroups' cannot run correctly on this device: its kernels need subgroups of at least 8 lanes and this adapter's may have 4");
    expect(() => chooseVariant(VARIANTS, withSubgroups(8), 'fast')).toThrow("no kernel variant 'fast' in this module");
    const unknown = thrown(() => chooseVariant(VARIANTS, withSubgroups(8), 'fast'));
    expect([unknown.code, unknown.help]).toEqual(['E_MODULE_VARIANT', "it has 'subgroups', 'portable'"]);
    expect(chooseVariant(VARIANTS, withSubgroups(8), 'portable').name).toBe('portable');
  });

  it('reports a module none of whose variants runs, rather than running one', () => {
    const e = thrown(() => chooseVariant([VARIANTS[0]], { features: new Set() }));
    expect(e.message).toBe('no kernel variant of this module runs on this device');
    expect(e.notes.map((n) => n.message)).toEqual(["subgroups: the device lacks the feature 'subgroups'"]);
    expect(variantProblem(VARIANTS[1], { features: new Set() })).toBeUndefined();
  });
});

function thrown(f: () => unknown): CnncError {
  try {
    f();
  } catch (e) {
    if (e instanceof CnncError) return e;
    throw e;
  }
  throw new Error('expected a CnncError');
}
