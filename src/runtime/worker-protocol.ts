/**
 * The messages of the one worker-messaging stack (worker-channel.ts on the calling thread,
 * worker-serve.ts in the worker): numbered requests, each answered once, in the order
 * they were sent; log lines in between. Buffers travel in the transfer list.
 */
import type { SerializedError } from '../errors.js';

export interface ChannelRequest {
  id: number;
  op: string;
  payload?: unknown;
}

export interface ChannelLog {
  level: 'info' | 'warn';
  /** The node the line is about, when there is one. */
  node?: string;
  message: string;
}

/** `attached`: what the worker adds to every answer (a stage's counters). */
export type ChannelReply =
  | { id: number; ok: true; result: unknown; attached?: unknown }
  | { id: number; ok: false; error: SerializedError; attached?: unknown }
  | { id: -1; log: ChannelLog };
