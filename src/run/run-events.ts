/** What a run reports while it goes: a tagged union, so events travel over a socket as they are. */
import type { SerializedError } from '../errors.js';
import type { Plan } from '../model/plan.js';
import type { RunMetrics } from '../model/run-metrics.js';

export interface RunProgress {
  /** Frames every sink has taken. */
  framesDone: number;
  /** Frames expected, when the source knows; null otherwise. */
  framesTotal: number | null;
  metrics: RunMetrics;
}

export type RunEvent =
  | { type: 'started'; plan: Plan }
  | ({ type: 'progress' } & RunProgress)
  | { type: 'log'; level: 'info' | 'warn'; node: string; message: string }
  | { type: 'finished'; outputs: Record<string, unknown>; metrics: RunMetrics }
  | { type: 'failed'; error: SerializedError; metrics: RunMetrics }
  | { type: 'cancelled'; metrics: RunMetrics };
