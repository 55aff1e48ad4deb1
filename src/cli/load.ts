import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CheckOptions } from '../check/check.js';
import type { CheckedModel } from '../check/model.js';
import { compileFrontEnd, type FrontEndResult } from '../compiler.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { nodeHost } from '../host.js';
import { printDiagnostics, UsageError, type DiagFormat } from './io.js';

export interface FrontEndFlags {
  readonly strict?: boolean;
  readonly set?: readonly string[];
  readonly format?: DiagFormat;
  readonly model?: string;
}

export function parseSets(sets: readonly string[] = []): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of sets) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(s);
    const v = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(v)) throw new UsageError(`--set expects NAME=NUMBER, got '${s}'`);
    out[m[1]] = v;
  }
  return out;
}

export function readSource(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `no such file: ${path}` : code === 'EISDIR' ? `${path} is a directory` : `cannot read ${path} (${code ?? 'error'})`);
  }
}

/** Runs the front end on a file, prints its diagnostics, and says whether it had errors. */
export function runFrontEnd(path: string, flags: FrontEndFlags, format: DiagFormat): FrontEndResult & { failed: boolean } {
  const opts: CheckOptions = { strict: flags.strict, params: parseSets(flags.set) };
  const r = compileFrontEnd(path, readSource(path), nodeHost, opts);
  printDiagnostics(r.diagnostics, r.sources, format);
  return { ...r, failed: hasErrors(r.diagnostics) };
}

export function pickModel(models: readonly CheckedModel[], name: string | undefined, path: string): CheckedModel {
  if (name === undefined) {
    if (models.length === 0) throw new UsageError(`${path} has no model to use`);
    return models[0];
  }
  const m = models.find((x) => x.name === name);
  if (!m) throw new UsageError(`${path} has no model '${name}' (it has: ${models.map((x) => x.name).join(', ') || 'none'})`);
  return m;
}

/** Writes a result file, creating its folder; a path that cannot be written is a usage error. */
export function writeOutput(path: string, data: string | Uint8Array): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
  } catch (e) {
    throw new UsageError(`cannot write ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
