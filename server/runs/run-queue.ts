/**
 * The run queue: runs start in the order they were queued, `concurrency` at a time (one by
 * default: a pipeline already uses every core). A waiting run knows its place; cancelling
 * a waiting run takes it out, cancelling a running one aborts it. At most `maxWaiting` runs
 * wait: each holds its graph in memory, so an unbounded queue is a way to exhaust it.
 */
import type { GraphDocument } from '../../src/model/document.js';
import type { ResolvedGraph } from '../../src/graph/resolved-graph.js';
import type { Plan } from '../../src/model/plan.js';
import type { RunRecord } from '../../src/model/run-record.js';

/**
 * What a queued run will execute: the graph and plan validation made when it was queued
 * (the one validate and plan of a run; the executor uses them as they are), and whether
 * it may replace existing outputs. The queue holds it from `add` until the run ends.
 */
export interface RunRequest {
  document: GraphDocument;
  graph: ResolvedGraph;
  plan: Plan;
  overwrite: boolean;
  /** The socket of the page that started a live run (it owns the run's browser camera). */
  page?: string;
}

export type RunExecutor = (record: RunRecord, request: RunRequest, signal: AbortSignal) => Promise<void>;

export interface RunQueueOptions {
  concurrency: number;
  execute: RunExecutor;
  /** Told once when a run joins the queue (before it may start). */
  onQueued?: (record: RunRecord) => void;
  /** Told when a waiting run's place changes. */
  onQueueChange?: (record: RunRecord) => void;
  onCancelledWhileQueued?: (record: RunRecord) => void;
  /** Finished runs kept for GET /api/runs (oldest dropped first). */
  keep?: number;
  /** Runs that may wait (not counting running ones). Default 16. */
  maxWaiting?: number;
}

export class RunQueue {
  /** Every listed run, with the graph it ran (the editor re-opens it): both go when the run is trimmed. */
  private readonly runs = new Map<string, { record: RunRecord; document: GraphDocument }>();
  /** What each waiting or running run executes (validated graph and plan): dropped when it ends. */
  private readonly requests = new Map<string, RunRequest>();
  private readonly waiting: RunRecord[] = [];
  private readonly active = new Map<string, AbortController>();
  private readonly settled = new Set<Promise<void>>();

  constructor(private readonly options: RunQueueOptions) {}

  add(record: RunRecord, request: RunRequest): RunRecord {
    this.runs.set(record.id, { record, document: request.document });
    this.requests.set(record.id, request);
    record.queuePosition = this.waiting.length;
    this.waiting.push(record);
    this.options.onQueued?.(record);
    this.pump();
    this.trim();
    return record;
  }

  /** Runs waiting, and how many may. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  get maxWaiting(): number {
    return this.options.maxWaiting ?? 16;
  }

  /** True when a new run would have to wait and the waiting line is full. */
  isFull(): boolean {
    return this.active.size >= this.options.concurrency && this.waiting.length >= this.maxWaiting;
  }

  /** Runs whose validated graph the queue still holds (waiting or running): what a test checks is let go. */
  get heldRequests(): number {
    return this.requests.size;
  }

  get(id: string): RunRecord | undefined {
    return this.runs.get(id)?.record;
  }

  /** The graph a listed run ran. */
  graphOf(id: string): GraphDocument | undefined {
    return this.runs.get(id)?.document;
  }

  /** Newest first. */
  list(): RunRecord[] {
    return [...this.runs.values()].map((r) => r.record).reverse();
  }

  /** True when the run was waiting or running and is now cancelled or being cancelled. */
  cancel(id: string): boolean {
    const index = this.waiting.findIndex((r) => r.id === id);
    if (index >= 0) {
      const [record] = this.waiting.splice(index, 1);
      record!.status = 'cancelled';
      record!.queuePosition = null;
      record!.endedAt = new Date().toISOString();
      this.requests.delete(record!.id);
      this.options.onCancelledWhileQueued?.(record!);
      this.renumber();
      return true;
    }
    const controller = this.active.get(id);
    if (!controller) return false;
    controller.abort();
    return true;
  }

  /** Cancels everything and waits for running runs to clean up (server shutdown). */
  async close(): Promise<void> {
    for (const record of [...this.waiting]) this.cancel(record.id);
    for (const controller of this.active.values()) controller.abort();
    await Promise.allSettled([...this.settled]);
  }

  private renumber(): void {
    this.waiting.forEach((record, i) => {
      if (record.queuePosition !== i) {
        record.queuePosition = i;
        this.options.onQueueChange?.(record);
      }
    });
  }

  private pump(): void {
    while (this.active.size < this.options.concurrency && this.waiting.length > 0) {
      const record = this.waiting.shift()!;
      record.queuePosition = null;
      const controller = new AbortController();
      this.active.set(record.id, controller);
      const request = this.requests.get(record.id)!;
      const done = this.options
        .execute(record, request, controller.signal)
        .catch((error: unknown) => console.error(`[framefuse] run ${record.id} crashed the executor:`, error))
        .finally(() => {
          this.requests.delete(record.id);
          this.active.delete(record.id);
          this.settled.delete(done);
          this.pump();
        });
      this.settled.add(done);
      this.renumber();
    }
  }

  private trim(): void {
    const keep = this.options.keep ?? 200;
    for (const { record } of this.runs.values()) {
      if (this.runs.size <= keep) break;
      if (record.status !== 'queued' && record.status !== 'running') this.runs.delete(record.id);
    }
  }
}
