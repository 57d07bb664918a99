/**
 * A stage whose nodes live in a worker thread. Calls are messages answered in order;
 * inputs no other stage reads are transferred (moved, not copied), outputs always are. A
 * crashed worker fails every pending call with the stage's nodes named; dispose always
 * ends the thread, by terminate if it does not answer in time.
 */
import { Worker } from 'node:worker_threads';
import { deserializeError, operationalError, type FramefuseError, type SerializedError } from '../errors.js';
import { collectTransferables } from './transferables.js';
import { ensureDeviceLock } from '../runtime/device-lock.js';
import { shareNativeGate } from '../runtime/native-gate.js';
import type { LogSink, StageBatch } from './stage-core.js';
import type { StageExecutor } from './stage-executor.js';
import type { NodeStats } from './stage-stats.js';
import type { WorkerReply, WorkerRequest, WorkerStageData } from './worker-protocol.js';

const WORKER_URL = new URL('./stage-worker.js', import.meta.url);
const DISPOSE_GRACE_MS = 1500;

type Pending = { resolve: (value: unknown) => void; reject: (error: unknown) => void };
type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class WorkerStage implements StageExecutor {
  stats: Record<string, NodeStats> = {};
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private exited = false;
  private crash: FramefuseError | null = null;

  /** Where the thread's log lines go: the current run's sink (a recycled stage serves several runs). */
  private log: LogSink;

  constructor(
    private readonly data: WorkerStageData,
    log: LogSink,
  ) {
    this.log = log;
    ensureDeviceLock(); // inherited by the worker: one WebGPU run at a time in the process
    shareNativeGate();
    this.worker = new Worker(WORKER_URL, { workerData: data, name: `framefuse ${data.id}` });
    this.worker.on('message', (reply: WorkerReply) => {
      if ('log' in reply) {
        this.log(reply.log.level, reply.log.node, reply.log.message);
        return;
      }
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      this.stats = reply.stats;
      if (reply.ok) pending.resolve(reply.result);
      else pending.reject(deserializeError(reply.error));
    });
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => {
      this.exited = true;
      this.failAll(new Error(`the worker exited with code ${code}`));
    });
  }

  private failAll(cause: Error): void {
    this.crash ??= operationalError('FF_WORKER_CRASHED', `the worker of stage ${this.data.id} (${this.data.nodes.map((n) => n.id).join(', ')}) stopped: ${cause.message}`, {
      node: this.data.nodes[0]!.id,
      cause,
    });
    for (const pending of this.pending.values()) pending.reject(this.crash);
    this.pending.clear();
  }

  private call(request: Request, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.crash) return Promise.reject(this.crash);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id }, transfer);
    });
  }

  async create(): Promise<void> {
    await this.call({ op: 'create' });
  }

  async open(external: Record<string, unknown>): Promise<Record<string, unknown>> {
    return (await this.call({ op: 'open', external })) as Record<string, unknown>;
  }

  async process(batch: StageBatch, transfer: readonly unknown[] = []): Promise<Record<string, unknown[]>> {
    const buffers = new Set<ArrayBuffer>();
    for (const value of transfer) collectTransferables(value, buffers);
    return (await this.call({ op: 'process', batch }, [...buffers])) as Record<string, unknown[]>;
  }

  async finish(): Promise<Record<string, unknown>> {
    return (await this.call({ op: 'finish' })) as Record<string, unknown>;
  }

  /** The key under which a recycled stage waits for a run that needs the same stage. */
  get key(): string {
    return JSON.stringify(this.data);
  }

  /** Whether the thread is alive and answering (not crashed, not exited). */
  get healthy(): boolean {
    return !this.exited && this.crash === null;
  }

  /** Takes the stage over for a new run: its log lines go to that run from now on. */
  adopt(log: LogSink): void {
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
    const answered = await Promise.race([this.call({ op: 'recycle' }).then((errors) => (errors as SerializedError[]).length === 0, () => false), timeout]);
    clearTimeout(timer);
    return answered === true && this.healthy;
  }

  /** Asks the nodes to stop what they are doing (their signal aborts). */
  abort(): void {
    if (!this.exited && !this.crash) void this.call({ op: 'abort' }).catch(() => undefined);
  }

  /**
   * Disposes the nodes, then lets the thread end by itself. A thread is never terminated
   * while a call may be running: terminating a thread inside an onnxruntime run aborts the
   * whole process. A thread that does not answer within the grace period is stuck in a long
   * call; it is unref'd so it does not hold the process, and it disposes and exits when that
   * call returns.
   */
  async dispose(): Promise<FramefuseError[]> {
    if (this.exited) return [];
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    if (this.crash) {
      await this.worker.terminate(); // it already failed: nothing runs in it
      return [];
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), DISPOSE_GRACE_MS);
    });
    const answered = await Promise.race([this.call({ op: 'dispose' }).catch((error: unknown) => ({ failed: error })), timeout]);
    clearTimeout(timer);
    if (answered === 'timeout') {
      this.worker.unref();
      return [operationalError('FF_WORKER_BUSY', `stage ${this.data.id} was still busy ${DISPOSE_GRACE_MS} ms after it was asked to stop; it will stop when its current call returns`, { node: this.data.nodes[0]!.id })];
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    if (!this.exited) await this.worker.terminate(); // disposed, so no call is running
    if (Array.isArray(answered)) return (answered as SerializedError[]).map((e) => deserializeError(e) as FramefuseError);
    return [];
  }
}
