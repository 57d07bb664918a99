/** Counters a stage keeps per node while it runs; plain data, so they cross threads. */
export interface NodeStats {
  framesIn: number;
  framesOut: number;
  /** Calls of process (or chunks produced, for a source). */
  runs: number;
  /** Time inside the node's own hooks, in ms. */
  busyMs: number;
  /** The part of busyMs spent inside model runs (runtime/model-clock.ts); the rest is host work. */
  modelMs: number;
  /** Batch size -> how many batches of that size. */
  batchSizes: Record<string, number>;
  /**
   * The first batch's time and frames: it pays for one-off work (a GPU compiling its
   * shaders, onnxruntime planning its memory), so steady-state figures leave it out.
   */
  warmupMs: number;
  warmupFrames: number;
}

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
