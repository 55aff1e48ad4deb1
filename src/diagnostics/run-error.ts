import type { RunCode } from './codes.js';
import type { Note } from './diagnostic.js';
import type { Span } from './source.js';

/**
 * A problem met while running (a data file, weights, the device, a batch, a compiled module's
 * use): a diagnostic like the compiler's, with a stable code (codes.ts RUN_CODES), a message,
 * notes and a fix, placed at a file or a span of a .cnn source when it has one. Plain data;
 * render.ts renders it with the compile diagnostics' renderer.
 */
export interface RunDiagnostic {
  readonly severity: 'error';
  readonly code: RunCode;
  readonly message: string;
  /** The file the problem is in (a data set, a weights file), when it is one. */
  readonly file?: string;
  /** The place in a .cnn source it comes from (a layer), when known. */
  readonly span?: Span;
  readonly notes: readonly Note[];
  readonly help?: string;
}

export interface RunErrorDetails {
  readonly file?: string;
  readonly span?: Span;
  readonly notes?: readonly (string | Note)[];
  readonly help?: string;
  readonly cause?: unknown;
}

/**
 * What the library throws for a run-time problem that is the user's to fix. Every such error of
 * cnnc is one (the classes below it keep their names for `instanceof`); anything else thrown is a
 * bug. `message` is the short form (`file: message`), for whoever prints it as is; `diagnostic`
 * holds all of it (notes and help too) for the renderer.
 */
export class CnncError extends Error {
  readonly code: RunCode;
  /** The message without the file. */
  readonly text: string;
  readonly file?: string;
  readonly span?: Span;
  readonly notes: readonly Note[];
  readonly help?: string;

  constructor(code: RunCode, message: string, details: RunErrorDetails = {}) {
    super(details.file ? `${details.file}: ${message}` : message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'CnncError';
    this.code = code;
    this.text = message;
    this.file = details.file;
    this.span = details.span;
    this.notes = (details.notes ?? []).map((n) => (typeof n === 'string' ? { message: n } : n));
    this.help = details.help;
  }

  get diagnostic(): RunDiagnostic {
    return { severity: 'error', code: this.code, message: this.text, file: this.file, span: this.span, notes: this.notes, help: this.help };
  }
}

export function isCnncError(e: unknown): e is CnncError {
  return e instanceof CnncError;
}
