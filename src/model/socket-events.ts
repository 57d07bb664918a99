/**
 * Parsing one socket.io event against a table of event schemas: the editor checks every
 * event it receives this way (run events, model pulls), so a malformed message is reported
 * with the event's name and the first bad fields instead of breaking the page.
 */
import type { z } from 'zod';
import { describeZodIssue } from './zod-issue.js';

/** A schema per event name, whose output is that event's payload. */
export type EventSchemas<E> = { [K in keyof E]: z.ZodType<E[K]> };

export type ParsedEvent<T> = { ok: true; payload: T } | { ok: false; error: string };

export function parseSocketEvent<E, K extends keyof E & string>(schemas: EventSchemas<E>, name: K, payload: unknown): ParsedEvent<E[K]> {
  const parsed = schemas[name].safeParse(payload);
  if (parsed.success) return { ok: true, payload: parsed.data };
  const where = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(message)'} ${describeZodIssue(i)}`)
    .join('; ');
  return { ok: false, error: `malformed ${name} message from the server (${where})` };
}
