/**
 * A process-wide gate around onnxruntime's native calls (session create, run, release).
 *
 * Why: ending the process while a worker thread is inside one of them aborts it from the
 * native addon (`terminate called after throwing an instance of 'Napi::Error'`, exit 134):
 * Node stops every worker on exit, and a worker inside a session run cannot be stopped.
 * So before the process ends (a second Ctrl-C, a cleanup past its limit, or simply the
 * last line of a command), the main thread closes the gate and waits until no native call
 * is in flight; a call that would start after that fails as cancelled instead. Then no
 * thread is inside onnxruntime when Node stops the workers.
 *
 * The gate is two int32s in a SharedArrayBuffer shared with every worker through
 * worker_threads' environment data: [closed flag, calls in flight]. A caller increments
 * the count and then reads the flag; the main thread sets the flag and then reads the
 * count (sequentially consistent atomics), so one of them always sees the other.
 */
import { getEnvironmentData, isMainThread, setEnvironmentData } from 'node:worker_threads';
import { cancelledError } from '../errors.js';

const KEY = 'framefuse.nativeGate';
const CLOSED = 0;
const IN_FLIGHT = 1;

function gateCells(): Int32Array {
  let buffer = getEnvironmentData(KEY) as SharedArrayBuffer | undefined;
  if (!buffer) {
    buffer = new SharedArrayBuffer(8);
    // Workers created from now on (and theirs) inherit it.
    setEnvironmentData(KEY, buffer);
  }
  return new Int32Array(buffer);
}

const cells = gateCells();

/**
 * Makes sure workers created after this call share the gate. Call before creating a worker
 * that may load onnxruntime (importing this module already does it; the call says so).
 */
export function shareNativeGate(): void {
  gateCells();
}

/** Runs `call` (a native onnxruntime call) inside the gate; fails as cancelled once the gate is closed. */
export async function throughNativeGate<T>(call: () => Promise<T>): Promise<T> {
  Atomics.add(cells, IN_FLIGHT, 1);
  try {
    if (Atomics.load(cells, CLOSED) === 1) throw cancelledError('the process is exiting');
    return await call();
  } finally {
    Atomics.sub(cells, IN_FLIGHT, 1);
    Atomics.notify(cells, IN_FLIGHT);
  }
}

/** Native calls in flight in any thread of this process. */
export function nativeCallsInFlight(): number {
  return Atomics.load(cells, IN_FLIGHT);
}

/**
 * Closes the gate for good and blocks until no native call is in flight, for at most
 * `timeoutMs`. True when none is (ending the process is then safe). Main thread only.
 */
export function closeNativeGate(timeoutMs: number): boolean {
  if (!isMainThread) throw new Error('closeNativeGate is for the main thread');
  Atomics.store(cells, CLOSED, 1);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const inFlight = Atomics.load(cells, IN_FLIGHT);
    if (inFlight === 0) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    Atomics.wait(cells, IN_FLIGHT, inFlight, left);
  }
}
