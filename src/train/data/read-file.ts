import { readFileSync } from 'node:fs';
import { DataError } from '../errors.js';

// Apart from dataset.ts so the data-set type and batching stay usable in a browser.
/** Reads a whole file; a missing or unreadable file becomes a DataError naming it. */
export function readDataFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataError('E_DATA_MISSING', 'file not found', path, { cause: e });
    throw new DataError('E_DATA_READ', `cannot read (${e instanceof Error ? e.message : String(e)})`, path, { cause: e });
  }
}
