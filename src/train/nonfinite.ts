import type { CheckedModel } from '../check/model.js';
import type { WeightTensor } from '../engine/session.js';
import { lowerStage } from '../backend.js';
import type { TrainingConfig } from '../check/training.js';
import { evalOp } from '../ir/reference/run.js';

/** Where a training step's values first stopped being finite numbers. */
export interface NonFiniteReport {
  readonly step: number;
  readonly epoch: number;
  readonly batch: number;
  readonly loss: number;
  /** The first culprit in forward order: a parameter that is already not finite, or a layer output. */
  readonly where?: { readonly kind: 'input' | 'parameter' | 'layer'; readonly name: string; readonly op?: string; readonly detail: string; readonly span?: CheckedModel['nodes'][number]['span'] };
}

const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Replays the failed step's forward pass (training mode: batch statistics, dropout on) in the
 * float64 reference interpreter, op by op, and stops at the first op whose output would not be
 * finite in float32 (NaN, ±∞, or beyond float32's range, which the GPU's float32 would turn
 * into ∞). The weights are the ones the step started from.
 */
export async function locateNonFinite(
  model: CheckedModel,
  weights: Readonly<Record<string, WeightTensor>>,
  x: Float32Array,
  batch: number,
  info: { step: number; epoch: number; batch: number; loss: number; seed?: number; lossKind?: TrainingConfig['loss'] },
): Promise<NonFiniteReport> {
  const base = { step: info.step, epoch: info.epoch, batch: info.batch, loss: info.loss };
  const badPixel = firstBad(x);
  if (badPixel >= 0) {
    const image = Math.floor(badPixel / (x.length / batch));
    return { ...base, where: { kind: 'input', name: `image ${image} of the batch`, detail: `the data holds ${x[badPixel]} (a corrupt or unnormalised data set)` } };
  }
  for (const [name, w] of Object.entries(weights)) {
    const bad = firstBad(w.data);
    if (bad >= 0) return { ...base, where: { kind: 'parameter', name, detail: `${name}[${bad}] is ${w.data[bad]} (an earlier update overflowed)` } };
  }
  // The session's graph: the same loss and dropout stream (seed) as the step that failed.
  const g = lowerStage(model, { mode: 'train', seed: info.seed, loss: info.lossKind });
  const values = new Map<number, Float64Array>();
  for (const t of g.tensors) {
    if (t.role === 'param' || t.role === 'state') values.set(t.id, Float64Array.from(weights[t.name]?.data ?? []));
    if (t.role === 'input') values.set(t.id, Float64Array.from(x));
  }
  const ctx = { batch, step: info.step };
  for (const op of g.ops) {
    if (op.inputs.some((i) => g.tensors[i].role === 'target')) break; // the loss itself: labels are not needed to find the layer
    // Yield now and then so a Ctrl-C or a progress redraw is not starved on big models.
    await new Promise<void>((r) => setImmediate(r));
    const outs = evalOp(op, g, op.inputs.map((i) => values.get(i)!), ctx);
    for (const [k, id] of op.outputs.entries()) {
      values.set(id, outs[k]);
      const bad = firstBad(outs[k]);
      if (bad >= 0) {
        const node = model.nodes.find((n) => n.name === op.layer);
        const v = outs[k][bad];
        const what = Number.isNaN(v) ? 'NaN' : Number.isFinite(v) ? `${v.toExponential(2)}, beyond float32's range` : String(v);
        return { ...base, where: { kind: 'layer', name: op.layer, op: op.kind, detail: `its output has ${what} at element ${bad}`, span: node?.span } };
      }
    }
  }
  return base;
}

function firstBad(a: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i]) <= FLOAT32_MAX)) return i;
  return -1;
}
