import type { Span } from '../diagnostics/source.js';

/**
 * The graph IR: tensors and the ops between them, with everything a later stage needs and nothing
 * it must recompute. Plain, read-only data; every pass is a function from one Graph to the next.
 *
 * Layouts (the same as PyTorch, so weights move between the two without reshuffling):
 * - batched activations are NCHW (or N×F when flat), contiguous, float32 on the device;
 * - conv weights OIHW (O × I/groups × KH × KW), conv/dense biases [O];
 * - dense weights [out, in]; batchnorm gamma/beta/running_mean/running_var [C].
 * A batched tensor's `shape` leaves out N, which is chosen at run time.
 */
export type TensorRole =
  /** a model input (images) */
  | 'input'
  /** class indices (as float32) for cross-entropy, targets for mean squared error */
  | 'target'
  /** trainable parameters */
  | 'param'
  /** running statistics: updated by training, not by gradients */
  | 'state'
  | 'activation'
  /** values saved by a forward op for its backward op (batchnorm's mean and 1/std) */
  | 'saved'
  /**
   * computed from parameters and state before the forward pass (a conv's weights with the
   * following batchnorm folded in, ir/fold.ts); never a user-visible weight
   */
  | 'derived'
  | 'grad'
  /**
   * a device plan's buffer private to one group's kernels (a weight gradient's partial sums over
   * slices of the batch, codegen/conv-grad-weight.ts); never in a graph, only in DevicePlan.tensors
   */
  | 'scratch'
  /** the scalar loss */
  | 'loss';

/** How a parameter or state tensor starts: PyTorch's defaults, so results are comparable. */
export type Init =
  /** U(−bound, bound); conv and dense weights and biases use bound = 1/√fan_in (kaiming_uniform, a = √5) */
  | { readonly kind: 'uniform'; readonly bound: number }
  | { readonly kind: 'const'; readonly value: number };

export interface Tensor {
  readonly id: number;
  readonly name: string;
  readonly init?: Init;
  /** Per-sample shape when batched; the full shape otherwise. */
  readonly shape: readonly number[];
  readonly batched: boolean;
  readonly role: TensorRole;
  /**
   * Kept as an rgba32float storage texture instead of a buffer (a device plan's scratch only: the
   * operands of a texture conv, codegen/texture.ts); `shape` is then [4 · texels].
   */
  readonly texture?: boolean;
}

export type Pair = readonly [number, number];
/** Padding [top, bottom, left, right]. */
export type Pad4 = readonly [number, number, number, number];

export type UnaryFn = 'relu' | 'relu6' | 'leaky_relu' | 'elu' | 'sigmoid' | 'tanh' | 'silu' | 'gelu' | 'gelu_tanh' | 'hardswish' | 'identity';

/**
 * What an activation's derivative is computed from, i.e. what `unary_grad` reads beside dy. Most
 * are monotonic with a derivative that is a function of their output, so a fused forward kernel
 * need not keep the pre-activation. silu, gelu and hardswish are not monotonic (one y comes from
 * two x), so their backward reads the forward input, which the forward pass must then store.
 */
export const UNARY_GRAD_FROM: Readonly<Record<UnaryFn, 'output' | 'input'>> = {
  relu: 'output', relu6: 'output', leaky_relu: 'output', elu: 'output', sigmoid: 'output', tanh: 'output', identity: 'output',
  silu: 'input', gelu: 'input', gelu_tanh: 'input', hardswish: 'input',
};
export type PoolMode = 'max' | 'avg' | 'min' | 'l2';

export interface ConvAttrs {
  readonly stride: Pair;
  readonly pad: Pad4;
  readonly dilation: Pair;
  readonly groups: number;
  /** zeros: padding reads 0; replicate: padding repeats the nearest edge pixel. */
  readonly padMode: 'zeros' | 'replicate';
}

export interface PoolAttrs {
  readonly mode: PoolMode;
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly pad: Pad4;
  /** avg only: whether padded positions count in the divisor (PyTorch count_include_pad). */
  readonly countPad: boolean;
}

/**
 * Op semantics. Inputs and outputs are tensor ids, in the order given per kind. N is the batch.
 * Windows (conv, pool): output (oh, ow) reads input rows oh·S − P_top + kh·D for kh < K; rows
 * outside [0, H) are padding. For pools, padding never wins a max/min and is never part of an
 * L2 sum; the output size is fixed by the tensor shapes (ceil mode is already resolved).
 */
export type OpKind =
  /** [x, w, b?] → [y] */
  | { readonly kind: 'conv2d'; readonly attrs: ConvAttrs; readonly bias: boolean }
  /** [dy, w] → [dx] */
  | { readonly kind: 'conv2d_grad_input'; readonly attrs: ConvAttrs }
  /** [dy, x] → [dw] (summed over the batch) */
  | { readonly kind: 'conv2d_grad_weight'; readonly attrs: ConvAttrs }
  /** [dy] → [db]: the sum of dy over the batch and all positions, per channel (or feature) */
  | { readonly kind: 'bias_grad' }
  /** [x] → [y] */
  | { readonly kind: 'pool2d'; readonly attrs: PoolAttrs }
  /** [dy, x, y] → [dx]. max/min: the gradient goes to the first position (row-major) that attains it */
  | { readonly kind: 'pool2d_grad'; readonly attrs: PoolAttrs }
  /** [x] → [y]; window i covers rows floor(i·H/OH) … ceil((i+1)·H/OH) − 1 (PyTorch) */
  | { readonly kind: 'adaptive_pool'; readonly mode: 'avg' | 'max' }
  /** [dy, x] → [dx] */
  | { readonly kind: 'adaptive_pool_grad'; readonly mode: 'avg' | 'max' }
  /** [x] → [y]: y[c] = max over x[c·k … c·k + k − 1] (channels; works on C×H×W and on F) */
  | { readonly kind: 'maxout'; readonly k: number }
  /** [dy, x] → [dx], ties to the first */
  | { readonly kind: 'maxout_grad'; readonly k: number }
  /** [x, w, b?] → [y]: y = x·wᵀ + b, x flat */
  | { readonly kind: 'dense'; readonly bias: boolean }
  /** [dy, w] → [dx] = dy·w */
  | { readonly kind: 'dense_grad_input' }
  /** [dy, x] → [dw] = dyᵀ·x, summed over the batch */
  | { readonly kind: 'dense_grad_weight' }
  /** [x] → [y]: same data, another shape (flatten) */
  | { readonly kind: 'reshape' }
  /**
   * [x] → [y]: y = x·m/(1 − p) with m = 1 when uniform(seed, step, element index) ≥ p.
   * The uniform stream is `dropoutUniform` in ir/random.ts, shared by every backend.
   */
  | { readonly kind: 'dropout'; readonly p: number; readonly seed: number }
  /** [dy] → [dx] with the same mask (same seed and step) */
  | { readonly kind: 'dropout_grad'; readonly p: number; readonly seed: number }
  /**
   * Training: [x, gamma, beta, running_mean, running_var] → [y, mean, invstd], statistics over
   * N·H·W per channel (biased variance for y; running_var is updated with the unbiased one,
   * running = (1 − momentum)·running + momentum·batch). Inference: → [y] from the running stats.
   * Without affine, gamma = 1 and beta = 0 are passed as constants.
   */
  | { readonly kind: 'batchnorm'; readonly eps: number; readonly momentum: number; readonly training: boolean }
  /**
   * [w, b?, gamma, beta, running_mean, running_var] → [w', b']: a conv's (or dense's) weights with
   * the inference batchnorm after it folded in. Per output channel o (w's first axis),
   * s = gamma[o]/√(running_var[o] + eps), w'[o] = w[o]·s, b'[o] = (b[o] − running_mean[o])·s + beta[o]
   * (b = 0 when `bias` is false). Inference graphs only (ir/fold.ts).
   */
  | { readonly kind: 'batchnorm_fold'; readonly eps: number; readonly bias: boolean }
  /** [dy, x, gamma, mean, invstd] → [dx, dgamma, dbeta] (training mode statistics) */
  | { readonly kind: 'batchnorm_grad' }
  /**
   * [dy, gamma, running_var] → [dx] = dy·gamma/√(running_var + eps) per channel: the input gradient
   * of inference batchnorm, whose statistics are constants (saliency, activation maximisation)
   */
  | { readonly kind: 'batchnorm_infer_grad'; readonly eps: number }
  /** [x] → [y]: y = x / (k + α/n · Σ x²)^β over n = size neighbouring channels (PyTorch's LocalResponseNorm) */
  | { readonly kind: 'lrn'; readonly size: number; readonly alpha: number; readonly beta: number; readonly k: number }
  /** [dy, x] → [dx] */
  | { readonly kind: 'lrn_grad'; readonly size: number; readonly alpha: number; readonly beta: number; readonly k: number }
  /**
   * [x] → [y] elementwise; alpha for leaky_relu and elu. silu = x·σ(x); gelu = x·Φ(x) (Φ the
   * standard normal CDF); gelu_tanh = PyTorch's gelu(approximate='tanh'),
   * x/2·(1 + tanh(√(2/π)(x + 0.044715x³))); hardswish = x·min(max(x + 3, 0), 6)/6.
   */
  | { readonly kind: 'unary'; readonly fn: UnaryFn; readonly alpha: number }
  /**
   * [dy, s] → [dx], s as UNARY_GRAD_FROM says: the forward OUTPUT y where the derivative is a
   * function of it (relu: y > 0; sigmoid: y(1 − y); elu: y + α below 0), so fused forward kernels
   * need not store the pre-activation; the forward INPUT x for silu, gelu and hardswish.
   */
  | { readonly kind: 'unary_grad'; readonly fn: UnaryFn; readonly alpha: number }
  /** [x] → [y] over the channel axis (features when flat), per position */
  | { readonly kind: 'softmax' }
  /** [dy, y] → [dx] */
  | { readonly kind: 'softmax_grad' }
  /** [a, b, …] → [y] = Σ inputs (same shapes); also accumulates gradients */
  | { readonly kind: 'add' }
  /** [a, b, …] → [y] along channels (features when flat) */
  | { readonly kind: 'concat' }
  /** [x] → [y] = channels [start, start + count) of x */
  | { readonly kind: 'slice_channels'; readonly start: number; readonly count: number }
  /** [logits, target] → [loss]: mean over the batch of −log softmax(logits)[target] */
  | { readonly kind: 'softmax_cross_entropy' }
  /** [logits, target] → [dlogits] = (softmax(logits) − onehot(target)) / N */
  | { readonly kind: 'softmax_cross_entropy_grad' }
  /** [pred, target] → [loss]: mean over all elements of (pred − target)² */
  | { readonly kind: 'mse' }
  /** [pred, target] → [dpred] = 2(pred − target) / (N·F) */
  | { readonly kind: 'mse_grad' };

export type Op = OpKind & {
  readonly id: number;
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  /** The model layer this op implements (`layer1.0.conv1`), and its place in the source. */
  readonly layer: string;
  readonly span?: Span;
};

export interface Graph {
  readonly tensors: readonly Tensor[];
  /** In execution order: every op after the ops producing its inputs. */
  readonly ops: readonly Op[];
  readonly inputs: readonly number[];
  /** The model's output (logits), and the loss when the graph trains. */
  readonly outputs: readonly number[];
  /** Trainable parameters in a fixed order, with their gradients once autodiff has run. */
  readonly params: readonly number[];
  readonly grads?: ReadonlyMap<number, number>;
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
