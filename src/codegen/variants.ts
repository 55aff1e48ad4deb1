import type { LanesTile } from './conv-grad-weight-lanes.js';
import type { TargetInfo } from './kernel.js';

/**
 * The one place where kernel variants and tile sizes are chosen from the adapter.
 *
 * Software adapters (lavapipe, SwiftShader) run invocations 8 wide on the CPU and turn every
 * workgroupBarrier into coroutine switches, which halves GEMM speed there; register tiles without
 * workgroup memory (4×4 to 4×8 outputs per invocation, vec4 along N) are fastest. Real GPUs want
 * workgroup-memory tiles. Measured numbers are in GUIDE.md §4 and bench/conv.ts.
 */

/**
 * Adapter facts beyond the TargetInfo contract (kernel.ts) that some variants use; acquireDevice()
 * adds them, a plain TargetInfo lacks them and gets the variants that do without.
 */
export interface TargetExtras {
  /** The adapter's subgroupMinSize, present only when the device was created with 'subgroups'. */
  readonly subgroupMinSize?: number;
  /**
   * WGSL's `readonly_and_readwrite_storage_textures` language feature (read-only storage textures):
   * present only when the adapter's WGSL has it, so the texture convs (conv-texture.ts) are used.
   */
  readonly readonlyStorageTextures?: boolean;
}

/**
 * Subgroup lanes a software kernel may rely on, or undefined. On lavapipe a load costs as much as
 * ~14 FMAs even when every lane reads the same address (inside loops it is never scalarised), but
 * subgroupBroadcast is a register shuffle: one load per lane plus broadcasts shares weights 3×
 * cheaper than one load per weight.
 */
export function subgroupLanes(target: TargetInfo): number | undefined {
  const n = (target as TargetInfo & TargetExtras).subgroupMinSize;
  return target.software && n !== undefined && n >= 4 ? n : undefined;
}

/** Register tiling: each invocation computes tm × tn outputs (tn a multiple of 4: vec4 along N). */
export interface RegisterTile {
  readonly kind: 'register';
  readonly tm: number;
  readonly tn: number;
  /** Invocations per workgroup. */
  readonly wg: number;
}

/**
 * Workgroup-memory tiling: a workgroup of (bn/tn) × (bm/tm) invocations computes a bm × bn block,
 * staging bk-deep slices of both operands in workgroup memory.
 */
export interface SharedTile {
  readonly kind: 'shared';
  readonly bm: number;
  readonly bn: number;
  readonly bk: number;
  readonly tm: number;
  readonly tn: number;
}

/**
 * Subgroup tiles (gemm-broadcast.ts): a workgroup is one subgroup of `lanes` invocations owning
 * (lanes·tm) rows × lanes columns; B is loaded once per column and shared by subgroupBroadcast.
 */
export interface BroadcastTile {
  readonly kind: 'broadcast';
  readonly tm: number;
  readonly lanes: number;
}

export type GemmVariant = RegisterTile | SharedTile;

/** What the dense GEMMs take: any GEMM variant, or the subgroup one. */
export type DenseVariant = GemmVariant | BroadcastTile;

/**
 * Split-K inside one workgroup (conv2d_grad_weight): wg invocations share one tm × tn output tile,
 * each summing a slice of the long reduction, then one barrier and a reduction in workgroup memory.
 */
export interface SplitKTile {
  readonly tm: number;
  readonly tn: number;
  readonly wg: number;
}

/**
 * The GEMM variant for a product with `m` rows per group (output channels, features). On lavapipe
 * 8 rows × 4 columns ran as fast as 4×8 (dense 1024², batch 64: ~2.8–4.2 GFLOP/s) and compiles in
 * half the time; fewer rows than 4 spend the tile on columns instead of idle rows.
 */
export function gemmVariant(target: TargetInfo, m: number): GemmVariant {
  if (target.software) return { kind: 'register', tm: Math.max(1, Math.min(8, m)), tn: m < 4 ? 8 : 4, wg: 64 };
  if (target.maxComputeInvocationsPerWorkgroup >= 256) return { kind: 'shared', bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 };
  return { kind: 'shared', bm: 32, bn: 32, bk: 16, tm: 4, tn: 4 };
}

/**
 * The dense GEMMs' variant. On software adapters with subgroups, the broadcast kernel with up to 8
 * rows per lane: on lavapipe LeNet-5's dense kernels (batch 64) ran 1.5–2.5× faster than the
 * register tiles (bench notes in PERFORMANCE.md). Fewer rows than the tile holds take fewer rows.
 */
export function denseVariant(target: TargetInfo, m: number): DenseVariant {
  const lanes = subgroupLanes(target);
  if (lanes !== undefined && lanes % 4 === 0) return { kind: 'broadcast', tm: Math.max(1, Math.min(8, Math.ceil(m / lanes))), lanes };
  return gemmVariant(target, m);
}

/**
 * Direct convolutions with row reuse (conv-direct.ts) on software adapters. With subgroups, 8
 * channels × 4 columns per invocation. Larger tiles run faster but compile far slower on lavapipe
 * (2026-12-02, 3×3 64→64 on 56×56, batch 8: 8 × 4 34.2 GFLOP/s forward, 16 × 4 41.5, 32 × 4 46.8;
 * but ResNet-18's inference session, created and run once with Mesa's shader cache off, took
 * 12.1 s, 27.1 s and 77.5 s, for the same 230–240 ms forward at batch 1): kept at 8 × 4 above 16
channels. Earlier
 * (2026-11-22, before the runtime stopped spinning a core): 8 × 4 ran at 12–19 GFLOP/s (4×8
 * 12–17, 2×8 8–9, 4×4 11–12); without subgroups every lane loads every weight, and 2 × 8 was best
 * (5–7; larger tiles reload less but spill registers).
 */
export function directConvTile(target: TargetInfo, m: number): RegisterTile {
  // Up to 16 channels all in one tile (2026-12-03, paired kernel runs: LeNet-5's conv2 forward,
  // 6 → 16, 1.09–1.20× faster than two tiles of 8; ResNet-20's first conv, 3 → 16, 1.19×): each
  // input load then serves 16 channels, and only such small convs compile the larger tile.
  if (subgroupLanes(target)) return { kind: 'register', tm: m <= 16 ? m : 8, tn: m < 4 ? 8 : 4, wg: 64 };
  return { kind: 'register', tm: Math.min(2, m), tn: 8, wg: 64 };
}

/**
 * A strided conv's grad input as stride-phase direct convs (conv-grad-input-phases.ts): 16
 * channels a tile at any channel count with subgroups. ResNet-20's two stride-2 grad inputs ran
 * 1.30× (32 channels) and 1.34–1.38× (16) faster than with 8 (paired kernel runs, batch 128); a
 * training-only kernel, so its longer compile is repaid, unlike the forward's in inference plans.
 */
export function phasedGradInputTile(target: TargetInfo, m: number): RegisterTile {
  const t = directConvTile(target, m);
  return subgroupLanes(target) ? { ...t, tm: Math.min(16, m) } : t;
}

/** A texture conv's GEMM (conv-texture.ts): tm output channels per subgroup of `lanes`, wg invocations. */
export interface TextureConvTile {
  readonly tm: number;
  /** Output pixels per lane. */
  readonly tn: number;
  readonly lanes: number;
  readonly wg: number;
}

/**
 * Whether a conv (forward, or grad input at stride 1) runs as the texture GEMM of conv-texture.ts,
 * and its tile: in training plans, on software adapters with subgroups and read-only storage
 * textures, ungrouped convs with at least 16 input and 16 output channels. Not in inference plans:
 * the GEMM's 64–128 accumulators take lavapipe 1–2 s to compile (shader cache off, against a few
 * tenths for the direct conv), which a training run repays over its thousands of steps but a
 * prediction or an evaluation of a large model does not (the ONNX import test, which creates
 * batch-1 sessions of ResNet-18 and -50, GoogLeNet, SqueezeNet and MobileNetV2, ran past its
 * 10-minute limit with them, shader cache off). Measured on lavapipe (scratch probe, 2026-12-03;
 * GFLOP/s of the GEMM, against the direct conv in the same hour): 3×3 64→64 on 56², batch 8:
 * 52.8 at 32 rows, 44.3 at 16, 36.3 at 32 rows with the channel loop unrolled twice (direct:
 * 27.5); ResNet-20's shapes at batch 32: 16 channels on 32² 32.2 at 16 rows, 17.2 at 32 (direct
 * 9.2); 32 on 16² 40.8 at 32 rows, 20.7 at 16 (direct 11.2); 64 on 8² 25.3 / 22.8 (direct 14.8).
 * LeNet-5's convs (1 → 6 and 6 → 16 channels, 5×5) ran slower or no faster (conv1 8.0 ms against
 * 2.5, its 1 channel padded to a vec4): few channels keep the direct conv. Pixels per lane
 * (2026-12-05, ResNet-20 at batch 128, forward and grad input GEMMs by the per-kernel profile):
 * 8 instead of 4 took the 16-channel layers from 180.8 to 165.6 ms a step and the 64-channel ones
 * from 114.3 to 120.2 (32 × 8 is 256 accumulators): 8 at 16 rows, 4 at 32.
 */
export function textureConvTile(target: TargetInfo, mode: 'train' | 'infer', inChannels: number, outChannels: number, groups: number): TextureConvTile | undefined {
  if (mode !== 'train') return undefined;
  const lanes = subgroupLanes(target);
  if (!lanes || !(target as TargetInfo & TargetExtras).readonlyStorageTextures) return undefined;
  if (groups !== 1 || inChannels < 16 || outChannels < 16) return undefined;
  // 16 rows take 8 pixels a lane, for the same 128 accumulators as 32 × 4.
  return outChannels >= 32 ? { tm: 32, tn: 4, lanes, wg: 64 } : { tm: 16, tn: 8, lanes, wg: 64 };
}

/**
 * A texture weight gradient's GEMM (conv-grad-weight-texture.ts): tm output channels per subgroup
 * of `lanes`, and `positions` of a row taken per trip of its reduction loop.
 */
export interface TextureWeightGradTile {
  readonly tm: number;
  readonly lanes: number;
  readonly positions: number;
}

/**
 * Whether a conv's weight gradient runs as the texture GEMM of conv-grad-weight-texture.ts, and
 * its tile: on the adapters and at the channel counts where the forward conv does (textureConvTile;
 * a weight gradient exists only in training), so its x texture is the forward's. Measured on
 * lavapipe, batch 128 (bench/conv.ts, the GEMM alone against the lanes kernel): 16 channels on
 * 32² 21 against 29–35 ms, 64 on 8² 16–23 against 26–32; ResNet-20's weight gradients by the
 * per-kernel profile 330 against 436 ms a step.
 */
export function textureWeightGradTile(target: TargetInfo, inChannels: number, outChannels: number, groups: number): TextureWeightGradTile | undefined {
  const t = textureConvTile(target, 'train', inChannels, outChannels, groups);
  // Each accumulator takes `positions` FMAs a trip instead of one: lavapipe keeps the tile's
  // accumulators in memory, so a trip's cost is mostly their loads and stores. Measured on ResNet-20
  // CIFAR, batch 128, by the per-kernel profile (weight gradients, all layers): 258 ms at one
  // position a trip, 200 at 2, 197 at 4, 257 at 8; 4 is best at 16 rows (layer1's 12.5 → 11.5 ms
  // against 2), 2 at 32 (layer3's 11.4 against 11.9).
  return t && { tm: t.tm, lanes: t.lanes, positions: t.tm >= 32 ? 2 : 4 };
}

/**
 * Into how many slices of its rows a texture weight gradient cuts its reduction (1: none). Each
 * workgroup walks its slice alone, so with fewer workgroups than a few per thread the threads
 * finish unevenly (ResNet-20's 16-channel layers have 5 tiles for 2 threads); slices are added
 * until there are about 16 workgroups, each costing a pass over dw's size in the sum.
 */
export function textureWeightGradSplits(target: TargetInfo, tiles: number): number {
  if (!target.software || tiles >= 16) return 1;
  return Math.min(16, Math.ceil(16 / tiles));
}

/**
 * conv2d_grad_weight on software adapters with subgroups (conv-grad-weight-lanes.ts): one subgroup
 * per tile of dw, up to 32 output channels × 4 columns per lane (dy shared in rounds of one value
 * per lane). Measured on lavapipe, 3×3 64→64 on 56×56, batch 8: 8 × 4 23.3 GFLOP/s, 16 × 4 30.2,
 * 32 × 4 35.3, 64 × 4 36.5, 32 × 8 39.7; in ResNet-20 CIFAR (batch 32) 32 × 8 slowed the 16-channel
 * layers (7.6 → 8.6 ms, 5 column tiles become 3) and LeNet-5's step (12.5 → 14.3 ms), 32 × 4 did
 * not (64-channel layers 7.7 → 5.2 ms, the 16-channel ones 7.6 → 6.9, LeNet-5 unchanged). Compile
 * time: ResNet-20's first training step (shader cache off) 10.8 s at 8 rows, 12.3 s at 16, 16.1 s
 * at 32, for steps of 1,378, 1,308 and 1,265 ms at batch 128; only training compiles it.
 */
export function lanesTile(target: TargetInfo, m: number): LanesTile | undefined {
  const lanes = subgroupLanes(target);
  return lanes ? { tm: Math.min(32, m), tn: 4, lanes } : undefined;
}

/**
 * Into how many slices of the batch a weight gradient's lanes kernel splits its reduction, each
 * slice's workgroups writing partial sums that a second kernel adds up (1: no split). lavapipe
 * runs a workgroup on one thread, so a gradient with fewer tiles than threads leaves cores idle
 * (LeNet-5's conv1: 6 × 25 weights, one tile, one thread for the whole batch). Below 4 tiles,
 * slices are added until there are about 16 workgroups, enough for the software adapters' thread
 * counts; each costs a pass over dw's size in the sum. From 4 tiles up the split measured no gain
 * on the 2-core machine (ResNet-20's 5–15-tile gradients: 819.7 vs 836.0 ms a step), so they
 * stay one kernel.
 */
export function weightGradSplits(target: TargetInfo, tiles: number): number {
  if (!target.software || tiles >= 4) return 1;
  return Math.min(16, Math.ceil(16 / tiles));
}

export function splitKTile(target: TargetInfo, m: number): SplitKTile {
  const tm = Math.min(4, m);
  return { tm, tn: 8, wg: target.software ? 64 : 128 };
}

/** Elementwise kernels: invocations per workgroup and vec4 (or scalars) handled by each. */
export interface ElementwiseTile {
  readonly wg: number;
  readonly perInvocation: number;
}

/**
 * On lavapipe 2 vec4 per invocation in workgroups of 256 ran as fast as 4–16 (elementwise kernels
 * are load-bound there) and compiles 10× faster than 8 or 16, which unroll into long code.
 */
export function elementwiseTile(target: TargetInfo): ElementwiseTile {
  return target.software ? { wg: 256, perInvocation: 2 } : { wg: 256, perInvocation: 4 };
}

/**
 * Per-element kernels whose items loop over a window or a row of channels (pooling, lrn, maxout,
 * the loss's rows): invocations per workgroup and items per invocation, looped, not unrolled. On
 * lavapipe every workgroup has a fixed cost of roughly 2 µs: a copy at one item per invocation in
 * workgroups of 64 ran 2–4× slower than at 4, and 256 items per workgroup still left max pooling
 * and its gradient at under half a copy's bandwidth (`bench/bandwidth.ts`); 1,024 per workgroup
 * ran them 1.4–1.6× faster (16 × 32 × 32 → 16 × 16, batch 128; LeNet-5's first pool 1.2×), as did
 * 2,048 in either shape. GPUs want one item per invocation and many invocations.
 */
export function windowTile(target: TargetInfo): { readonly wg: number; readonly perInvocation: number } {
  return target.software ? { wg: 256, perInvocation: 4 } : { wg: 128, perInvocation: 1 };
}

/** Reductions (bias_grad): invocations per workgroup. */
export function reductionWorkgroup(target: TargetInfo): number {
  return target.software ? 64 : 256;
}

/**
 * How many neighbouring invocations of a per-channel reduction sweep one contiguous part of the
 * channel together (batchnorm.ts). A software adapter runs a workgroup's lanes a few at a time,
 * one group after another, so a workgroup interleaved over the whole channel streamed it from
 * memory once per group: runs of 8 each over their own part made batchnorm training and its
 * gradient 1.85–1.95× faster on lavapipe (`bench/bandwidth.ts`, 16 × 32 × 32, batch 128). GPUs
 * keep the whole workgroup interleaved, every warp's loads coalesced.
 */
export function reductionRun(target: TargetInfo): number {
  return target.software ? 8 : reductionWorkgroup(target);
}

/**
 * Whether a gradient kernel applies its group's activation derivative (the fusion prologue) at
 * every load of dy, or an elementwise kernel computes dy once before it and the kernel reads that.
 * `reuse` is how many workgroup tiles of the kernel load the same dy element.
 *
 * Real GPUs: at load (staging loads into workgroup memory are cheap next to a pass through memory
 * and a dispatch). Software: a load costs ~14 FMAs and the prologue doubles dy's loads. Measured on
 * lavapipe (LeNet-5 training groups, batch 64, interleaved medians): at load was 1.4–1.8× slower
 * than apart for conv2's grad input and the dense GEMMs (reuse 2–13) and 1.16× for conv2's grad
 * weight (reuse 5), but 1.2× faster for conv1's grad weight (reuse 1), where it saves a pass.
 */
export function prologueAtLoad(target: TargetInfo, reuse: number): boolean {
  return !target.software || reuse <= 1;
}

/**
 * Whether a conv's grad input applies a fused epilogue (a gradient sum, the derivative of the
 * activation before the conv) as it stores dx, or an elementwise kernel does it after. GPUs: as
 * it stores (one pass through memory fewer). Software: after; the GEMMs' scalar stores, each with
 * the epilogue's scalar loads, cost more than a vec4 kernel's pass plus its dispatch. Measured on
 * lavapipe, ResNet-20 CIFAR training at batch 128 (per-kernel profile, 2026-12-03): the texture
 * GEMM with add and relu's derivative 16.1 ms against 8.8 + 2.2 apart, the stride-2 phase kernel
 * 28.8 against 16.0 + 3.0, and the step 0.99× (paired A/B). Dense grad inputs and pooling
 * gradients (LeNet-5's: outputs of 84–1,600 values a sample, the pool's saved input already
 * loaded) take theirs on every adapter: 0.33 ms for maxpool2's with relu's against 0.38 + 0.51 apart.
 */
export function convGradInputEpilogue(target: TargetInfo): boolean {
  return !target.software;
}
