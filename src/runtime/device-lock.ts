/**
 * One WebGPU session at a time in the whole process. onnxruntime's WebGPU provider keeps one
 * device and queue per process, shared by every session in every thread, and it is not
 * safe to drive from two threads at once: a detector stage and a face-chain stage running
 * in their own workers failed with "CommandEncoder is already finished" and std::bad_alloc,
 * or, worse, returned wrong pixels without an error. So every WebGPU session creation and
 * run holds this lock: a word in a SharedArrayBuffer that every worker inherits (Node's
 * environment data), taken with Atomics. Within a thread, callers queue on a promise first,
 * so a thread never waits on a lock it holds itself.
 *
 * The GPU has one queue anyway, so this costs no GPU time; stages still overlap their host
 * work (decoding, blurring, encoding) with each other's device work.
 */
import { getEnvironmentData, setEnvironmentData } from 'node:worker_threads';
import type { ExecutionProvider } from '../node-api/define-node.js';

const KEY = 'framefuse.webgpu-lock';
const FREE = 0;
const HELD = 1;

/**
 * The process-wide lock word. Call in the parent before starting a worker, so the worker
 * inherits the same buffer (a worker that found none would make a lock of its own).
 */
export function ensureDeviceLock(): Int32Array {
  let buffer = getEnvironmentData(KEY) as SharedArrayBuffer | undefined;
  if (!(buffer instanceof SharedArrayBuffer)) {
    buffer = new SharedArrayBuffer(4);
    setEnvironmentData(KEY, buffer);
  }
  return new Int32Array(buffer);
}

let word: Int32Array | null = null;
let queue: Promise<unknown> = Promise.resolve();

function acquire(lock: Int32Array): void {
  while (Atomics.compareExchange(lock, 0, FREE, HELD) !== FREE) Atomics.wait(lock, 0, HELD, 50);
}

function release(lock: Int32Array): void {
  Atomics.store(lock, 0, FREE);
  Atomics.notify(lock, 0, 1);
}

/** Runs `work` holding the device lock when `provider` needs it (WebGPU); other providers run at once. */
export function withDeviceLock<T>(provider: ExecutionProvider, work: () => Promise<T>): Promise<T> {
  if (provider !== 'webgpu') return work();
  word ??= ensureDeviceLock();
  const lock = word;
  const run = queue.then(async () => {
    acquire(lock);
    try {
      return await work();
    } finally {
      release(lock);
    }
  });
  queue = run.catch(() => undefined);
  return run;
}
