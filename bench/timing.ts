/** Timing shared by the kernel benchmarks. */
import type { Executor } from '../src/runtime/executor.js';

/** Milliseconds of one run of `ex`'s pass (submit to finished), divided by the dispatches it repeats. */
export async function timeRun(ex: Executor, repeats = 1): Promise<number> {
  const t0 = performance.now();
  ex.run();
  await ex.finish();
  return (performance.now() - t0) / repeats;
}

/** `runs` timed runs of `ex`, after the caller's warm-up. */
export async function timeRuns(ex: Executor, runs: number, repeats = 1): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timeRun(ex, repeats));
  return times;
}

export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[values.length >> 1];
}
