import type { Span } from './source.js';
import type { Code } from './codes.js';

export type Severity = 'error' | 'warning';

/** A secondary location that explains the main one ("x is 64×56×56, from here"). */
export interface Note {
  readonly message: string;
  readonly span?: Span;
}

/** A problem found in user input. Plain data: rendering is separate (see render.ts). */
export interface Diagnostic {
  readonly severity: Severity;
  readonly code: Code;
  readonly message: string;
  readonly span: Span;
  readonly notes: readonly Note[];
  /** A fix, when one is known ("did you mean `maxpool`?"). */
  readonly help?: string;
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/** Collects diagnostics; validators report and continue rather than stopping at the first. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];
  /** Where the code being checked was reached from (block calls), innermost last. */
  private readonly context: Note[] = [];

  report(d: Omit<Diagnostic, 'notes' | 'severity'> & { notes?: readonly Note[]; severity?: Severity }): void {
    const where = this.context[this.context.length - 1];
    const notes = [...(d.notes ?? []), ...(where ? [where] : [])];
    // Explicit fields: an `undefined` in `d` must not overwrite the defaults.
    this.items.push({ severity: d.severity ?? 'error', code: d.code, message: d.message, span: d.span, notes, help: d.help });
  }

  /** Runs `f` with a note added to everything it reports, e.g. "in `basic(64)`, used here". */
  within<T>(note: Note, f: () => T): T {
    this.context.push(note);
    try {
      return f();
    } finally {
      this.context.pop();
    }
  }
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.span.file !== b.span.file) return a.span.file < b.span.file ? -1 : 1;
  return a.span.start - b.span.start || a.span.end - b.span.end;
}
