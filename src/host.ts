import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
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
};

/** Kept here for existing importers; the browser entry imports memory-host.ts, which has no node:fs. */
export { memoryHost } from './memory-host.js';
