import { formatShape } from '../values.js';
import type { AttrValue, ReceptiveField, ShapeContext } from './types.js';

/** Resolved geometry of a sliding window over H and W. */
export interface WindowGeometry {
  readonly out: [number, number];
  /** [top, bottom, left, right] */
  readonly pad: [number, number, number, number];
  readonly rf?: ReceptiveField;
}

const AXES = ['height', 'width'] as const;
const UNITS = ['row', 'column'] as const;

/**
 * The output size rule shared by conv and pooling, per axis:
 *   out = floor((W + P_before + P_after − D(K−1) − 1) / S) + 1   (ceil when asked)
 * Reports kernels larger than the padded input, empty outputs, and (as W0208) strides that do not
 * divide evenly, naming the rows or columns dropped. Returns undefined after an error.
 */
export function windowGeometry(ctx: ShapeContext, opts: { ceilAllowed: boolean; padMax?: 'half' }): WindowGeometry | undefined {
  const [, h, w] = ctx.inputs[0].shape;
  const k = ctx.attrs.kernel as readonly number[];
  const s = ctx.attrs.stride as readonly number[];
  const d = (ctx.attrs.dilation as readonly number[] | undefined) ?? [1, 1];
  const padAttr = ctx.attrs.pad as AttrValue;
  const round = (ctx.attrs.round as string | undefined) ?? 'floor';
  const size = [h, w];
  const eff = [d[0] * (k[0] - 1) + 1, d[1] * (k[1] - 1) + 1];
  let pad: [number, number, number, number];
  if (padAttr === 'valid') pad = [0, 0, 0, 0];
  else if (padAttr === 'same') {
    // PyTorch's rule: total padding D(K−1), the odd pixel goes after. Output = ceil(W/S).
    const tot = [eff[0] - 1, eff[1] - 1];
    pad = [tot[0] >> 1, tot[0] - (tot[0] >> 1), tot[1] >> 1, tot[1] - (tot[1] >> 1)];
    if (s[0] !== 1 || s[1] !== 1) {
      ctx.error('E0111', '`pad: same` needs stride 1', { span: ctx.argSpan('pad'), help: 'give the padding as a number, e.g. `pad: ' + (tot[0] >> 1) + '`' });
      return undefined;
    }
  } else {
    const p = padAttr as readonly number[];
    pad = [p[0], p[0], p[1], p[1]];
  }
  if (opts.padMax === 'half') {
    for (let a = 0; a < 2; a++) {
      if (pad[2 * a] > Math.floor(k[a] / 2)) {
        ctx.error('E0111', `padding ${pad[2 * a]} is more than half the ${k[a]}-wide window of \`${ctx.layer}\``, {
          span: ctx.argSpan('pad'),
          help: 'pooling windows would see only padding; use at most half the kernel size',
        });
        return undefined;
      }
    }
  }
  const out: [number, number] = [0, 0];
  const lossy: Lossy[] = [];
  for (let a = 0; a < 2; a++) {
    const padded = size[a] + pad[2 * a] + pad[2 * a + 1];
    const span = padded - eff[a];
    if (span < 0) {
      const dil = d[a] > 1 ? ` (dilated to ${eff[a]})` : '';
      ctx.error('E0201', `\`${ctx.layer}\` kernel ${k[a]}${dil} is larger than its padded input ${AXES[a]} ${padded}`, {
        span: ctx.argSpan('kernel'),
        notes: [ctx.inputNote(0)],
        help: padAttr === 'valid' || (pad[2 * a] === 0 && pad[2 * a + 1] === 0) ? `pad the input (e.g. \`pad: same\`) or use a kernel of at most ${padded}` : `use a kernel of at most ${padded}`,
      });
      return undefined;
    }
    const exact = span / s[a];
    if (round === 'ceil' && opts.ceilAllowed) {
      let o = Math.ceil(exact) + 1;
      // PyTorch: the last window must start inside the input or the leading padding.
      if ((o - 1) * s[a] >= size[a] + pad[2 * a]) o--;
      out[a] = o;
    } else out[a] = Math.floor(exact) + 1;
    // Rows past the last window that hold real input (not padding) are never read. A stride wider
    // than the window skips rows between windows by design, so only a longer tail is a loss.
    const tail = span - Math.floor(exact) * s[a] - pad[2 * a + 1];
    if (!Number.isInteger(exact) && tail > Math.max(0, s[a] - eff[a]) && !ctx.given('round')) {
      const formula = `(${size[a]} − ${eff[a]} + ${pad[2 * a] + pad[2 * a + 1]})/${s[a]} + 1 = ${+(exact + 1).toFixed(2)}`;
      lossy.push({ axis: a, tail, formula, fix: padFix(size[a], eff[a], s[a], pad[2 * a] + pad[2 * a + 1]) });
    }
  }
  reportLossy(ctx, lossy, opts.ceilAllowed);
  if (out[0] <= 0 || out[1] <= 0) {
    ctx.error('E0202', `\`${ctx.layer}\` would produce an empty ${formatShape(out)} output`, { notes: [ctx.inputNote(0)] });
    return undefined;
  }
  const inRf = ctx.inputs[0].rf;
  const rf: ReceptiveField | undefined = inRf && {
    size: [inRf.size[0] + (eff[0] - 1) * inRf.jump[0], inRf.size[1] + (eff[1] - 1) * inRf.jump[1]],
    jump: [inRf.jump[0] * s[0], inRf.jump[1] * s[1]],
  };
  return { out, pad, rf };
}

interface Lossy {
  readonly axis: number;
  readonly tail: number;
  readonly formula: string;
  readonly fix?: number;
}

/** One W0208 per layer: a square input loses the same in both directions, say it once. */
function reportLossy(ctx: ShapeContext, lossy: readonly Lossy[], ceilAllowed: boolean): void {
  if (lossy.length === 0) return;
  const same = lossy.length === 2 && lossy[0].formula === lossy[1].formula && lossy[0].tail === lossy[1].tail;
  const parts = same ? [lossy[0]] : lossy;
  const what = parts.map((l) => {
    const unit = same ? 'rows and columns' : l.axis === 0 ? 'rows' : 'columns';
    const one = same ? 'row and column' : UNITS[l.axis];
    const lost = l.tail === 1 ? `the last ${one} of the input ${same ? 'are' : 'is'} never read` : `the last ${l.tail} ${unit} of the input are never read`;
    return `${same ? 'height and width' : AXES[l.axis]}: ${l.formula}; ${lost}`;
  });
  const fix = parts.find((l) => l.fix !== undefined)?.fix;
  // The call ends with its closing parenthesis: `round: floor` goes just before it.
  const close = { file: ctx.site.file, start: ctx.site.end - 1, end: ctx.site.end - 1 };
  ctx.warn('W0208', `\`${ctx.layer}\` output size is not a whole number: ${what.join('; ')}`, {
    span: ctx.argSpan('stride'),
    notes: [ctx.inputNote(0)],
    help: `${fix !== undefined ? `\`pad: ${fix}\` would read every pixel; or ` : ''}write \`round: floor\`${ceilAllowed ? ' or `round: ceil`' : ''} to accept the rounding`,
    fixes: [{ title: 'accept the rounding: `round: floor`', edits: [{ span: close, text: ', round: floor' }] }],
  });
}

/** The smallest symmetric padding above the current one under which every input row is read. */
function padFix(size: number, eff: number, stride: number, totalPad: number): number | undefined {
  for (let p = Math.floor(totalPad / 2) + 1; p <= Math.floor(eff / 2); p++) {
    const span = size + 2 * p - eff;
    const tail = span - Math.floor(span / stride) * stride - p;
    if (tail <= Math.max(0, stride - eff)) return p;
  }
  return undefined;
}

/** A spatial layer needs a C×H×W input; a flat one is reported once with a fix. */
export function needsSpatial(ctx: ShapeContext): boolean {
  const s = ctx.inputs[0].shape;
  if (s.length === 3) return true;
  ctx.error('E0207', `\`${ctx.layer}\` needs a C×H×W input, but its input is the flat vector ${formatShape(s)}`, {
    notes: [ctx.inputNote(0)],
    help: 'move it before `flatten`',
  });
  return false;
}
