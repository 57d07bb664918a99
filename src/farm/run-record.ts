/**
 * A farm run's record in Redis and the run's jobs: created once (SET NX, so two submitters
 * of the same run cannot both create it), found again by a restarted submitter, marked
 * cancelled (workers poll it and stop their segments), and removed with every job and
 * segment file when the run ends.
 */
import { rm } from 'node:fs/promises';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { runKey, segmentJobId, submitterKey, zRunRecord, type RunRecord } from './farm-queue.js';

export async function readRunRecord(redis: Redis, runId: string): Promise<RunRecord | null> {
  const text = await redis.get(runKey(runId));
  if (text === null) return null;
  const parsed = zRunRecord.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : null;
}

/** Stores a new record; false when one exists already (another submitter made it first). */
export async function createRunRecord(redis: Redis, record: RunRecord): Promise<boolean> {
  return (await redis.set(runKey(record.runId), JSON.stringify(record), 'NX')) === 'OK';
}

/** Rewrites an existing record (a re-attached submitter's new stream endpoint). */
export async function updateRunRecord(redis: Redis, record: RunRecord): Promise<void> {
  await redis.set(runKey(record.runId), JSON.stringify(record), 'XX');
}

export async function markCancelled(redis: Redis, record: RunRecord): Promise<void> {
  await redis.set(runKey(record.runId), JSON.stringify({ ...record, state: 'cancelled' }));
}

/** Says "a submitter follows this run" for `ttlMs`; called on every poll. */
export async function touchSubmitter(redis: Redis, runId: string, ttlMs: number, who: string): Promise<void> {
  await redis.set(submitterKey(runId), who, 'PX', Math.max(1000, Math.round(ttlMs)));
}

export async function hasSubmitter(redis: Redis, runId: string): Promise<boolean> {
  return (await redis.exists(submitterKey(runId))) === 1;
}

export function jobIdsOf(record: RunRecord): string[] {
  return record.segments.map((s) => segmentJobId(record.runId, s.index));
}

/**
 * Removes every job of the run. A job a worker holds cannot be removed; the worker sees the
 * run cancelled within a poll and fails it, then it goes. Returns the ids still left after
 * `waitMs` (a worker that died holding one: its lock expires, and BullMQ's age limit removes it).
 */
export async function removeRunJobs(queue: Queue, record: RunRecord, waitMs: number): Promise<string[]> {
  const deadline = Date.now() + waitMs;
  let left = jobIdsOf(record);
  for (;;) {
    const still: string[] = [];
    for (const id of left) {
      const job = await queue.getJob(id);
      if (!job) continue;
      try {
        await job.remove();
      } catch {
        still.push(id); // locked by a worker
      }
    }
    left = still;
    if (left.length === 0 || Date.now() >= deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Ends a run: its jobs, its record and its segment files go. */
export async function removeRun(redis: Redis, queue: Queue, record: RunRecord, waitMs: number): Promise<string[]> {
  const left = await removeRunJobs(queue, record, waitMs);
  await redis.del(runKey(record.runId), submitterKey(record.runId));
  await rm(record.segmentDir, { recursive: true, force: true });
  return left;
}
