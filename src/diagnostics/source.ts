/** A source file and the mapping from byte offsets to 1-based lines and columns. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
  /** Offsets at which each line starts; computed once. */
  readonly lineStarts: readonly number[];
}

/** A half-open range [start, end) of character offsets in one file. */
export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

export interface Position {
  readonly line: number;
  readonly column: number;
}

export function sourceFile(path: string, text: string): SourceFile {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  return { path, text, lineStarts };
}

/** Line and column (both 1-based) of an offset; offsets past the end clamp to the last position. */
export function positionOf(src: SourceFile, offset: number): Position {
  const at = Math.max(0, Math.min(offset, src.text.length));
  let lo = 0;
  let hi = src.lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (src.lineStarts[mid] <= at) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: at - src.lineStarts[lo] + 1 };
}

/** The text of a 1-based line, without its line break. */
export function lineText(src: SourceFile, line: number): string {
  const start = src.lineStarts[line - 1] ?? src.text.length;
  const next = src.lineStarts[line];
  const end = next === undefined ? src.text.length : next - 1;
  return src.text.slice(start, end).replace(/\r$/, '');
}

export function spanUnion(a: Span, b: Span): Span {
  return { file: a.file, start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}
