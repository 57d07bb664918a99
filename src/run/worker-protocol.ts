/** Messages between the scheduler and a stage worker. */
import type { SerializedError } from '../errors.js';
import type { StageBatch, StageSpec } from './stage-core.js';
import type { NodeStats } from './stage-stats.js';

/** A StageSpec with definitions replaced by the modules that export them. */
export type WorkerStageData = Omit<StageSpec, 'nodes'> & {
  nodes: { id: string; moduleUrl: string; rawParams: Record<string, unknown> }[];
};

export type WorkerRequest =
  | { id: number; op: 'create' }
  | { id: number; op: 'open'; external: Record<string, unknown> }
  | { id: number; op: 'process'; batch: StageBatch }
  | { id: number; op: 'finish' }
  | { id: number; op: 'dispose' }
  /** Disposes the nodes but keeps the thread (and, parked, its sessions) for the next run of the same stage. */
  | { id: number; op: 'recycle' }
  | { id: number; op: 'abort' };

export type WorkerReply =
  | { id: number; ok: true; result: unknown; stats: Record<string, NodeStats> }
  | { id: number; ok: false; error: SerializedError; stats: Record<string, NodeStats> }
  | { id: -1; log: { level: 'info' | 'warn'; node: string; message: string } };
