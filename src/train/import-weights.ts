import type { WeightTensor } from '../engine/session.js';
import type { ModelTensor } from './checkpoint.js';
import { CheckpointError } from './errors.js';
import type { Safetensors } from './safetensors.js';

/**
 * Weights from a safetensors file (PyTorch's `save_file(model.state_dict())`, or a cnnc
 * checkpoint) matched to a model's tensors: by name when the names agree (also after dropping a
 * prefix every name shares, e.g. DataParallel's `module.`), otherwise, for the tensors left, by
 * order among tensors of the same shape. safetensors files store names sorted, not in module
 * order, so "order" is the natural order of the names (layer2 before layer10) with a layer's
 * tensors in PyTorch's order (weight, bias, running_mean, running_var).
 */
export interface WeightMatch {
  readonly weights: Record<string, WeightTensor>;
  /** Model tensor ← file tensor, for the ones matched by order (printed for the user to check). */
  readonly byOrder: readonly { readonly model: string; readonly file: string }[];
  /** File tensors not used (e.g. num_batches_tracked). */
  readonly unused: readonly string[];
}

const SUFFIX_ORDER = ['weight', 'bias', 'running_mean', 'running_var'];

export function matchWeights(expected: readonly ModelTensor[], file: Safetensors, path: string): WeightMatch {
  const floats = Object.entries(file.tensors)
    .filter(([name, t]) => t.dtype !== 'I64' && !name.startsWith('optimizer.'))
    .map(([name, t]) => ({ name, shape: t.shape, data: t.data as Float32Array }));
  if (floats.length === 0) throw new CheckpointError(path, 'holds no float tensors');
  const key = nameKey(expected, floats.map((f) => f.name));
  const byKey = new Map(floats.map((f) => [key(f.name), f]));
  const used = new Set<string>();
  const weights: Record<string, WeightTensor> = {};
  const problems: string[] = [];
  for (const t of expected) {
    const f = byKey.get(t.name);
    if (!f) continue;
    if (!sameShape(f.shape, t.shape)) {
      problems.push(`${f.name} is ${f.shape.join('×')} but the model's ${t.name} is ${t.shape.join('×')}`);
      continue;
    }
    weights[t.name] = { shape: t.shape, data: f.data };
    used.add(f.name);
  }
  if (problems.length) throw new CheckpointError(path, `shapes do not fit: ${problems.slice(0, 5).join('; ')}`);

  const byOrder: { model: string; file: string }[] = [];
  const rest = floats.filter((f) => !used.has(f.name)).sort((a, b) => compareNames(a.name, b.name));
  for (const t of expected) {
    if (weights[t.name]) continue;
    const f = rest.find((r) => !used.has(r.name) && sameShape(r.shape, t.shape));
    if (!f) {
      const left = rest.filter((r) => !used.has(r.name)).map((r) => `${r.name} (${r.shape.join('×')})`);
      throw new CheckpointError(
        path,
        `no tensor for the model's ${t.name} (${t.shape.join('×')}): ${left.length ? `the unmatched tensors are ${left.slice(0, 6).join(', ')}${left.length > 6 ? ', …' : ''}` : 'every tensor in the file is used'}`,
      );
    }
    used.add(f.name);
    weights[t.name] = { shape: t.shape, data: f.data };
    byOrder.push({ model: t.name, file: f.name });
  }
  return { weights, byOrder, unused: Object.keys(file.tensors).filter((n) => !used.has(n)) };
}

/** Maps a file name to the model's naming: as is, or without a prefix shared by every file name. */
function nameKey(expected: readonly ModelTensor[], names: readonly string[]): (name: string) => string {
  const known = new Set(expected.map((t) => t.name));
  const direct = names.filter((n) => known.has(n)).length;
  const first = names[0].split('.')[0] + '.';
  if (!names.every((n) => n.startsWith(first))) return (n) => n;
  const stripped = names.filter((n) => known.has(n.slice(first.length))).length;
  return stripped > direct ? (n) => (n.startsWith(first) ? n.slice(first.length) : n) : (n) => n;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Natural order of dotted names, with a layer's own tensors in PyTorch's order. */
export function compareNames(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  const la = pa.pop()!;
  const lb = pb.pop()!;
  const prefix = naturalCompare(pa.join('.'), pb.join('.'));
  if (prefix !== 0) return prefix;
  const ra = SUFFIX_ORDER.indexOf(la);
  const rb = SUFFIX_ORDER.indexOf(lb);
  return (ra < 0 ? 99 : ra) - (rb < 0 ? 99 : rb) || naturalCompare(la, lb);
}

function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
