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

/** Sources from a map, for tests and browsers. Paths are used as given. */
export function memoryHost(files: Record<string, string>): SourceHost {
  return {
    read: (path) => files[path],
    resolve: (from, spec) => {
      const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/') + 1) : '';
      return spec.startsWith('/') ? spec : dir + spec;
    },
  };
}
