import { existsSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { WriteError } from './errors.js';

/**
 * Replaces `path` with `bytes` so that a crash at any moment leaves either the old file or the new
 * one, never a torn mix: the bytes go to a temporary file in the same directory (rename is atomic
 * only within one file system), are fsync'd so they are on disk before the rename makes them
 * visible, and the directory is fsync'd afterwards so the rename itself survives a power loss.
 * On failure the temporary file is removed and a WriteError is thrown.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw new WriteError(path, e);
  }
  await syncDirectory(dir);
}

/** Best effort: some platforms (Windows) cannot open a directory, and the data is safe already. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The rename has happened; only its durability across a power cut is left to the OS.
  }
}

/**
 * Creates `dir` if needed and proves a file can be written in it (a temporary one, removed at once),
 * so that a run whose results could not be saved fails before it starts rather than after an
 * epoch's work. Throws a WriteError naming the folder.
 */
export function checkWritableFolder(dir: string): void {
  const probe = join(dir, `.cnnc-write-check.${process.pid}.${randomBytes(4).toString('hex')}`);
  try {
    makeFolder(dir);
    writeFileSync(probe, '', { flag: 'wx' });
  } catch (e) {
    throw new WriteError(dir, e, 'choose a folder you can write with --out');
  }
  try {
    unlinkSync(probe);
  } catch {
    // A folder that accepts a file but not its removal still holds the results.
  }
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdirSync never returns for a path under /proc
 * (it retries the ENOENT it gets there), so the missing folders are made from the top down.
 */
function makeFolder(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) mkdirSync(d);
}
