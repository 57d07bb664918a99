/**
 * A stage whose nodes live in a worker thread, over the one worker-messaging stack
 * (runtime/worker-channel.ts). Calls are answered in order; inputs no other stage reads
 * are transferred (moved, not copied), outputs always are. A crashed worker fails every
 * pending call with the stage's nodes named; dispose ends the thread once its nodes are
 * disposed, and lets a thread still busy in a call go (unref'd) rather than terminate it.
 */
import { deserializeError, operationalError, type FramefuseError, type SerializedError } from '../errors.js';
import { collectTransferables } from '../runtime/transferables.js';
import { WORKER_GRACE_MS, WorkerChannel } from '../runtime/worker-channel.js';
import type { LogSink, StageBatch } from './stage-spec.js';
import type { StageExecutor } from './stage-executor.js';
import type { NodeStats } from './stage-stats.js';
import type { StageOp, StageRunData, WorkerStageData } from './stage-worker-data.js';

const WORKER_URL = new URL('./stage-worker.js', import.meta.url);
const DISPOSE_GRACE_MS = WORKER_GRACE_MS;

export class WorkerStage implements StageExecutor {
  stats: Record<string, NodeStats> = {};
  private readonly channel: WorkerChannel;
  /** Where the thread's log lines go: the current run's sink (a recycled stage serves several runs). */
  private log: LogSink;

  constructor(
    private readonly data: WorkerStageData,
    /** The current run's part: sent with each `create`. */
    private run: StageRunData,
    log: LogSink,
  ) {
    this.log = log;
    this.channel = new WorkerChannel(WORKER_URL, {
      name: `framefuse ${data.id}`,
      workerData: data,
      onLog: (line) => this.log(line.level, line.node ?? data.nodes[0]!.id, line.message),
      onAttached: (stats) => (this.stats = stats as Record<string, NodeStats>),
      crashError: (cause) =>
        operationalError('FF_WORKER_CRASHED', `the worker of stage ${data.id} (${data.nodes.map((n) => n.id).join(', ')}) stopped: ${cause.message}`, { node: data.nodes[0]!.id, cause }),
    });
  }

  private call<T>(op: StageOp, payload?: unknown, transfer: readonly ArrayBuffer[] = []): Promise<T> {
    return this.channel.call<T>(op, payload, transfer);
  }

  async create(): Promise<void> {
    await this.call('create', this.run);
  }

  open(external: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.call('open', external);
  }

  process(batch: StageBatch, transfer: readonly unknown[] = []): Promise<Record<string, unknown[]>> {
    const buffers = new Set<ArrayBuffer>();
    for (const value of transfer) collectTransferables(value, buffers);
    return this.call('process', batch, [...buffers]);
  }

  finish(): Promise<Record<string, unknown>> {
    return this.call('finish');
  }

  /** New parameters for one of the stage's nodes; they apply from the next batch the worker takes. */
  async setParams(node: string, params: unknown): Promise<Record<string, unknown>> {
    return ((await this.call('setParams', { node, params })) ?? {}) as Record<string, unknown>;
  }

  /** Value inputs from outside the stage that changed while the run goes. */
  async setInputs(values: Record<string, unknown>): Promise<void> {
    await this.call('setInputs', values);
  }

  /** The key under which a recycled stage waits for a run that needs the same stage (same thread data; the run's part may differ). */
  static keyOf(data: WorkerStageData): string {
    return JSON.stringify(data);
  }

  get key(): string {
    return WorkerStage.keyOf(this.data);
  }

  /** Whether the thread is alive and answering (not crashed, not exited). */
  get healthy(): boolean {
    return !this.channel.exited && !this.channel.failed;
  }

  /** Takes the stage over for a new run: its log lines go to that run from now on, and its nodes get that run's part. */
  adopt(run: StageRunData, log: LogSink): void {
    this.run = run;
    this.log = log;
    this.stats = {};
  }

  /**
   * Disposes the nodes and keeps the thread, its modules and (parked) its sessions for the
   * next run of the same stage. Resolves false when the stage cannot be kept (crashed, or
   * not answering within the grace period): then dispose it.
   */
  async recycle(): Promise<boolean> {
    if (!this.healthy) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), DISPOSE_GRACE_MS);
    });
    const answered = await Promise.race([this.call<SerializedError[]>('recycle').then((errors) => errors.length === 0, () => false), timeout]);
    clearTimeout(timer);
    return answered === true && this.healthy;
  }

  /** Asks the nodes to stop what they are doing (their signal aborts). */
  abort(): void {
    if (!this.channel.exited && !this.channel.failed) void this.call('abort').catch(() => undefined);
  }

  /**
   * Disposes the nodes, then lets the thread end by itself. A thread is never terminated
   * while a call may be running: terminating a thread inside an onnxruntime run aborts the
   * whole process. A thread that does not answer within the grace period is stuck in a long
   * call; it is unref'd so it does not hold the process, and it disposes and exits when that
   * call returns.
   */
  async dispose(): Promise<FramefuseError[]> {
    if (this.channel.exited) return [];
    if (this.channel.failed) {
      await this.channel.terminate(); // it already failed: nothing runs in it
      return [];
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), DISPOSE_GRACE_MS);
    });
    const answered = await Promise.race([this.call<SerializedError[]>('dispose').catch((error: unknown) => ({ failed: error })), timeout]);
    clearTimeout(timer);
    if (answered === 'timeout') {
      this.channel.unref(); // the rule of WorkerChannel.endWithin: a busy thread is let go, never terminated
      return [operationalError('FF_WORKER_BUSY', `stage ${this.data.id} was still busy ${DISPOSE_GRACE_MS} ms after it was asked to stop; it will stop when its current call returns`, { node: this.data.nodes[0]!.id })];
    }
    if (!(await this.channel.exitWithin(1000))) await this.channel.terminate(); // disposed, so no call is running
    if (Array.isArray(answered)) return answered.map((e) => deserializeError(e) as FramefuseError);
    return [];
  }
}
