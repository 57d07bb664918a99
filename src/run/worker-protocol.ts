/** Messages between the scheduler and a stage worker. */
import type { SerializedError } from '../errors.js';
import type { ExecutionProvider, NodePaths } from '../nodes/define-node.js';
import type { StageBatch, StageInput } from './stage-core.js';
import type { NodeStats } from './stage-stats.js';

/** A StageSpec with definitions replaced by the modules that export them. */
export interface WorkerStageData {
  id: string;
  nodes: { id: string; moduleUrl: string; rawParams: Record<string, unknown> }[];
  inputs: StageInput[];
  outputs: string[];
  batchSize: number;
  threads: number;
  providers: ExecutionProvider[];
  paths: NodePaths;
  compose?: boolean;
}

export type WorkerRequest =
  | { id: number; op: 'create' }
  | { id: number; op: 'open'; external: Record<string, unknown> }
  | { id: number; op: 'process'; batch: StageBatch }
  | { id: number; op: 'finish' }
  | { id: number; op: 'dispose' }
  | { id: number; op: 'abort' };

export type WorkerReply =
  | { id: number; ok: true; result: unknown; stats: Record<string, NodeStats> }
  | { id: number; ok: false; error: SerializedError; stats: Record<string, NodeStats> }
  | { id: -1; log: { level: 'info' | 'warn'; node: string; message: string } };
