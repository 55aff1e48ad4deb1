/**
 * Text width estimates for laying out boxes before any renderer sees the text. The advance widths
 * are DejaVu Sans's (in thousandths of an em, printable ASCII from U+0020): it is the widest of
 * the usual sans-serif fallbacks (Helvetica, Arial, Segoe UI and Roboto all run narrower), so text
 * measured with it fits its box whichever font the viewer picks.
 */
const REGULAR = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636,
  636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
  603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635,
  634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];
const BOLD = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696, 696,
  696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850,
  733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716,
  712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];
/** The few non-ASCII characters the labels use (×, →, ·, …, α); anything else counts as wide. */
const EXTRA: Readonly<Record<string, number>> = { '×': 838, '→': 838, '·': 318, '…': 1000, 'α': 690, '−': 838 };
const UNKNOWN = 1000;

/** Estimated width in pixels of `text` at `size` px. */
export function textWidth(text: string, size: number, bold = false): number {
  const table = bold ? BOLD : REGULAR;
  let units = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    units += code >= 32 && code < 127 ? table[code - 32] : (EXTRA[ch] ?? UNKNOWN);
  }
  return (units / 1000) * size;
}

/** Cuts `text` with an ellipsis so that it fits in `max` pixels. */
export function fitText(text: string, size: number, max: number, bold = false): string {
  if (textWidth(text, size, bold) <= max) return text;
  const chars = [...text];
  while (chars.length > 0 && textWidth(chars.join('') + '…', size, bold) > max) chars.pop();
  return chars.join('') + '…';
}
