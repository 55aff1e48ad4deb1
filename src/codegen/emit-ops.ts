import { emitAdaptivePool, emitAdaptivePoolGrad } from './adaptive-pool.js';
import { emitBatchnorm, emitBatchnormGrad } from './batchnorm.js';
import { emitBatchnormFold } from './batchnorm-fold.js';
import { emitConcat, emitReshape, emitSliceChannels } from './channels.js';
import { emitDropout, emitDropoutGrad } from './dropout.js';
import type { Emitter } from './emit.js';
import { emitMse, emitMseGrad, emitSoftmaxCrossEntropy, emitSoftmaxCrossEntropyGrad } from './loss.js';
import { emitLrn, emitLrnGrad } from './lrn.js';
import { emitMaxout, emitMaxoutGrad } from './maxout.js';
import { emitPool2d, emitPool2dGrad } from './pool.js';
import { emitSoftmax, emitSoftmaxGrad } from './softmax.js';
import type { Op } from '../ir/graph.js';

/**
 * Emitters of the pooling, normalisation, channel, dropout and loss ops, to be merged into
 * EMITTERS in emit.ts. (The fused optimizer update is not an IR op: see optimizer.ts.)
 */
export const OP_EMITTERS = {
  pool2d: emitPool2d,
  pool2d_grad: emitPool2dGrad,
  adaptive_pool: emitAdaptivePool,
  adaptive_pool_grad: emitAdaptivePoolGrad,
  maxout: emitMaxout,
  maxout_grad: emitMaxoutGrad,
  batchnorm: emitBatchnorm,
  batchnorm_grad: emitBatchnormGrad,
  batchnorm_fold: emitBatchnormFold,
  lrn: emitLrn,
  lrn_grad: emitLrnGrad,
  softmax: emitSoftmax,
  softmax_grad: emitSoftmaxGrad,
  concat: emitConcat,
  slice_channels: emitSliceChannels,
  reshape: emitReshape,
  dropout: emitDropout,
  dropout_grad: emitDropoutGrad,
  softmax_cross_entropy: emitSoftmaxCrossEntropy,
  softmax_cross_entropy_grad: emitSoftmaxCrossEntropyGrad,
  mse: emitMse,
  mse_grad: emitMseGrad,
} satisfies Partial<Record<Op['kind'], Emitter>>;
