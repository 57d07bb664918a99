/**
 * The socket.io events the server sends while it pulls a model (`POST /api/models/:id/pull`),
 * as zod schemas: the server sends them through `ModelEventEmitter`, the editor parses them
 * with `parseModelEvent`.
 */
import { z } from 'zod';
import { zSerializedError } from './serialized-error.js';
import { parseSocketEvent, type ParsedEvent } from './socket-events.js';

const zModelId = z.string().min(1);

export const MODEL_EVENTS = {
  /** Bytes received so far; total when the server said. */
  'model:progress': z.object({ id: zModelId, received: z.number(), total: z.number().nullable() }),
  /** A step of the pull worth telling (converting, verifying). */
  'model:message': z.object({ id: zModelId, message: z.string() }),
  'model:pulled': z.object({ id: zModelId, status: z.enum(['present', 'downloaded']) }),
  'model:failed': z.object({ id: zModelId, error: zSerializedError }),
} as const;

export type ModelEventName = keyof typeof MODEL_EVENTS;
export type ModelSocketEvents = { [K in ModelEventName]: z.infer<(typeof MODEL_EVENTS)[K]> };
export const MODEL_EVENT_NAMES = Object.keys(MODEL_EVENTS) as ModelEventName[];

/** How the server sends a model event: the payload's type is the event's schema. */
export type ModelEventEmitter = <K extends ModelEventName>(name: K, payload: ModelSocketEvents[K]) => void;

export function parseModelEvent<K extends ModelEventName>(name: K, payload: unknown): ParsedEvent<ModelSocketEvents[K]> {
  return parseSocketEvent<ModelSocketEvents, K>(MODEL_EVENTS, name, payload);
}
