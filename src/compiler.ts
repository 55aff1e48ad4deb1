import { dropCascades } from './diagnostics/cascade.js';
import { compareDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import type { SourceFile } from './diagnostics/source.js';
import type { Program } from './syntax/ast.js';
import { checkProgram, type CheckOptions } from './check/check.js';
import type { CheckedModel } from './check/model.js';
import { loadModules, type SourceHost } from './check/modules.js';
import type { BlockTable } from './check/evaluate.js';

export interface FrontEndResult {
  /** The entry file's syntax tree (partial after syntax errors). */
  readonly program: Program;
  /** Every file parsed, the entry first (its imports after it). */
  readonly programs: readonly Program[];
  readonly models: readonly CheckedModel[];
  readonly diagnostics: readonly Diagnostic[];
  /** Every file read, for rendering diagnostics with their source lines. */
  readonly sources: ReadonlyMap<string, SourceFile>;
  /** The blocks each file sees (its own and its imports'), by path: what the exporters translate. */
  readonly blocks: ReadonlyMap<string, BlockTable>;
}

/**
 * The front end as a list of named steps: load and parse (with imports) → check shapes.
 * Later stages (lower → autodiff → fuse → emit) take `models` from here.
 */
export function compileFrontEnd(path: string, text: string, host: SourceHost, opts: CheckOptions = {}): FrontEndResult {
  const loaded = loadModules(path, text, host);
  const checked = checkProgram(loaded.entry, loaded.tables.get(path) ?? new Map(), opts);
  const syntax = loaded.diagnostics.filter((d) => d.code <= 'E0003');
  const semantic = dropCascades(checked.diagnostics, syntax, loaded.programs);
  const diagnostics = [...loaded.diagnostics, ...semantic].sort(compareDiagnostics);
  return { program: loaded.entry, programs: loaded.programs, models: checked.models, diagnostics, sources: loaded.sources, blocks: loaded.tables };
}
