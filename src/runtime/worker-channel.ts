/**
 * The calling side of the one worker-messaging stack: starts a worker thread and turns
 * calls into numbered messages whose answers settle promises. Values cross threads by
 * transfer where the caller says so (transferables.ts). A thread that crashes or exits
 * fails every pending and later call with the error the owner makes for it, so a caller
 * never waits on a dead thread. Used by the scheduler's WorkerStage and by InferenceWorker.
 */
import { Worker } from 'node:worker_threads';
import { deserializeError } from '../errors.js';
import { ensureDeviceLock } from './device-lock.js';
import { shareNativeGate } from '../onnx/native-gate.js';
import type { ChannelLog, ChannelReply, ChannelRequest } from './worker-protocol.js';

/** How long a thread asked to close (or a stage asked to dispose) may take before it is let go (see `endWithin`). */
export const WORKER_GRACE_MS = 1500;

export interface WorkerChannelOptions {
  /** The thread's name (in debuggers and profiles). */
  name?: string;
  workerData: unknown;
  onLog?: (log: ChannelLog) => void;
  /** Told what the worker attached to each answer, before the call settles. */
  onAttached?: (value: unknown) => void;
  /** The error calls fail with once the thread crashed or exited (`cause` says how). */
  crashError: (cause: Error) => Error;
}

type Pending = { resolve: (value: unknown) => void; reject: (error: unknown) => void };

export class WorkerChannel {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | null = null;
  private hasExited = false;
  private readonly exit: Promise<void>;

  constructor(url: URL, private readonly options: WorkerChannelOptions) {
    ensureDeviceLock(); // inherited by the worker: one WebGPU run at a time in the process
    shareNativeGate();
    this.worker = new Worker(url, { workerData: options.workerData, ...(options.name ? { name: options.name } : {}) });
    this.exit = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('message', (reply: ChannelReply) => this.answer(reply));
    this.worker.on('error', (error) => this.fail(options.crashError(error)));
    this.worker.on('exit', (code) => {
      this.hasExited = true;
      this.fail(options.crashError(new Error(`the worker exited with code ${code}`)));
    });
  }

  private answer(reply: ChannelReply): void {
    if ('log' in reply) {
      this.options.onLog?.(reply.log);
      return;
    }
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (reply.attached !== undefined) this.options.onAttached?.(reply.attached);
    if (reply.ok) pending.resolve(reply.result);
    else pending.reject(deserializeError(reply.error));
  }

  /** The error calls fail with, once one was set (a crash, an exit, or `fail`). */
  get failed(): Error | null {
    return this.failure;
  }

  get exited(): boolean {
    return this.hasExited;
  }

  /** Sends `op`; `transfer` lists the buffers that move to the thread (the caller's copies empty). */
  call<T = unknown>(op: string, payload?: unknown, transfer: readonly ArrayBuffer[] = []): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      const request: ChannelRequest = { id, op, ...(payload === undefined ? {} : { payload }) };
      try {
        this.worker.postMessage(request, [...transfer]);
      } catch (error) {
        // Not sent (a value that cannot be cloned): nothing will answer it.
        this.pending.delete(id);
        reject(error);
      }
    });
  }

  /** Fails every pending call, and every later one, with `error` (the first error set stays). */
  fail(error: Error): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) pending.reject(this.failure);
    this.pending.clear();
  }

  /** True when the thread ended within `ms`. */
  async exitWithin(ms: number): Promise<boolean> {
    if (this.hasExited) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    const ended = await Promise.race([this.exit.then(() => true as const), timeout]);
    clearTimeout(timer);
    return ended;
  }

  /** Ends the thread now. Never while a native call may run in it: that aborts the process. */
  async terminate(): Promise<void> {
    if (!this.hasExited) await this.worker.terminate();
  }

  /** Lets the process exit while the thread still runs (it ends by itself later). */
  unref(): void {
    this.worker.unref();
  }

  /**
   * The one rule for ending a thread that was asked to close: wait up to `graceMs` for it
   * to exit by itself; one still inside a call then is unref'd, never terminated
   * (terminating a thread inside an onnxruntime run aborts the whole process), so it does
   * not hold the process and exits when that call returns. True when it ended in time.
   */
  async endWithin(graceMs: number = WORKER_GRACE_MS): Promise<boolean> {
    if (await this.exitWithin(graceMs)) return true;
    this.unref();
    return false;
  }
}
