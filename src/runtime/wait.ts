/**
 * Awaiting the device without spinning a core. While one of its promises is pending, Dawn's Node
 * bindings keep the event loop turning as fast as it can to poll the device, which on a 2-core
 * machine takes one of the two threads lavapipe computes with (measured: the FMA ceiling falls from
 * ~100 to ~58 GFLOP/s; ../shared/probes/lavapipe §1). So in Node, while any device promise is
 * pending, every turn of the event loop also sleeps 0.5 ms in Atomics.wait: the polling goes on, at
 * a pace that leaves the cores to the driver. One sleeper serves every pending promise. Browsers
 * cannot block their main thread and do not spin, so there a promise is awaited as it is.
 */

/** Node's setImmediate, read off globalThis: browsers have none, and this file runs in both. */
type Immediate = (f: () => void) => unknown;
const nextTurn = (globalThis as { setImmediate?: Immediate }).setImmediate;
const sleeper = canSleep() ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
let pending = 0;
let turning = false;

/** Node, unless CNNC_WAIT=busy asks for plain awaits (to measure what the sleeping buys). */
function canSleep(): boolean {
  const g = globalThis as { process?: { versions?: { node?: string }; env?: Record<string, string | undefined> }; SharedArrayBuffer?: unknown };
  if (g.process?.env?.CNNC_WAIT === 'busy') return false;
  return Boolean(g.process?.versions?.node) && typeof nextTurn === 'function' && typeof g.SharedArrayBuffer === 'function';
}

function turn(): void {
  if (pending === 0) {
    turning = false;
    return;
  }
  Atomics.wait(sleeper!, 0, 0, 0.5);
  nextTurn!(turn);
}

/** `await quietly(device.queue.onSubmittedWorkDone())`: the same result, without the busy wait. */
export async function quietly<T>(promise: Promise<T>): Promise<T> {
  if (!sleeper) return promise;
  pending++;
  if (!turning) {
    turning = true;
    nextTurn!(turn);
  }
  try {
    return await promise;
  } finally {
    pending--;
  }
}
