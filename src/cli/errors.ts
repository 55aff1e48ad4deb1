/**
 * Errors that are the user's situation, not a bug: a missing file, a bad checkpoint, no GPU, a
 * batch too big. Every library error of that kind carries a string `code` (E_DATA_MISSING,
 * E_CHECKPOINT, E_NO_GPU_ADAPTER, …) and a message that already names the file or tensor; the CLI
 * prints it as one diagnostic line and exits 1. Anything else is a bug and keeps its stack trace.
 */
export function userErrorMessage(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const code = (e as Error & { code?: unknown }).code;
  if (typeof code !== 'string' || !/^E_[A-Z0-9_]+$/.test(code)) return undefined;
  return `error[${code}]: ${e.message}`;
}
