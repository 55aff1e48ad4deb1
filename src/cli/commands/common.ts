import { Option, type Command } from 'commander';
import type { DiagFormat } from '../io.js';
import type { FrontEndFlags } from '../load.js';

export interface CommonFlags extends FrontEndFlags {
  readonly format?: DiagFormat;
}

/** What a command's action may tell the program: the exit code to return. */
export interface CommandContext {
  setCode(code: number): void;
}

/** The flags every command that reads a .cnn file takes. */
export function common(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <style>', 'diagnostics style (default: pretty on a terminal, short otherwise)').choices(['short', 'pretty']))
    .option('--strict', 'treat lossy strides (W0208) as errors')
    .option('--set <name=value>', 'set a model parameter, e.g. --set classes=10 (repeatable)', (v: string, prev: string[] = []) => [...prev, v]);
}
