import { describe, expect, it } from 'vitest';
import type { CheckedModel } from '../../src/check/model.js';
import { differentiate } from '../../src/ir/autodiff.js';
import type { Graph } from '../../src/ir/graph.js';
import { numel } from '../../src/ir/graph.js';
import { initialValues } from '../../src/ir/init.js';
import { lowerModel } from '../../src/ir/lower.js';
import { runGraph } from '../../src/ir/reference/run.js';
import { randomArray, relError, seededRandom } from '../../src/ir/reference/testing.js';
import { cleanModel } from '../helpers.js';

/**
 * Whole models, forward and backward: the gradients autodiff builds from its rule table, run on
 * the float64 reference, against central finite differences of the loss. Fresh random weights,
 * inputs and targets every run (the seed is in the test name on failure).
 */
const BATCH = 2;

function setup(model: CheckedModel, seed: number, loss: 'cross_entropy' | 'mse' = 'cross_entropy') {
  const forward = lowerModel(model, { mode: 'train', loss, seed });
  const g = differentiate(forward, { wrtInputs: true });
  const rand = seededRandom(seed);
  const values = initialValues(g, rand);
  for (const i of g.inputs) {
    const t = g.tensors[i];
    const n = BATCH * numel(t.shape);
    if (t.role === 'input') values.set(i, randomArray(rand, n));
    else if (loss === 'mse') values.set(i, randomArray(rand, n));
    else {
      const classes = g.tensors[g.outputs[0]].shape[0];
      values.set(i, Float64Array.from({ length: BATCH }, () => Math.floor(rand() * classes)));
    }
  }
  // Batchnorm statistics vary with the batch, which is what its gradient accounts for.
  return { g, forward, values, rand };
}

function lossOf(g: Graph, values: Map<number, Float64Array>): number {
  const out = runGraph(g, values, { batch: BATCH, step: 3 });
  return out.get(g.outputs[1])![0];
}

/** Checks `samples` random coordinates of each differentiated tensor against finite differences. */
function checkGradients(model: CheckedModel, seed: number, samples = 6, loss: 'cross_entropy' | 'mse' = 'cross_entropy'): void {
  const { g, forward, values, rand } = setup(model, seed, loss);
  const all = runGraph(g, values, { batch: BATCH, step: 3 });
  for (const [p, d] of g.grads!) {
    const analytic = all.get(d)!;
    const base = values.get(p)!;
    const got: number[] = [];
    const want: number[] = [];
    for (let s = 0; s < Math.min(samples, base.length); s++) {
      const i = Math.floor(rand() * base.length);
      const h = 1e-6 * Math.max(1, Math.abs(base[i]));
      const keep = base[i];
      base[i] = keep + h;
      // The forward graph shares tensor ids with the differentiated one; it is all the loss needs.
      const up = lossOf(forward, values);
      base[i] = keep - h;
      const down = lossOf(forward, values);
      base[i] = keep;
      want.push((up - down) / (2 * h));
      got.push(analytic[i]);
    }
    const norm = Math.hypot(...want);
    // Central differences carry rounding noise of about ε·|loss|/h ≈ 1e-10 per sample (float64,
    // h = 1e-6): on a gradient as small as an AlexNet-like model's input gradient (1e-6 per pixel)
    // that alone is a relative error of 1e-4. So the analytic gradient must agree to 1e-5 relative
    // plus that noise, 1e-9 per sample; a truly zero gradient (a bias before batchnorm, a dead relu)
    // must then be tiny in absolute terms.
    const diff = Math.hypot(...got.map((v, k) => v - want[k]));
    expect(diff, `${g.tensors[p].name}: analytic ${got} vs numeric ${want}`).toBeLessThan(1e-5 * norm + 1e-9 * Math.sqrt(got.length));
    expect(relError(got, want) < 1e-5 || norm < 1e-3, `${g.tensors[p].name}: relative error ${relError(got, want)} on a gradient of norm ${norm}`).toBe(true);
  }
}

const lenet = `model lenet {
  input image: 1 x 12 x 12
  image -> conv(4, 5, pad: 2) -> relu -> maxpool(2) -> conv(6, 3) -> relu -> maxpool(2)
        -> flatten -> dense(12) -> relu -> dense(5)
}`;

const residual = `block basic(c, stride = 1)(x) {
  y = x -> conv(c, 3, stride: stride, pad: 1, bias: false) -> batchnorm -> relu
        -> conv(c, 3, pad: 1, bias: false) -> batchnorm
  skip = if stride != 1 or x.channels != c then x -> conv(c, 1, stride: stride, bias: false) -> batchnorm else x
  return relu(y + skip)
}
model res {
  input image: 3 x 9 x 7
  image -> conv(4, 3, pad: 1) -> basic(4) -> basic(6, stride: 2) -> globalavgpool -> flatten -> dense(3)
}`;

const inception = `block inception(c1, c3r, c3, c5r, c5, pp)(x) {
  a = x -> conv(c1, 1) -> relu
  b = x -> conv(c3r, 1) -> relu -> conv(c3, 3, pad: 1) -> relu
  c = x -> conv(c5r, 1) -> relu -> conv(c5, 5, pad: 2) -> relu
  d = x -> maxpool(3, stride: 1, pad: 1) -> conv(pp, 1) -> relu
  return concat(a, b, c, d)
}
model inc {
  input image: 3 x 11 x 11
  image -> conv(6, 3, stride: 2, round: floor) -> inception(2, 3, 4, 2, 3, 2) -> maxpool(3, stride: 2, round: ceil)
        -> adaptiveavgpool(2) -> flatten -> dropout(0.3) -> dense(4)
}`;

const alexnetLike = `model alex {
  input image: 3 x 39 x 39
  image -> conv(8, 11, stride: 4, pad: 2) -> relu -> lrn(size: 5, alpha: 0.1, beta: 0.75, k: 2) -> maxpool(3, stride: 2)
        -> conv(12, 5, pad: 2) -> relu -> maxpool(3, stride: 2, round: floor)
        -> conv(10, 3, pad: 1) -> relu -> adaptiveavgpool(2) -> flatten
        -> dropout(0.5) -> dense(16) -> relu -> dense(7)
}`;

const everything = `model zoo {
  input image: 4 x 9 x 8
  a = image -> conv(8, 3x2, stride: 2x1, pad: 1x0, dilation: 1, groups: 2) -> leaky_relu(0.1)
  b = image -> conv(8, 3, pad: 2, dilation: 2, pad_mode: replicate) -> elu -> avgpool(3, stride: 2, pad: 1, round: ceil, count_pad: false)
  c = image -> conv(8, 3, pad: 1, groups: 4) -> sigmoid -> minpool(2, pad: 1, round: ceil)
  d = image -> l2pool(3, stride: 2, pad: 1, round: ceil) -> conv(8, 1) -> tanh
  m = concat(b, c, d) -> maxout(2) -> relu6
  m -> adaptivemaxpool(2x3) -> flatten -> softmax -> dense(6) -> batchnorm -> identity
}`;

/**
 * silu, gelu (both forms) and hardswish, whose gradients read the forward input: after conv and
 * dense, after a residual add and after batchnorm, both mentioning the same tensor twice.
 */
const inputActivations = `block res(c)(x) {
  y = x -> conv(c, 3, pad: 1) -> batchnorm -> hardswish -> conv(c, 3, pad: 1)
  return gelu(y + x)
}
model acts {
  input image: 3 x 9 x 8
  image -> conv(5, 3, stride: 2, pad: 1) -> silu -> res(5) -> conv(4, 3, pad: 1) -> gelu(approximate: tanh)
        -> flatten -> dense(7) -> hardswish -> dense(6) -> silu -> dense(4)
}`;

describe('autodiff against finite differences on whole models (float64 reference)', { timeout: 120_000 }, () => {
  const seed = (Date.now() ^ (Math.random() * 1e9)) >>> 0;
  it(`LeNet-5 shape (seed ${seed})`, () => checkGradients(cleanModel(lenet), seed));
  it(`ResNet basic blocks, identity and projection shortcuts, batchnorm (seed ${seed})`, () => checkGradients(cleanModel(residual), seed + 1));
  it(`an inception module with concat, ceil pooling and dropout (seed ${seed})`, () => checkGradients(cleanModel(inception), seed + 2));
  it(`AlexNet-like: stride 4, LRN, overlapping pools, dropout (seed ${seed})`, () => checkGradients(cleanModel(alexnetLike), seed + 3));
  it(`every layer kind, mean squared error (seed ${seed})`, () => checkGradients(cleanModel(everything), seed + 4, 6, 'mse'));
  it(`silu, gelu, gelu_tanh and hardswish: gradients from the forward input (seed ${seed})`, () => checkGradients(cleanModel(inputActivations), seed + 5));
});
