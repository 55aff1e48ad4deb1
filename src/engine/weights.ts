import type { Graph, Tensor } from '../ir/graph.js';
import { numel } from '../ir/graph.js';
import type { WeightTensor } from './session.js';
import { CnncError } from '../diagnostics/run-error.js';

/** Weights that do not fit the model: each problem names the tensor. */
export class WeightsError extends CnncError {
  constructor(readonly problems: readonly string[], source?: string) {
    super('E_WEIGHTS', problems.length === 1 ? `weights do not fit the model: ${problems[0]}` : `weights do not fit the model (${problems.length} problems)`, { file: source, notes: problems.length === 1 ? [] : problems });
    this.name = 'WeightsError';
  }
}

/**
 * The tensors a weights file must provide: every parameter and running statistic, by its PyTorch
 * name. Batchnorm without affine gets constant gamma = 1 and beta = 0 tensors (`bn.ones`,
 * `bn.zeros`, ir/lower.ts) that PyTorch does not have, so they are not asked for.
 */
export function requiredWeights(graph: Graph): Tensor[] {
  return graph.tensors.filter((t) => (t.role === 'param' || t.role === 'state') && !(t.init?.kind === 'const' && /\.(ones|zeros)$/.test(t.name)));
}

/** Throws a WeightsError unless every required tensor is present with exactly its shape. */
export function checkWeights(graph: Graph, weights: Readonly<Record<string, WeightTensor>>, source?: string): void {
  const problems: string[] = [];
  for (const t of requiredWeights(graph)) {
    const w = weights[t.name];
    if (!w) problems.push(`${t.name} (${t.shape.join('×')}) is missing`);
    else if (w.shape.join('×') !== t.shape.join('×') || w.data.length !== numel(t.shape)) {
      problems.push(`${t.name} is ${w.shape.join('×') || 'a scalar'} but the model needs ${t.shape.join('×')}`);
    }
  }
  if (problems.length) throw new WeightsError(problems, source);
}

/** The first NaN or infinite value among the weights, in name order of the record, or undefined. */
export function firstNonFinite(weights: Readonly<Record<string, { readonly data: ArrayLike<number> }>>): { name: string; index: number; value: number } | undefined {
  for (const [name, w] of Object.entries(weights)) {
    const d = w.data;
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return { name, index: i, value: d[i] };
  }
  return undefined;
}

/**
 * Refuses weights that hold NaN or an infinity (a diverged run's, a damaged file's): a model with
 * them predicts NaN for every class. Names the first bad tensor and element.
 */
export function checkFinite(weights: Readonly<Record<string, { readonly data: ArrayLike<number> }>>, file?: string): void {
  const bad = firstNonFinite(weights);
  if (!bad) return;
  throw new CnncError('E_WEIGHTS_NONFINITE', `weight ${bad.name} holds ${bad.value} (element ${bad.index}); a model with it would compute ${bad.value} everywhere`, {
    file,
    help: 'these weights come from a run that diverged or from a damaged file: train again (with a lower --lr) or use an earlier checkpoint',
  });
}
