/**
 * What the submitter knows of its run at a moment, read from the jobs: frames done across
 * all workers, each worker's fps, and where the segments are. Read from the job hashes
 * (finishedOn, failedReason, processedOn, progress), one read per unfinished job.
 */
import type { Job, Queue } from 'bullmq';
import type { FarmProgress, FarmSegmentState } from '../model/farm-progress.js';
import { segmentJobId, zSegmentProgress, zSegmentResult, type RunRecord, type Segment, type SegmentResult } from './farm-queue.js';

export type { FarmProgress };
export type SegmentState = FarmSegmentState;

export interface SegmentFailure {
  segment: Segment;
  failedReason: string | undefined;
}

/** Tracks a run's jobs; finished segments are remembered and not read again. */
export class FarmTracker {
  private readonly done = new Map<number, SegmentResult>();

  constructor(
    private readonly queue: Queue,
    private readonly record: RunRecord,
    private readonly startedAt: number,
  ) {}

  get results(): SegmentResult[] {
    return this.record.segments.map((s) => this.done.get(s.index)!).filter(Boolean);
  }

  get complete(): boolean {
    return this.done.size === this.record.segments.length;
  }

  /** Reads the unfinished jobs once; returns the progress and the first failure, if any. */
  async poll(): Promise<{ progress: FarmProgress; failure: SegmentFailure | null }> {
    const counts: Record<SegmentState, number> = { waiting: 0, active: 0, done: 0, failed: 0, missing: 0 };
    const workers: FarmProgress['workers'] = [];
    const where = new Map<number, { state: SegmentState; worker: string | null }>();
    let framesDone = 0;
    let failure: SegmentFailure | null = null;
    const open = this.record.segments.filter((s) => !this.done.has(s.index));
    const jobs = await Promise.all(open.map((s) => this.queue.getJob(segmentJobId(this.record.runId, s.index))));
    open.forEach((segment, i) => {
      const job = jobs[i] as Job | undefined;
      const state = stateOf(job);
      if (state === 'done') {
        const result = zSegmentResult.safeParse(job!.returnvalue);
        if (result.success) this.done.set(segment.index, result.data);
        else failure ??= { segment, failedReason: 'the worker returned no result' };
      } else {
        counts[state]++;
        if (state === 'failed') failure ??= { segment, failedReason: job!.failedReason };
        const progress = zSegmentProgress.safeParse(job?.progress);
        if (state === 'active' && progress.success) {
          framesDone += Math.min(progress.data.framesDone, segment.endFrame - segment.startFrame);
          workers.push({ name: progress.data.worker, fps: progress.data.fps, segment: segment.index });
        }
        where.set(segment.index, { state, worker: state === 'active' && progress.success ? progress.data.worker : null });
      }
    });
    counts.done = this.done.size;
    for (const r of this.done.values()) framesDone += r.frames;
    return {
      progress: {
        runId: this.record.runId,
        framesDone,
        framesTotal: this.record.frames,
        segments: counts,
        workers,
        segmentList: this.record.segments.map((s) => {
          const done = this.done.get(s.index);
          const open = where.get(s.index);
          return { index: s.index, state: done ? 'done' : (open?.state ?? 'waiting'), frames: s.endFrame - s.startFrame, worker: done ? done.worker : (open?.worker ?? null) };
        }),
        elapsedMs: Date.now() - this.startedAt,
      },
      failure,
    };
  }
}

function stateOf(job: Job | undefined): SegmentState {
  if (!job) return 'missing';
  if (job.finishedOn) return job.failedReason ? 'failed' : 'done';
  return job.processedOn ? 'active' : 'waiting';
}

export function farmProgressLine(p: FarmProgress, width = 24): string {
  const ratio = p.framesTotal > 0 ? Math.min(1, p.framesDone / p.framesTotal) : 0;
  const filled = Math.round(ratio * width);
  const fps = p.elapsedMs > 0 ? p.framesDone / (p.elapsedMs / 1000) : 0;
  const s = p.segments;
  const workers = p.workers.map((w) => `${w.name} #${w.segment + 1} ${w.fps.toFixed(1)} fps`).join(', ');
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.framesDone}/${p.framesTotal} frames  ${fps.toFixed(1)} fps  segments ${s.done} done, ${s.active} active, ${s.waiting + s.missing} waiting${workers ? `  workers: ${workers}` : ''}`;
}
