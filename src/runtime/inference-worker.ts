/**
 * InferenceWorker: one model in its own worker thread. Batches go in and come back as
 * transferred ArrayBuffers (no copies between threads). A load or run failure is an
 * error on the promise, a crashed thread fails every pending run, and `dispose`
 * terminates the thread, so a worker never hangs its caller.
 *
 * @example
 * ```ts
 * const worker = await InferenceWorker.start('models/inswapper_128.onnx', { threads: 2, batchify: true });
 * const { output } = await worker.run({ target, source }); // target.data.buffer is transferred
 * await worker.dispose();
 * ```
 */
import { ensureDeviceLock } from './device-lock.js';
import { shareNativeGate } from './native-gate.js';
import { Worker } from 'node:worker_threads';
import { deserializeError, operationalError } from '../errors.js';
import type { ExecutionProvider, NodeLog } from '../node-api/define-node.js';
import type { TensorInfo } from '../onnx/value-info.js';
import type { OpenModelOptions } from './model-session.js';
import { transferList } from './tensors.js';
import type { Feeds, Outputs } from './tensors.js';
import type { FromWorker, ToWorker, WorkerModelInfo, WorkerStart } from './worker-protocol.js';

interface Pending {
  resolve: (outputs: Outputs) => void;
  reject: (error: Error) => void;
}

export interface RunOptions {
  /** Transfer the input buffers to the worker (the caller's arrays become empty). Default true. */
  transfer?: boolean;
}

export class InferenceWorker {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | undefined;
  private closed = false;
  /** Milliseconds the worker spent inside session runs. */
  busyMs = 0;
  runs = 0;

  private constructor(
    private readonly worker: Worker,
    readonly info: WorkerModelInfo,
  ) {
    worker.on('message', (message: FromWorker) => this.onMessage(message));
    worker.on('error', (error) => this.failAll(operationalError('FF_WORKER_FAILED', `the inference worker for ${info.file} crashed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => {
      if (!this.closed) this.failAll(operationalError('FF_WORKER_FAILED', `the inference worker for ${info.file} exited (code ${code})`));
    });
  }

  get inputs(): TensorInfo[] {
    return this.info.inputs;
  }
  get outputs(): TensorInfo[] {
    return this.info.outputs;
  }
  get provider(): ExecutionProvider {
    return this.info.provider;
  }
  get providerReason(): string {
    return this.info.providerReason;
  }

  /** Starts a worker thread and opens the model in it; rejects with the load error if it fails. */
  static start(ref: string, options: OpenModelOptions = {}): Promise<InferenceWorker> {
    const { log, ...rest } = options;
    const data: WorkerStart = { ref, options: rest };
    ensureDeviceLock(); // inherited by the worker: one WebGPU run at a time in the process
    shareNativeGate();
    const worker = new Worker(new URL('./inference-worker-host.js', import.meta.url), { workerData: data });
    return new Promise((resolve, reject) => {
      const onLog = (message: FromWorker) => {
        if (message.type === 'log') (log ?? silent)[message.level](message.message);
      };
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (message: FromWorker) => {
        if (message.type === 'ready') {
          cleanup();
          const instance = new InferenceWorker(worker, message.info);
          worker.on('message', onLog);
          resolve(instance);
        } else if (message.type === 'error') {
          cleanup();
          void worker.terminate();
          reject(deserializeError(message.error));
        } else {
          onLog(message);
        }
      };
      const onError = (error: Error) => {
        cleanup();
        void worker.terminate();
        reject(operationalError('FF_WORKER_FAILED', `the inference worker for ${ref} crashed while loading: ${error.message}`, { cause: error }));
      };
      const onExit = (code: number) => {
        cleanup();
        reject(operationalError('FF_WORKER_FAILED', `the inference worker for ${ref} exited (code ${code}) before the model loaded`));
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
    });
  }

  /** Runs one batch in the worker. */
  run(feeds: Feeds, options: RunOptions = {}): Promise<Outputs> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error(`the inference worker for ${this.info.file} was disposed`));
    const id = this.nextId++;
    return new Promise<Outputs>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const message: ToWorker = { type: 'run', id, feeds };
      this.worker.postMessage(message, options.transfer === false ? [] : transferList(feeds));
    });
  }

  /**
   * Stops the thread. Pending runs fail at once; the thread finishes the run it is inside
   * (onnxruntime cannot be interrupted), releases its session and exits. Only if it has
   * not exited after `graceMs` is it terminated. Calling dispose twice is harmless.
   */
  async dispose(graceMs = 60_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failAll(new Error(`the inference worker for ${this.info.file} was disposed`));
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ type: 'close' } satisfies ToWorker);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
    const outcome = await Promise.race([exited.then(() => 'exited' as const), timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') await this.worker.terminate();
  }

  private onMessage(message: FromWorker): void {
    if (message.type === 'result') {
      this.busyMs += message.ms;
      this.runs++;
      this.pending.get(message.id)?.resolve(message.outputs);
      this.pending.delete(message.id);
    } else if (message.type === 'error' && message.id !== undefined) {
      this.pending.get(message.id)?.reject(deserializeError(message.error));
      this.pending.delete(message.id);
    }
  }

  private failAll(error: Error): void {
    this.failure ??= error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}

const silent: NodeLog = { info: () => {}, warn: () => {} };
