/**
 * onnxruntime session options from framefuse's few knobs. Threads are a budget the
 * scheduler hands out per stage: intra-op threads as given, inter-op 1 (sessions run
 * sequentially), and no spin-waiting when cores are shared, because a spinning idle pool
 * steals the cores of the stages beside it.
 */
import { availableParallelism } from 'node:os';
import type ort from 'onnxruntime-node';

export interface ThreadSettings {
  /** Intra-op threads (NodeContext.threads). Default: all cores. */
  threads?: number;
  /** Let idle ORT threads spin: lower latency, but only with cores to spare. Default false. */
  spin?: boolean;
}

/** The intra-op threads a session gets for `threads` (default: every core). */
export function intraOpThreads(threads?: number): number {
  return Math.max(1, Math.floor(threads ?? availableParallelism()));
}

export function sessionOptions(settings: ThreadSettings = {}): ort.InferenceSession.SessionOptions {
  const threads = intraOpThreads(settings.threads);
  const spinning = settings.spin ? '1' : '0';
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // Errors only: onnxruntime's warnings (unused initializers and the like) are noise to a
    // user; framefuse reports what matters itself.
    logSeverityLevel: 3,
    // `extra` becomes session config entries (the Node binding flattens the keys with dots).
    extra: { session: { intra_op: { allow_spinning: spinning }, inter_op: { allow_spinning: spinning } } },
  };
}
