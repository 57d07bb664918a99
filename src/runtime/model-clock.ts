/**
 * Time spent inside model runs, per thread: the clock a stage reads before and after each
 * node's work to split its busy time into model time (onnxruntime's run: on a GPU, the
 * device's work and the copies to and from it) and host time (JavaScript: decoding
 * outputs, warps, pastes). A stage runs one batch at a time in its thread, so the
 * difference belongs to that batch.
 */
import { performance } from 'node:perf_hooks';

let total = 0;

/** Milliseconds this thread has spent inside model runs so far. */
export function modelMs(): number {
  return total;
}

/** Runs `work` (a model run) and adds its time to the thread's clock. */
export async function timedModelRun<T>(work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    total += performance.now() - started;
  }
}
