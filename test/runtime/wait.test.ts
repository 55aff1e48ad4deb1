import { describe, expect, it } from 'vitest';
import { quietly } from '../../src/runtime/wait.js';

/** quietly(): the promise's own outcome, for any number of promises pending at once. */
describe('waiting for the device without spinning', () => {
  const later = <T>(ms: number, v: T) => new Promise<T>((r) => setTimeout(() => r(v), ms));

  it('resolves to the value and rejects with the error of the promise it waits for', async () => {
    expect(await quietly(later(5, 42))).toBe(42);
    const boom = new Error('device lost');
    await expect(quietly(Promise.reject(boom))).rejects.toBe(boom);
  });

  it('serves many pending promises at once, each with its own outcome', async () => {
    const values = await Promise.all(Array.from({ length: 50 }, (_, i) => quietly(i % 10 === 3 ? Promise.reject(new Error(`e${i}`)) : later(i % 7, i)).catch((e: Error) => e.message)));
    expect(values).toEqual(Array.from({ length: 50 }, (_, i) => (i % 10 === 3 ? `e${i}` : i)));
  });

  it('keeps the event loop turning while it waits (other callbacks still run)', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 2);
    await quietly(later(40, 0));
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(3);
  });
});
