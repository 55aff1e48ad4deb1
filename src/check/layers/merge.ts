import { formatShape } from '../values.js';
import type { LayerDef, ReceptiveField } from './types.js';

function widest(rfs: readonly (ReceptiveField | undefined)[]): ReceptiveField | undefined {
  if (rfs.some((r) => !r)) return undefined;
  const all = rfs as ReceptiveField[];
  return {
    size: [Math.max(...all.map((r) => r.size[0])), Math.max(...all.map((r) => r.size[1]))],
    jump: [Math.max(...all.map((r) => r.jump[0])), Math.max(...all.map((r) => r.jump[1]))],
  };
}

/** Elementwise sum of same-shaped tensors: the residual `+`. */
export const add: LayerDef = {
  name: 'add',
  summary: 'elementwise sum of tensors of one shape (what `a + b` means)',
  prefix: 'add',
  family: 'merge',
  arity: 'many',
  params: [],
  infer(ctx) {
    const first = ctx.inputs[0].shape;
    for (let i = 1; i < ctx.inputs.length; i++) {
      const s = ctx.inputs[i].shape;
      if (formatShape(s) === formatShape(first)) continue;
      const what = s.length === first.length && s.length === 3 && s[0] !== first[0] ? 'channels' : 'shapes';
      ctx.error('E0203', `cannot add ${formatShape(first)} and ${formatShape(s)}: the ${what} differ`, {
        notes: [ctx.inputNote(0, 'the left side'), ctx.inputNote(i, 'the right side')],
        help:
          what === 'channels' && first.slice(1).join() === s.slice(1).join()
            ? `project one side with a 1×1 conv, e.g. \`conv(${first[0]}, 1)\``
            : 'both sides of `+` must have the same shape; a strided 1×1 conv can match both channels and size',
      });
      return undefined;
    }
    return { shape: first, rf: widest(ctx.inputs.map((i) => i.rf)) };
  },
};

/** Channel concatenation (inception): spatial sizes must agree. */
export const concat: LayerDef = {
  name: 'concat',
  summary: 'joins tensors along the channels (features); spatial sizes must agree',
  prefix: 'concat',
  family: 'merge',
  arity: 'many',
  params: [],
  infer(ctx) {
    const first = ctx.inputs[0].shape;
    for (let i = 1; i < ctx.inputs.length; i++) {
      const s = ctx.inputs[i].shape;
      if (s.length === first.length && s.slice(1).join() === first.slice(1).join()) continue;
      ctx.error('E0204', `cannot concatenate ${formatShape(first)} and ${formatShape(s)}: ${s.length !== first.length ? 'one is flat' : 'their heights and widths differ'}`, {
        notes: [ctx.inputNote(0, 'the first input'), ctx.inputNote(i, `input ${i + 1}`)],
        help: 'concat joins channels; pad or stride the branches so they agree in height and width',
      });
      return undefined;
    }
    const channels = ctx.inputs.reduce((n, i) => n + i.shape[0], 0);
    return { shape: [channels, ...first.slice(1)], rf: widest(ctx.inputs.map((i) => i.rf)) };
  },
};
