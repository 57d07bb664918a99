/** Per-node counters a stage keeps while it runs, and how a batch adds to them. */
import type { NodeStats } from '../model/run-metrics.js';

/** Counters a stage keeps per node while it runs (the shape lives in src/model/run-metrics.ts). */
export type { NodeStats } from '../model/run-metrics.js';

export function emptyNodeStats(): NodeStats {
  return { framesIn: 0, framesOut: 0, runs: 0, busyMs: 0, modelMs: 0, batchSizes: {}, warmupMs: 0, warmupFrames: 0 };
}

export function recordBatch(stats: NodeStats, framesIn: number, framesOut: number, busyMs: number, modelMs = 0): void {
  stats.modelMs += modelMs;
  if (stats.runs === 0) {
    stats.warmupMs = busyMs;
    stats.warmupFrames = Math.max(framesIn, framesOut);
  }
  stats.framesIn += framesIn;
  stats.framesOut += framesOut;
  stats.runs += 1;
  stats.busyMs += busyMs;
  const key = String(Math.max(framesIn, framesOut));
  stats.batchSizes[key] = (stats.batchSizes[key] ?? 0) + 1;
}
