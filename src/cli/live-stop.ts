/**
 * A live run in the CLI: the first Ctrl-C (or SIGTERM) ends the live streams, so the run
 * drains and finishes normally with its outputs kept; the signals after it go to the usual
 * cancel (process-end.ts). Also the one line the CLI prints about a live run's figures.
 */
import type { LiveMetrics } from '../model/run-metrics.js';

export interface LiveStopOnSignal {
  /** True once, for the first signal (which it uses to stop the stream). */
  claims(): boolean;
  dispose(): void;
}

export function stopLiveOnFirstSignal(stop: AbortController, notice: string | null): LiveStopOnSignal {
  let used = false;
  return {
    claims() {
      if (used) return false;
      used = true;
      if (notice !== null) process.stderr.write(`\n${notice} (Ctrl-C again to cancel)\n`);
      stop.abort();
      return true;
    },
    dispose() {},
  };
}

export function formatLive(live: LiveMetrics): string {
  const latency = live.latencyMs ? `latency p50 ${live.latencyMs.p50.toFixed(0)} ms, p95 ${live.latencyMs.p95.toFixed(0)} ms` : 'latency not measured yet';
  const drops = Object.entries(live.droppedByStage)
    .filter(([, n]) => n > 0)
    .map(([stage, n]) => `${stage} ${n}`);
  return `${latency}; ${live.fpsIn.toFixed(1)} fps in, ${live.fpsOut.toFixed(1)} fps out; ${live.framesIn} frames in, ${live.framesOut} out; dropped ${live.dropped}${drops.length > 0 ? ` (${drops.join(', ')})` : ''}`;
}
