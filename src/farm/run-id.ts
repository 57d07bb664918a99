/**
 * A farm run's id: a hash of what makes it the same run (the graph as run, the source file
 * as it is now, the output asked for, the segment length, the media mode). A submitter that
 * restarts with the same command computes the same id and finds its run in Redis.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';

export interface RunIdentity {
  document: unknown;
  source: string;
  output: string;
  segmentSeconds: number;
  media: string;
}

/** Keys sorted, so the same document always hashes the same whatever order it was written in. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value as object).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

export async function farmRunId(identity: RunIdentity): Promise<string> {
  const source = await stat(identity.source);
  const hash = createHash('sha256');
  hash.update(JSON.stringify(canonical({ ...identity, sourceSize: source.size, sourceMtimeMs: Math.floor(source.mtimeMs) })));
  return hash.digest('hex').slice(0, 16);
}
