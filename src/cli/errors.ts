import { isCnncError } from '../diagnostics/run-error.js';
import type { RunDiagnostic } from '../diagnostics/run-error.js';
import { renderPretty, renderShort, type Sources } from '../diagnostics/render.js';
import { defaultFormat, useColor, type DiagFormat } from './io.js';

/**
 * Run-time problems that are the user's situation, not a bug (a missing file, a bad checkpoint, no
 * GPU, a batch too big) are CnncErrors (diagnostics/run-error.ts); the CLI renders them with the
 * compile diagnostics' renderer and exits 1. Anything else is a bug and keeps its stack trace.
 */
export function renderRunDiagnostic(d: RunDiagnostic, sources: Sources = new Map(), format: DiagFormat = defaultFormat()): string {
  if (format === 'pretty') return renderPretty(d, sources, { color: useColor() });
  // One line for grep and tools, then what the pretty form would add, so no fix is lost.
  return [renderShort(d, sources), ...d.notes.map((n) => `  note: ${n.message}`), ...(d.help ? [`  help: ${d.help}`] : [])].join('\n');
}

/** The rendering of a thrown value that is a user error, else undefined (a bug: rethrow it). */
export function userErrorText(e: unknown, sources?: Sources): string | undefined {
  return isCnncError(e) ? renderRunDiagnostic(e.diagnostic, sources) : undefined;
}
