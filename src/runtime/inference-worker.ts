/**
 * InferenceWorker: one model in its own worker thread, over the same worker-messaging
 * stack as the scheduler's stages (worker-channel.ts). Batches go in and come back as
 * transferred ArrayBuffers (no copies between threads). A load or run failure is an
 * error on the promise, a crashed thread fails every pending run, and `dispose` ends the
 * thread, so a worker never hangs its caller.
 *
 * @example
 * ```ts
 * const worker = await InferenceWorker.start('models/inswapper_128.onnx', { threads: 2, batchify: true });
 * const { output } = await worker.run({ target, source }); // target.data.buffer is transferred
 * await worker.dispose();
 * ```
 */
import { operationalError } from '../errors.js';
import type { ExecutionProvider, NodeLog } from '../node-api/define-node.js';
import type { TensorInfo } from '../onnx/value-info.js';
import type { OpenModelOptions } from './model-session.js';
import type { Feeds, Outputs } from './tensors.js';
import { collectTransferables } from './transferables.js';
import { WORKER_GRACE_MS, WorkerChannel } from './worker-channel.js';
import type { InferenceOp, InferenceWorkerStart, WorkerModelInfo } from './inference-worker-host.js';

const HOST_URL = new URL('./inference-worker-host.js', import.meta.url);

export interface RunOptions {
  /** Transfer the input buffers to the worker (the caller's arrays become empty). Default true. */
  transfer?: boolean;
}

export class InferenceWorker {
  private closed = false;
  /** Milliseconds the worker spent inside session runs. */
  busyMs = 0;
  runs = 0;

  private constructor(
    private readonly channel: WorkerChannel,
    readonly info: WorkerModelInfo,
  ) {}

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
  static async start(ref: string, options: OpenModelOptions = {}): Promise<InferenceWorker> {
    const { log, ...rest } = options;
    const workerData: InferenceWorkerStart = { ref, options: rest };
    let file = ref;
    const channel = new WorkerChannel(HOST_URL, {
      workerData,
      onLog: (line) => (log ?? silent)[line.level](line.message),
      crashError: (cause) => operationalError('FF_WORKER_FAILED', `the inference worker for ${file} stopped: ${cause.message}`, { cause }),
    });
    try {
      const info = await channel.call<WorkerModelInfo>('open' satisfies InferenceOp);
      file = info.file;
      return new InferenceWorker(channel, info);
    } catch (error) {
      await channel.terminate(); // the load failed: nothing runs in the thread
      throw error;
    }
  }

  /** Runs one batch in the worker. */
  async run(feeds: Feeds, options: RunOptions = {}): Promise<Outputs> {
    if (this.closed) throw new Error(`the inference worker for ${this.info.file} was disposed`);
    const transfer = options.transfer === false ? [] : [...collectTransferables(feeds)];
    const { outputs, ms } = await this.channel.call<{ outputs: Outputs; ms: number }>('run' satisfies InferenceOp, feeds, transfer);
    this.busyMs += ms;
    this.runs++;
    return outputs;
  }

  /**
   * Stops the thread. Pending runs fail at once; the thread finishes the run it is inside
   * (onnxruntime cannot be interrupted), releases its session and exits. One still running
   * after `graceMs` is let go, not terminated (WorkerChannel.endWithin: the rule
   * WorkerStage follows too). Resolves true when the thread has ended. Calling dispose
   * twice is harmless.
   */
  async dispose(graceMs = WORKER_GRACE_MS): Promise<boolean> {
    if (this.closed) return this.channel.exited;
    this.closed = true;
    this.channel.call('close' satisfies InferenceOp).catch(() => undefined);
    this.channel.fail(new Error(`the inference worker for ${this.info.file} was disposed`));
    return this.channel.endWithin(graceMs);
  }
}

const silent: NodeLog = { info: () => {}, warn: () => {} };
