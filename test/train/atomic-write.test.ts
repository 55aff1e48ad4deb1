import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileHandle } from 'node:fs/promises';
import { writeFileAtomic } from '../../src/train/atomic-write.js';
import { WriteError } from '../../src/train/errors.js';

// Faults are injected into node:fs/promises as the module under test sees it.
const faults = vi.hoisted(() => ({ rename: false, halfWrite: false, sync: false }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const simulated = (what: string): Error => Object.assign(new Error(`EIO: simulated ${what} failure`), { code: 'EIO' });
  return {
    ...real,
    rename: async (from: string, to: string): Promise<void> => {
      if (faults.rename) throw simulated('rename');
      return real.rename(from, to);
    },
    open: async (path: string, flags?: string): Promise<FileHandle> => {
      const handle = await real.open(path, flags);
      if (flags !== 'wx') return handle;
      // The file is half written when the "disk" fails, as in a crash mid-write.
      const writeFile = async (bytes: Uint8Array): Promise<void> => {
        if (!faults.halfWrite) return handle.writeFile(bytes);
        await handle.writeFile(bytes.subarray(0, bytes.length >> 1));
        throw simulated('write');
      };
      const sync = async (): Promise<void> => {
        if (faults.sync) throw simulated('fsync');
        return handle.sync();
      };
      return Object.assign(Object.create(handle) as FileHandle, { writeFile, sync, close: () => handle.close() });
    },
  };
});

describe('writeFileAtomic', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cnnc-atomic-'));
    Object.assign(faults, { rename: false, halfWrite: false, sync: false });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates and then replaces a file, leaving no temporary file', async () => {
    const path = join(dir, 'ckpt.safetensors');
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    await writeFileAtomic(path, new Uint8Array([9, 8]));
    expect([...readFileSync(path)]).toEqual([9, 8]);
    expect(readdirSync(dir)).toEqual(['ckpt.safetensors']);
  });

  it.each([
    ['a write that fails half way', 'halfWrite'],
    ['a failed fsync', 'sync'],
    ['a failed rename', 'rename'],
  ] as const)('%s leaves the old file intact and no temporary file', async (_what, fault) => {
    const path = join(dir, 'ckpt.safetensors');
    writeFileSync(path, 'old checkpoint');
    faults[fault] = true;
    const err = await writeFileAtomic(path, new Uint8Array(1000).fill(7)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WriteError);
    expect((err as WriteError).path).toBe(path);
    expect(readFileSync(path, 'utf8')).toBe('old checkpoint');
    expect(readdirSync(dir)).toEqual(['ckpt.safetensors']);
  });

  it('a missing directory is a WriteError', async () => {
    const err = await writeFileAtomic(join(dir, 'no', 'such', 'x.bin'), new Uint8Array(1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WriteError);
  });
});
