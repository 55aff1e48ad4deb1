import { readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { SourceHost } from './check/modules.js';

/** Reads sources from the file system; imports resolve relative to the importing file. */
export const nodeHost: SourceHost = {
  read(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  resolve(from, spec) {
    // Relative stays relative, so messages show the paths the user typed.
    return isAbsolute(from) ? resolve(dirname(from), spec) : join(dirname(from), spec);
  },
  list(from) {
    // The .cnn files beside the importing one and one folder down (blocks/fire.cnn).
    const dir = dirname(from);
    const out: string[] = [];
    const walk = (d: string, depth: number) => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = readdirSync(d, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (e.name.startsWith('.') || e.name === 'node_modules') continue;
        const path = join(d, e.name);
        if (e.isDirectory() && depth > 0) walk(path, depth - 1);
        else if (e.isFile() && e.name.endsWith('.cnn') && resolve(path) !== resolve(from)) out.push(relative(dir, path).split('\\').join('/'));
      }
    };
    walk(dir, 1);
    return out.sort();
  },
};

/** Kept here for existing importers; the browser entry imports memory-host.ts, which has no node:fs. */
export { memoryHost } from './memory-host.js';
