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
