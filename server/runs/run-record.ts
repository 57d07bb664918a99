/**
 * What the server knows about a run, and the events it broadcasts about runs. Both are
 * plain JSON so they go over HTTP and socket.io as they are.
 */
import type { Problem } from '../../src/graph/problem.js';
import type { SerializedError } from '../../src/errors.js';
import type { Plan } from '../../src/plan/plan-types.js';
import type { RunMetrics } from '../../src/run/run-metrics.js';

export type RunStatus = 'queued' | 'running' | 'finished' | 'failed' | 'cancelled';

export interface RunOutputFile {
  /** The node whose result named the file. */
  node: string;
  /** Path relative to the data folder. */
  path: string;
  size: number;
  /** Where the editor downloads or plays it (supports range requests). */
  url: string;
}

export interface RunLogEntry {
  at: string;
  level: 'info' | 'warn';
  node: string;
  message: string;
}

export interface RunRecord {
  id: string;
  graphName: string;
  /** The graph file it came from, when it was run from one. */
  file: string | null;
  status: RunStatus;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  /** Runs ahead of it while queued (0 = next). */
  queuePosition: number | null;
  framesDone: number;
  framesTotal: number | null;
  plan: Plan | null;
  metrics: RunMetrics | null;
  warnings: Problem[];
  logs: RunLogEntry[];
  outputs: RunOutputFile[];
  /** What the nodes' finish() returned, for results that are not files (checksums...). */
  results: Record<string, unknown>;
  error: SerializedError | null;
}

/** Events on the socket, each carrying the run id. */
export interface RunSocketEvents {
  'run:queued': { run: RunRecord };
  'run:started': { runId: string; plan: Plan; startedAt: string };
  'run:progress': { runId: string; framesDone: number; framesTotal: number | null; metrics: RunMetrics };
  'run:log': { runId: string } & RunLogEntry;
  'run:preview': { runId: string; frame: number; width: number; height: number; mime: 'image/jpeg'; data: Uint8Array };
  'run:finished': { runId: string; run: RunRecord };
  'run:failed': { runId: string; run: RunRecord };
  'run:cancelled': { runId: string; run: RunRecord };
}

export type RunEventName = keyof RunSocketEvents;
export type RunEventEmitter = <K extends RunEventName>(name: K, payload: RunSocketEvents[K]) => void;
