import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { DiagnosticSink } from '../diagnostics/diagnostic.js';
import { sourceFile, type SourceFile } from '../diagnostics/source.js';
import type { BlockDecl, Program } from '../syntax/ast.js';
import { parse } from '../syntax/parse.js';
import type { BlockTable } from './evaluate.js';
import { didYouMean } from './suggest.js';

/** Where source files come from: the file system in the CLI, a map in tests or a browser. */
export interface SourceHost {
  /** The text of a file, or undefined if it cannot be read. */
  read(path: string): string | undefined;
  /** The path an `import "spec"` in `from` refers to. */
  resolve(from: string, spec: string): string;
  /** The .cnn files an import in `from` could name, as import paths (completion); optional. */
  list?(from: string): string[];
}

export interface LoadedModules {
  readonly entry: Program;
  /** Every parsed file, the entry first. */
  readonly programs: readonly Program[];
  readonly sources: Map<string, SourceFile>;
  /** Blocks visible in each loaded file, by path. */
  readonly tables: ReadonlyMap<string, BlockTable>;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Parses the entry file and, transitively, every file it imports (each once, so import cycles are
 * harmless), then builds each file's table of visible blocks.
 */
export function loadModules(entryPath: string, entryText: string, host: SourceHost): LoadedModules {
  const sink = new DiagnosticSink();
  const sources = new Map<string, SourceFile>();
  const programs = new Map<string, Program>();
  const parseFile = (path: string, text: string): Program => {
    const src = sourceFile(path, text);
    sources.set(path, src);
    const r = parse(src);
    sink.items.push(...r.diagnostics);
    programs.set(path, r.program);
    return r.program;
  };
  const entry = parseFile(entryPath, entryText);
  const queue = [entry];
  while (queue.length) {
    const p = queue.shift()!;
    for (const item of p.items) {
      if (item.kind !== 'Import') continue;
      const path = host.resolve(p.file, item.path);
      if (programs.has(path)) continue;
      const text = host.read(path);
      if (text === undefined) {
        sink.report({ code: 'E0110', message: `cannot read \`${item.path}\``, span: item.pathSpan, help: `looked for ${path}` });
        continue;
      }
      queue.push(parseFile(path, text));
    }
  }
  const tables = new Map<string, Map<string, { decl: BlockDecl; module: BlockTable }>>();
  for (const path of programs.keys()) tables.set(path, new Map());
  // Own blocks first, so an import never hides a local definition.
  for (const [path, p] of programs) {
    const table = tables.get(path)!;
    for (const item of p.items) {
      if (item.kind !== 'Block' || !item.name.text) continue;
      const prev = table.get(item.name.text);
      if (prev) {
        sink.report({ code: 'E0108', message: `block \`${item.name.text}\` is defined twice`, span: item.name.span, notes: [{ message: 'first defined here', span: prev.decl.name.span }] });
        continue;
      }
      table.set(item.name.text, { decl: item, module: table });
    }
  }
  for (const [path, p] of programs) {
    const table = tables.get(path)!;
    const own = new Set(table.keys());
    for (const item of p.items) {
      if (item.kind !== 'Import') continue;
      const from = tables.get(host.resolve(p.file, item.path));
      if (!from) continue;
      const ownBlocks = new Map([...from].filter(([, v]) => v.module === from));
      const wanted = item.names.length ? item.names : [...ownBlocks.keys()].map((text) => ({ text, span: item.pathSpan }));
      for (const n of wanted) {
        const b = ownBlocks.get(n.text);
        if (!b) {
          sink.report({ code: 'E0110', message: `\`${item.path}\` has no block \`${n.text}\``, span: n.span, help: didYouMean(n.text, ownBlocks.keys()) });
          continue;
        }
        if (own.has(n.text)) continue;
        table.set(n.text, b);
      }
    }
  }
  return { entry, programs: [...programs.values()], sources, tables, diagnostics: sink.items };
}
