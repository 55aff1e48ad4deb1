/// <reference types="@webgpu/types" />
import type { TargetInfo } from '../codegen/kernel.js';
import type { TargetExtras } from '../codegen/variants.js';
import { CnncError } from '../diagnostics/run-error.js';
import { quietly } from './wait.js';
import { READONLY_TEXTURES } from '../codegen/texture.js';

/**
 * Getting a GPUDevice: the caller's, the browser's `navigator.gpu`, or Dawn's Node bindings
 * (npm `webgpu`) loaded on demand, so browsers never see the native module.
 */

/** No WebGPU adapter: the message says how to get one. */
export class NoAdapterError extends CnncError {
  constructor(detail: string) {
    super('E_NO_GPU_ADAPTER', `no WebGPU adapter found (${detail})`, {
      notes: ['cnnc needs a GPU driver, or a software one on machines without a GPU'],
      help:
        'on Debian 12 run `npm run setup` (installs Mesa lavapipe from bookworm-backports); elsewhere install a Vulkan driver ' +
        '(Mesa >= 24 `mesa-vulkan-drivers` provides lavapipe); and set XDG_RUNTIME_DIR to a writable directory (`export XDG_RUNTIME_DIR=/tmp/xdg`)',
    });
    this.name = 'NoAdapterError';
  }
}

export interface GpuContext {
  readonly device: GPUDevice;
  readonly target: TargetInfo & TargetExtras;
  /** "llvmpipe (mesa, software)" or the like, for logs and benchmark reports. */
  readonly description: string;
  /**
   * Waits for submitted work, then destroys the device if this context created it (a caller's
   * device is left alone). Destroying with work in flight is one way to crash native drivers.
   */
  destroy(): Promise<void>;
}

export interface DeviceOptions {
  /** Use this device as is (its limits are whatever it was created with). */
  readonly device?: GPUDevice;
  /** Use this GPU object instead of navigator.gpu or Dawn's. */
  readonly gpu?: GPU;
  /** Flags for Dawn's `create()` in Node, e.g. `['backend=vulkan']`. */
  readonly dawnFlags?: readonly string[];
  readonly powerPreference?: GPUPowerPreference;
  /** Request the 'subgroups' feature when the adapter has it (default true). */
  readonly subgroups?: boolean;
}

const SOFTWARE = /llvmpipe|lavapipe|swiftshader|software|warp|basic render/i;

/** Whether an adapter is a CPU implementation (barriers cost coroutine switches there). */
export function isSoftwareAdapter(info: Partial<GPUAdapterInfo> | undefined, isFallback = false): boolean {
  if (isFallback || info?.isFallbackAdapter) return true;
  if (!info) return false;
  return [info.architecture, info.vendor, info.device, info.description].some((s) => typeof s === 'string' && SOFTWARE.test(s));
}

/** TargetInfo plus the extras some variants use (see codegen/variants.ts). */
export function targetInfoOf(limits: GPUSupportedLimits, software: boolean, subgroupMinSize?: number, readonlyStorageTextures = false): TargetInfo & TargetExtras {
  return {
    software,
    ...(subgroupMinSize ? { subgroupMinSize } : {}),
    ...(readonlyStorageTextures ? { readonlyStorageTextures } : {}),
    maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
    maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
    maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
  };
}

function describe(info: Partial<GPUAdapterInfo> | undefined, software: boolean): string {
  if (!info) return software ? 'unknown (software)' : 'unknown';
  const name = info.description || info.device || info.architecture || 'unknown adapter';
  return `${name} (${info.vendor || 'unknown vendor'}${software ? ', software' : ''})`;
}

let dawnGpu: Promise<GPU> | undefined;

/**
 * A variable, so bundlers of browser code (the compiled module's runtime is built from this file)
 * leave the Node-only package alone: it is loaded only where there is no navigator.gpu.
 */
const DAWN_PACKAGE = 'webgpu';
type Dawn = typeof import('webgpu');
const loadDawn = () => import(/* @vite-ignore */ DAWN_PACKAGE) as Promise<Dawn>;

/** One Dawn GPU object per process: creating several is costly and not needed. */
async function nodeGpu(flags: readonly string[]): Promise<GPU> {
  if (flags.length) return (await loadDawn()).create([...flags]);
  if (!dawnGpu) {
    dawnGpu = loadDawn().then((mod) => mod.create([]));
    // A failed load is not kept: the next call tries again.
    dawnGpu.catch(() => (dawnGpu = undefined));
  }
  return dawnGpu;
}

/**
 * Whether the WGSL of `gpu` has read-only storage textures (the texture convs read their operands
 * so), unless CNNC_TEXTURES=off asks for the kernels without them (to measure what they buy, or
 * to spare the memory of the texture every conv input keeps from the forward to the backward).
 */
export function readonlyTextures(gpu: GPU | undefined): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  if (env?.CNNC_TEXTURES === 'off') return false;
  return gpu?.wgslLanguageFeatures?.has(READONLY_TEXTURES) ?? false;
}

function browserGpu(): GPU | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  return nav?.gpu;
}

export async function acquireDevice(opts: DeviceOptions = {}): Promise<GpuContext> {
  if (opts.device) {
    const device = opts.device;
    const info = (device as Partial<Pick<GPUDevice, 'adapterInfo'>>).adapterInfo;
    const software = isSoftwareAdapter(info);
    const subgroups = device.features.has('subgroups') ? info?.subgroupMinSize : undefined;
    return { device, target: targetInfoOf(device.limits, software, subgroups, readonlyTextures(opts.gpu ?? browserGpu())), description: describe(info, software), destroy: async () => {} };
  }
  let gpu = opts.gpu ?? browserGpu();
  if (!gpu) {
    try {
      gpu = await nodeGpu(opts.dawnFlags ?? []);
    } catch (e) {
      throw new NoAdapterError(`WebGPU is not available here and Dawn's Node bindings (npm \`webgpu\`) did not load: ${(e as Error).message}`);
    }
  }
  const adapter = await gpu.requestAdapter(opts.powerPreference ? { powerPreference: opts.powerPreference } : undefined);
  if (!adapter) throw new NoAdapterError('requestAdapter() returned null: no Vulkan, Metal, D3D12 or GL driver was usable');
  const info = adapter.info;
  const software = isSoftwareAdapter(info, (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true);
  // Subgroups let software kernels share loads between lanes (codegen/variants.ts).
  const subgroups = adapter.features.has('subgroups') && (opts.subgroups ?? true);
  const device = await adapter.requestDevice({
    ...(subgroups ? { requiredFeatures: ['subgroups' as GPUFeatureName] } : {}),
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
      // Rows of the textures a texture conv keeps its operands in (codegen/texture.ts).
      maxTextureDimension2D: adapter.limits.maxTextureDimension2D,
    },
  });
  let destroyed = false;
  return {
    device,
    target: targetInfoOf(device.limits, software, subgroups ? info.subgroupMinSize : undefined, readonlyTextures(gpu)),
    description: describe(info, software),
    destroy: async () => {
      if (destroyed) return;
      destroyed = true;
      await quietly(device.queue.onSubmittedWorkDone());
      device.destroy();
    },
  };
}
