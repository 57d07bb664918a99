/** Counters a stage keeps per node while it runs; plain data, so they cross threads. */
export interface NodeStats {
  framesIn: number;
  framesOut: number;
  /** Calls of process (or chunks produced, for a source). */
  runs: number;
  /** Time inside the node's own hooks, in ms. */
  busyMs: number;
  /** Batch size -> how many batches of that size. */
  batchSizes: Record<string, number>;
}

export function emptyNodeStats(): NodeStats {
  return { framesIn: 0, framesOut: 0, runs: 0, busyMs: 0, batchSizes: {} };
}

export function recordBatch(stats: NodeStats, framesIn: number, framesOut: number, busyMs: number): void {
  stats.framesIn += framesIn;
  stats.framesOut += framesOut;
  stats.runs += 1;
  stats.busyMs += busyMs;
  const key = String(Math.max(framesIn, framesOut));
  stats.batchSizes[key] = (stats.batchSizes[key] ?? 0) + 1;
}
