/**
 * Model stages handed back before their run ends. A run given a warm pool (a farm worker's
 * segments) finishes each model stage as soon as its loop has ended (its inputs ended and
 * its last batch went on) and gives it to the pool then, not at the end of the run: while
 * the run's last frames go through the stages after it and the Encoder flushes, the next
 * segment can already take it and start. When every model stage is back and every source
 * has ended, `onStagesFree` tells the caller so (the farm worker takes its next segment).
 *
 * A stage given back is replaced in the run by a ReleasedStage: its finish() result and
 * its counters as they were, so the rest of the run (finish in order, metrics, dispose,
 * abort) goes on as before without touching a thread another run now uses.
 */
import type { FramefuseError } from '../errors.js';
import type { PlanStage } from '../model/plan.js';
import type { LogSink } from './stage-spec.js';
import type { StageExecutor } from './stage-executor.js';
import type { NodeStats } from './stage-stats.js';
import type { WarmStages } from './warm-stages.js';
import { WorkerStage } from './worker-stage.js';

/** A stage already finished and given back: what the run still asks of it, answered from what it was. */
class ReleasedStage implements StageExecutor {
  constructor(
    readonly stats: Record<string, NodeStats>,
    private readonly result: Record<string, unknown>,
  ) {}

  create(): Promise<void> {
    return Promise.reject(new Error('a released stage cannot be created again'));
  }

  open(): Promise<Record<string, unknown>> {
    return Promise.reject(new Error('a released stage cannot be opened again'));
  }

  process(): Promise<Record<string, unknown[]>> {
    return Promise.reject(new Error('a released stage takes no more batches'));
  }

  finish(): Promise<Record<string, unknown>> {
    return Promise.resolve(this.result);
  }

  setParams(node: string): Promise<Record<string, unknown>> {
    return Promise.reject(new Error(`node ${node} has finished: its parameters cannot change any more`));
  }

  setInputs(): Promise<void> {
    return Promise.resolve();
  }

  dispose(): Promise<FramefuseError[]> {
    return Promise.resolve([]);
  }
}

export class EarlyRelease {
  /** Stage ids whose end `onStagesFree` waits for: the model stages and the sources. */
  private readonly pending: Set<string>;
  private fired = false;

  constructor(
    private readonly warm: WarmStages,
    stages: readonly PlanStage[],
    private readonly inWorker: (stage: PlanStage) => boolean,
    private readonly executors: Map<string, StageExecutor[]>,
    private readonly log: LogSink,
    /** Whether the run is still going well (a failed run's stages are not handed on). */
    private readonly healthy: () => boolean,
    private readonly onStagesFree?: () => void,
  ) {
    this.pending = new Set(stages.filter((s) => s.streaming && (s.source || inWorker(s))).map((s) => s.id));
    if (this.pending.size === 0) this.free();
  }

  /** The stage's loop ended: a model stage is finished and given back now; the caller is told once all are. */
  async loopEnded(stage: PlanStage): Promise<void> {
    const copies = this.executors.get(stage.id)!;
    if (this.inWorker(stage) && this.healthy() && copies.every((e) => e instanceof WorkerStage)) {
      const results = await Promise.all(copies.map((e) => e.finish()));
      if (!this.healthy()) return; // failed meanwhile: the run ends it with the others
      this.executors.set(
        stage.id,
        copies.map((e, i) => new ReleasedStage({ ...e.stats }, results[i]!)),
      );
      const errors = await Promise.all(copies.map((e) => this.warm.give(e as WorkerStage).catch((error: unknown) => [error as FramefuseError])));
      for (const error of errors.flat()) this.log('warn', error.node ?? stage.nodes[0]!, `cleanup failed: ${error.message}`);
    }
    this.pending.delete(stage.id);
    if (this.pending.size === 0 && this.healthy()) this.free();
  }

  private free(): void {
    if (this.fired) return;
    this.fired = true;
    this.onStagesFree?.();
  }
}
