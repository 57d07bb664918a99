/**
 * Sessions kept warm between runs in one thread. A stage thread that is kept for the next
 * run (a farm worker renders segment after segment of the same graph) turns parking on:
 * from then on a session its nodes dispose is parked instead of released, and the next
 * `openModel` of the same file with the same settings takes it back, so the model is not
 * loaded, rewritten and warmed up again. Off by default: a plain run releases everything.
 */
import type { ModelSession } from './model-session.js';
import { sessionHandle } from './session-handle.js';

let parking = false;
const parked = new Map<string, ModelSession[]>();

/** Turns parking on or off for this thread; off releases every parked session. */
export async function setSessionParking(on: boolean): Promise<void> {
  parking = on;
  if (!on) await releaseParkedSessions();
}

export function sessionParkingOn(): boolean {
  return parking;
}

/** A parked session for `key`, taken out of the park; null when there is none. */
export function takeParkedSession(key: string): ModelSession | null {
  const list = parked.get(key);
  const session = list?.pop() ?? null;
  if (list && list.length === 0) parked.delete(key);
  return session;
}

export function parkSession(key: string, session: ModelSession): void {
  parked.set(key, [...(parked.get(key) ?? []), session]);
}

export async function releaseParkedSessions(): Promise<void> {
  const all = [...parked.values()].flat();
  parked.clear();
  await Promise.all(all.map((s) => s.dispose()));
}

/** A handle on `session` whose dispose parks it while parking is on (and releases it otherwise). */
export function parkableHandle(key: string, session: ModelSession): ModelSession {
  return sessionHandle(session, async () => {
    if (parking) parkSession(key, session);
    else await session.dispose();
  });
}
