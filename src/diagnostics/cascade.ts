import type { Program, Stmt } from '../syntax/ast.js';
import type { Diagnostic } from './diagnostic.js';

/**
 * After a syntax error the parser's recovered tree for that statement is a guess, and checking it
 * produces noise ("a pipeline carries tensors, but this is the number 1"). Drop the checker's
 * diagnostics that fall in a statement where the parser already reported a problem.
 */
export function dropCascades(checkerDiags: readonly Diagnostic[], syntaxDiags: readonly Diagnostic[], programs: readonly Program[]): Diagnostic[] {
  const broken: Array<{ file: string; start: number; end: number }> = [];
  for (const p of programs) {
    const errors = syntaxDiags.filter((d) => d.span.file === p.file).map((d) => d.span.start);
    if (errors.length === 0) continue;
    const items = [...p.items].sort((a, b) => a.span.start - b.span.start);
    items.forEach((item, i) => {
      if (item.kind === 'Import') return;
      // The parser may have cut the declaration short: it owns the text up to the next one.
      const end = i + 1 < items.length ? items[i + 1].span.start - 1 : Infinity;
      for (const r of regions(item.body, end)) {
        if (errors.some((e) => e >= r.start && e <= r.end)) broken.push({ file: p.file, ...r });
      }
      // "no output" or "no input" may only mean the parser lost the rest of the body.
      if (errors.some((e) => e >= item.span.start && e <= end)) broken.push({ file: p.file, start: item.name.span.start, end: item.name.span.end });
    });
  }
  return checkerDiags.filter((d) => !broken.some((r) => r.file === d.span.file && d.span.start >= r.start && d.span.start <= r.end));
}

/** Each statement owns the text up to the next statement (a missing `)` is reported past its end). */
function regions(body: readonly Stmt[], end: number): Array<{ start: number; end: number }> {
  const sorted = [...body].sort((a, b) => a.span.start - b.span.start);
  return sorted.map((s, i) => ({ start: s.span.start, end: i + 1 < sorted.length ? sorted[i + 1].span.start : end }));
}
