import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSafetensorsFile } from '../../src/train/checkpoint.js';
import { tempDir } from './data/tmp.js';

/**
 * A process killed (SIGKILL: no handlers run) while writing checkpoints leaves a complete
 * checkpoint behind, never a torn one: each kill lands at a different point of the write.
 */
describe('checkpoints survive a crash mid-write', { timeout: 120_000 }, () => {
  it.each([3, 7, 12])('killed after %i checkpoints', async (after) => {
    const dir = tempDir('crash');
    const path = join(dir, 'checkpoint.safetensors');
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/write-checkpoints.ts', path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let written = 0;
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        written += d.toString().split('\n').filter(Boolean).length;
        if (written >= after && !child.killed) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    const file = readSafetensorsFile(path);
    const step = Number(file.metadata.step);
    expect(step).toBeGreaterThanOrEqual(after);
    const w = file.tensors['fc1.weight'].data as Float32Array;
    expect(w.length).toBe(1 << 20);
    expect(w.every((v) => v === step)).toBe(true);
    // Nothing but the checkpoint and at most one abandoned temporary file is left.
    expect(readdirSync(dir).filter((f) => !f.endsWith('.tmp'))).toEqual(['checkpoint.safetensors']);
  });
});
