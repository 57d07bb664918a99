/**
 * Stage threads kept warm between runs (a farm worker renders segment after segment of
 * the same graph): a finished run hands its worker stages back here instead of ending
 * them, and the next run that needs an identical stage (same nodes, params, batch,
 * providers, threads) takes it with its thread, its imported modules and its parked
 * sessions, so the ~1 s of thread start and model load is paid once, not per segment.
 * Node instances are always new per run: no state (a tracker) carries over.
 */
import type { FramefuseError } from '../errors.js';
import type { WorkerStage } from './worker-stage.js';

export class WarmStages {
  private readonly idle: WorkerStage[] = [];
  private disposed = false;

  /** @param capacity the most idle stages kept; the oldest are ended beyond it. */
  constructor(private readonly capacity = 8) {}

  get size(): number {
    return this.idle.length;
  }

  /** An idle stage for `key`, taken out of the pool; null when there is none. */
  take(key: string): WorkerStage | null {
    const at = this.idle.findIndex((s) => s.key === key && s.healthy);
    return at < 0 ? null : this.idle.splice(at, 1)[0]!;
  }

  /**
   * Keeps a finished run's stage (recycled: its nodes disposed) for a later run; ends it
   * instead when it cannot be kept or the pool is disposed. Returns the errors of the stages
   * it ended (this one, or the oldest idle ones past capacity), as dispose does.
   */
  async give(stage: WorkerStage): Promise<FramefuseError[]> {
    if (this.disposed || !(await stage.recycle()) || this.disposed) return stage.dispose();
    this.idle.push(stage);
    const errors: FramefuseError[] = [];
    while (this.idle.length > this.capacity) errors.push(...(await this.idle.shift()!.dispose()));
    return errors;
  }

  /** Ends every idle stage, and every stage given back from now on (a run that outlived its worker's close). */
  async dispose(): Promise<void> {
    this.disposed = true;
    const all = this.idle.splice(0);
    await Promise.all(all.map((s) => s.dispose()));
  }
}
