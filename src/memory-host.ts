import type { SourceHost } from './check/modules.js';

/**
 * Sources from a map, for tests and browsers. Paths are used as given. Kept apart from nodeHost
 * (host.ts, which reads the file system) so the browser entry can use it without `node:fs`.
 */
export function memoryHost(files: Record<string, string>): SourceHost {
  return {
    read: (path) => files[path],
    resolve: (from, spec) => {
      const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/') + 1) : '';
      return spec.startsWith('/') ? spec : dir + spec;
    },
    list: (from) => {
      const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/') + 1) : '';
      return Object.keys(files).filter((f) => f !== from && f.endsWith('.cnn') && f.startsWith(dir)).map((f) => f.slice(dir.length)).sort();
    },
  };
}
