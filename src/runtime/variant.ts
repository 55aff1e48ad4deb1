import type { VariantSpec } from '../module/manifest.js';
import { CnncError } from '../diagnostics/run-error.js';

/** What decides which kernels a device runs correctly. */
export interface DeviceFacts {
  readonly features: ReadonlySet<string>;
  /**
   * The smallest subgroup the adapter may run a kernel with (GPUAdapterInfo.subgroupMinSize);
   * absent when unknown, and then no kernel that relies on a subgroup size runs.
   */
  readonly subgroupMinSize?: number;
  /** The WGSL language features of the device's WebGPU (navigator.gpu.wgslLanguageFeatures). */
  readonly wgslFeatures?: ReadonlySet<string>;
}

/** Why a variant cannot run on a device, or undefined when it can. */
export function variantProblem(v: VariantSpec, facts: DeviceFacts): string | undefined {
  const missing = v.features.filter((f) => !facts.features.has(f));
  if (missing.length) return `the device lacks the feature${missing.length > 1 ? 's' : ''} ${missing.map((f) => `'${f}'`).join(', ')}`;
  const wgsl = (v.wgslFeatures ?? []).filter((f) => !facts.wgslFeatures?.has(f));
  if (wgsl.length) return `its kernels need the WGSL language feature${wgsl.length > 1 ? 's' : ''} ${wgsl.map((f) => `'${f}'`).join(', ')}, which this WebGPU lacks`;
  if (v.minSubgroupSize !== undefined) {
    if (facts.subgroupMinSize === undefined) return `its kernels need subgroups of at least ${v.minSubgroupSize} lanes and the adapter does not say how large its subgroups are`;
    if (facts.subgroupMinSize < v.minSubgroupSize) return `its kernels need subgroups of at least ${v.minSubgroupSize} lanes and this adapter's may have ${facts.subgroupMinSize}`;
  }
  return undefined;
}

/**
 * The first variant the device runs correctly, or the named one (an error when it cannot run).
 * The last variant of every module needs nothing optional, so a choice always exists on a
 * conforming device; a manifest without one is reported rather than run wrongly.
 */
export function chooseVariant(variants: readonly VariantSpec[], facts: DeviceFacts, wanted?: string): VariantSpec {
  if (wanted !== undefined) {
    const v = variants.find((x) => x.name === wanted);
    if (!v) throw new CnncError('E_MODULE_VARIANT', `no kernel variant '${wanted}' in this module`, { help: `it has ${variants.map((x) => `'${x.name}'`).join(', ')}` });
    const problem = variantProblem(v, facts);
    if (problem) throw new CnncError('E_MODULE_VARIANT', `kernel variant '${wanted}' cannot run correctly on this device: ${problem}`, { help: 'leave `variant` out to let createModel choose one this device runs correctly' });
    return v;
  }
  const v = variants.find((x) => variantProblem(x, facts) === undefined);
  if (!v) throw new CnncError('E_MODULE_VARIANT', 'no kernel variant of this module runs on this device', { notes: variants.map((x) => `${x.name}: ${variantProblem(x, facts)}`) });
  return v;
}
