/**
 * What the server knows about a run: plain JSON, sent over HTTP (`GET /api/runs`) and in
 * the socket's run events (src/model/run-events.ts), and parsed by the editor with these
 * schemas.
 */
import { z } from 'zod';
import { zFarmProgress } from './farm-progress.js';
import { zPlan } from './plan.js';
import { zProblem } from './problem.js';
import { zRunMetrics } from './run-metrics.js';
import { zSerializedError } from './serialized-error.js';

export const zRunStatus = z.enum(['queued', 'running', 'finished', 'failed', 'cancelled']);
export type RunStatus = z.infer<typeof zRunStatus>;

export const zRunOutputFile = z.object({
  /** The node whose result named the file. */
  node: z.string(),
  /** Path relative to the data folder. */
  path: z.string(),
  size: z.number(),
  /** Where the editor downloads or plays it (supports range requests). */
  url: z.string(),
});
export type RunOutputFile = z.infer<typeof zRunOutputFile>;

export const zRunLogEntry = z.object({
  at: z.string(),
  level: z.enum(['info', 'warn']),
  node: z.string(),
  message: z.string(),
});
export type RunLogEntry = z.infer<typeof zRunLogEntry>;

export const zRunRecord = z.object({
  id: z.string(),
  graphName: z.string(),
  /** The graph file it came from, when it was run from one. */
  file: z.string().nullable(),
  status: zRunStatus,
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  /** Runs ahead of it while queued (0 = next). */
  queuePosition: z.number().nullable(),
  framesDone: z.number(),
  framesTotal: z.number().nullable(),
  plan: zPlan.nullable(),
  metrics: zRunMetrics.nullable(),
  warnings: z.array(zProblem),
  logs: z.array(zRunLogEntry),
  outputs: z.array(zRunOutputFile),
  /** What the nodes' finish() returned, for results that are not files (checksums...). */
  results: z.record(z.string(), z.unknown()),
  error: zSerializedError.nullable(),
  /** A run the server submitted to a render farm (`serve --farm`): where its segments are, last seen. */
  farm: zFarmProgress.nullable().optional(),
});
export type RunRecord = z.infer<typeof zRunRecord>;
