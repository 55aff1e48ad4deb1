import type { Span } from './source.js';
import type { Code } from './codes.js';

export type Severity = 'error' | 'warning';

/** A secondary location that explains the main one ("x is 64×56×56, from here"). */
export interface Note {
  readonly message: string;
  readonly span?: Span;
}

/** A text replacement in one file: `text` in place of [span.start, span.end). */
export interface Edit {
  readonly span: Span;
  readonly text: string;
}

/** A fix an editor can apply for a diagnostic (a code action): what `help` says, as edits. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly Edit[];
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
  /** The help as edits, where they are certain (a misspelt name, `round: floor`). */
  readonly fixes?: readonly Fix[];
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
    this.items.push({ severity: d.severity ?? 'error', code: d.code, message: d.message, span: d.span, notes, help: d.help, ...(d.fixes?.length ? { fixes: d.fixes } : {}) });
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

/** The fix that puts `name` where a misspelt one is. */
export function renameFix(span: Span, name: string): Fix {
  return { title: `change to \`${name}\``, edits: [{ span, text: name }] };
}
