import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { renderAll, type Sources } from '../diagnostics/render.js';

/** Exit codes: 0 success (warnings allowed), 1 errors in the input, 2 usage errors. */
export const EXIT = { ok: 0, inputErrors: 1, usage: 2 } as const;

export type DiagFormat = 'short' | 'pretty';

/** Pretty on a terminal, one line per diagnostic otherwise (pipes, CI logs, editors). */
export function defaultFormat(): DiagFormat {
  return process.stderr.isTTY ? 'pretty' : 'short';
}

export function useColor(): boolean {
  return Boolean(process.stderr.isTTY) && !process.env.NO_COLOR;
}

export function printDiagnostics(diags: readonly Diagnostic[], sources: Sources, format: DiagFormat): void {
  if (diags.length === 0) return;
  process.stderr.write(renderAll(diags, sources, format, { color: useColor() }) + '\n');
  if (format === 'pretty') {
    const errors = diags.filter((d) => d.severity === 'error').length;
    const warnings = diags.length - errors;
    const parts = [errors && `${errors} error${errors === 1 ? '' : 's'}`, warnings && `${warnings} warning${warnings === 1 ? '' : 's'}`].filter(Boolean);
    process.stderr.write(`\n${parts.join(', ')}\n`);
  }
}

/** A usage problem (missing file, bad flag value): one line, exit code 2. */
export class UsageError extends Error {}
