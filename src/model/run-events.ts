/**
 * The socket.io events the server sends about runs, as zod schemas: the server builds each
 * one through `RunEventEmitter` (typed by these schemas), and the editor parses what
 * arrives with `parseRunEvent` instead of trusting a cast, so a malformed message is
 * reported rather than breaking the page. Every event carries the run's id.
 */
import { z } from 'zod';
import { zFarmProgress } from './farm-progress.js';
import { zPlan } from './plan.js';
import { zRunMetrics } from './run-metrics.js';
import { zRunLogEntry, zRunRecord } from './run-record.js';
import { parseSocketEvent, type ParsedEvent } from './socket-events.js';

const zRunId = z.string().min(1);

/** JPEG bytes: a Uint8Array (Node's Buffer) on the server, an ArrayBuffer in the browser. */
const zBytes = z.custom<Uint8Array | ArrayBuffer>((v) => v instanceof Uint8Array || v instanceof ArrayBuffer, 'expected binary JPEG data');

export const RUN_EVENTS = {
  /** A run joined the queue, or its place in the queue changed. */
  'run:queued': z.object({ run: zRunRecord }),
  'run:started': z.object({ runId: zRunId, plan: zPlan, startedAt: z.string() }),
  'run:progress': z.object({ runId: zRunId, framesDone: z.number(), framesTotal: z.number().nullable(), metrics: zRunMetrics }),
  /** A farm run's segments and workers (`serve --farm`), as often as run:progress. */
  'run:farm': z.object({ runId: zRunId, progress: zFarmProgress }),
  'run:log': zRunLogEntry.extend({ runId: zRunId }),
  /** A small JPEG of the latest frame a source produced. */
  'run:preview': z.object({ runId: zRunId, frame: z.number(), width: z.number(), height: z.number(), mime: z.literal('image/jpeg'), data: zBytes }),
  'run:finished': z.object({ runId: zRunId, run: zRunRecord }),
  'run:failed': z.object({ runId: zRunId, run: zRunRecord }),
  'run:cancelled': z.object({ runId: zRunId, run: zRunRecord }),
} as const;

export type RunEventName = keyof typeof RUN_EVENTS;
export type RunSocketEvents = { [K in RunEventName]: z.infer<(typeof RUN_EVENTS)[K]> };
export const RUN_EVENT_NAMES = Object.keys(RUN_EVENTS) as RunEventName[];

/** How the server sends a run event: the payload's type is the event's schema. */
export type RunEventEmitter = <K extends RunEventName>(name: K, payload: RunSocketEvents[K]) => void;

export type ParsedRunEvent<K extends RunEventName> = ParsedEvent<RunSocketEvents[K]>;

/** Checks one received event against its schema; the error names the event and the first bad fields. */
export function parseRunEvent<K extends RunEventName>(name: K, payload: unknown): ParsedRunEvent<K> {
  return parseSocketEvent<RunSocketEvents, K>(RUN_EVENTS, name, payload);
}
