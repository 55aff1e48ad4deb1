import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { sourceFile } from '../../diagnostics/source.js';
import { parse } from '../../syntax/parse.js';
import { formatSource } from '../../syntax/format.js';
import { defaultFormat, EXIT, printDiagnostics, UsageError } from '../io.js';
import type { CommandContext } from './common.js';

/** `cnnc fmt [--check] FILE...`: rewrites files in the one layout (src/syntax/format.ts). */
export function registerFmt(program: Command, ctx: CommandContext): void {
  program
    .command('fmt')
    .description('format .cnn files in place in the one layout (comments kept); --check only lists the files that would change, exit 1 if any')
    .argument('<files...>', '.cnn files')
    .option('--check', 'change nothing; list the files that are not formatted')
    .action((files: string[], flags: { check?: boolean }) => {
      let unformatted = 0;
      let broken = 0;
      for (const file of files) {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (e) {
          throw new UsageError(`cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
        }
        // Only files that parse: the layout of a broken one could only be guessed.
        const syntax = parse(sourceFile(file, text)).diagnostics;
        const out = syntax.length ? undefined : formatSource(text).text;
        if (out === undefined) {
          printDiagnostics(syntax, new Map([[file, sourceFile(file, text)]]), defaultFormat());
          process.stderr.write(`${file}: not formatted (fix the syntax errors first)\n`);
          broken++;
          continue;
        }
        if (out === text) continue;
        unformatted++;
        if (flags.check) process.stdout.write(`${file}\n`);
        else writeFileSync(file, out);
      }
      if (broken || (flags.check && unformatted)) ctx.setCode(EXIT.inputErrors);
    });
}
