import pc from 'picocolors';
import type { Diagnostic } from './diagnostic.js';
import type { RunDiagnostic } from './run-error.js';
import { lineText, positionOf, type SourceFile, type Span } from './source.js';

export type Sources = ReadonlyMap<string, SourceFile>;

function where(sources: Sources, span: Span): string {
  const src = sources.get(span.file);
  if (!src) return span.file;
  const p = positionOf(src, span.start);
  return `${span.file}:${p.line}:${p.column}`;
}

/** A compile diagnostic (always at a span) or a run-time one (at a span, a file, or nowhere). */
export type AnyDiagnostic = Diagnostic | RunDiagnostic;

function place(d: AnyDiagnostic, sources: Sources): string | undefined {
  if (d.span) return where(sources, d.span);
  return 'file' in d ? d.file : undefined;
}

/** `path:line:col: error[CODE]: message`, one line per diagnostic: for tools, tests and grep. */
export function renderShort(d: AnyDiagnostic, sources: Sources): string {
  const at = place(d, sources);
  return `${at ? `${at}: ` : ''}${d.severity}[${d.code}]: ${d.message}`;
}

export interface PrettyOptions {
  readonly color?: boolean;
}

/**
 * The form for people: the source line, a marker under the span, then notes (each with its own
 * location and line when it has one) and help.
 */
export function renderPretty(d: AnyDiagnostic, sources: Sources, opts: PrettyOptions = {}): string {
  const c = pc.createColors(opts.color ?? false);
  const tint = d.severity === 'error' ? c.red : c.yellow;
  const out: string[] = [];
  out.push(`${tint(c.bold(`${d.severity}[${d.code}]`))}${c.bold(`: ${d.message}`)}`);
  // One gutter width for the whole diagnostic, so the excerpts line up.
  const lines = [d.span, ...d.notes.map((n) => n.span)].map((s) => (s && sources.get(s.file) ? positionOf(sources.get(s.file)!, s.start).line : 0));
  const gutter = String(Math.max(...lines)).length;
  if (d.span) out.push(...excerpt(d.span, sources, tint, c.dim, '^', gutter));
  else if ('file' in d && d.file) out.push(`${' '.repeat(gutter)}${c.dim('-->')} ${d.file}`);
  for (const n of d.notes) {
    out.push(`${c.cyan('note')}: ${n.message}`);
    if (n.span) out.push(...excerpt(n.span, sources, c.cyan, c.dim, '-', gutter));
  }
  if (d.help) out.push(`${c.green('help')}: ${d.help}`);
  return out.join('\n');
}

type Paint = (s: string) => string;

function excerpt(span: Span, sources: Sources, tint: Paint, dim: Paint, mark: string, gutter: number): string[] {
  const src = sources.get(span.file);
  if (!src) return [`  --> ${span.file}`];
  const start = positionOf(src, span.start);
  const end = positionOf(src, Math.max(span.start, span.end));
  const text = lineText(src, start.line).replace(/\t/g, ' ');
  const pad = ' '.repeat(gutter);
  // A span over several lines is marked to the end of its first line.
  const last = end.line === start.line ? end.column : text.length + 1;
  const width = Math.max(1, last - start.column);
  return [
    `${pad}${dim('-->')} ${span.file}:${start.line}:${start.column}`,
    `${pad} ${dim('|')}`,
    `${dim(String(start.line).padStart(gutter))} ${dim('|')} ${text}`,
    `${pad} ${dim('|')} ${' '.repeat(start.column - 1)}${tint(mark.repeat(width))}`,
  ];
}

export function renderAll(
  diags: readonly AnyDiagnostic[],
  sources: Sources,
  format: 'short' | 'pretty',
  opts: PrettyOptions = {},
): string {
  if (format === 'short') return diags.map((d) => renderShort(d, sources)).join('\n');
  return diags.map((d) => renderPretty(d, sources, opts)).join('\n\n');
}
