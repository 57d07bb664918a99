/**
 * `framefuse farm clean`: removes farm runs that no submitter follows any more. A submitter
 * marks its run every poll (a key that expires, see `touchSubmitter`); a run without the
 * mark was left behind: its submitter crashed, or was cancelled while Redis was unreachable
 * and could not remove the jobs then. Cleaning marks such a run cancelled (workers stop its
 * segments within a poll), removes its jobs, its record and its segment files. A run whose
 * submitter is alive is left alone unless named with `--run` and `--force`.
 */
import { Queue } from 'bullmq';
import { FARM_PREFIX, FARM_QUEUE } from './farm-queue.js';
import { openConnection, parseFarmUrl, pingRedis } from './redis-connection.js';
import { hasSubmitter, markCancelled, readRunRecord, removeRun } from './run-record.js';
import { farmUserError } from './farm-errors.js';

export interface FarmCleanOptions {
  url: string;
  /** Only this run (its id, as the submitter printed it). */
  runId?: string;
  /** Also a run whose submitter still follows it (only with runId). */
  force?: boolean;
  /** How long to wait for workers to let go of a run's segments (default 10 s). */
  waitMs?: number;
  onLog?: (line: string) => void;
}

export interface CleanedRun {
  runId: string;
  source: string;
  output: string;
  /** Jobs held by workers that did not answer (BullMQ removes them within a day). */
  jobsLeft: number;
}

export interface FarmCleanResult {
  removed: CleanedRun[];
  /** Runs left alone because a submitter follows them. */
  followed: string[];
}

export async function cleanFarm(options: FarmCleanOptions): Promise<FarmCleanResult> {
  const url = parseFarmUrl(options.url);
  if (options.force && !options.runId) throw farmUserError('FF_FARM_OPTION_INVALID', '--force removes a run a submitter still follows, so it needs --run <id>.', { fix: 'Add --run <id> (the id the submitter printed), or leave out --force.' });
  await pingRedis(url);
  const log = options.onLog ?? (() => undefined);
  const { redis, logError } = openConnection(url, 'framefuse-clean', log);
  const queue = new Queue(FARM_QUEUE, { connection: redis, prefix: FARM_PREFIX });
  queue.on('error', logError);
  try {
    const ids = options.runId ? [options.runId] : await runIds(redis);
    const result: FarmCleanResult = { removed: [], followed: [] };
    for (const id of ids) {
      const record = await readRunRecord(redis, id);
      if (!record) {
        if (options.runId) throw farmUserError('FF_FARM_RUN_UNKNOWN', `No farm run ${id} on this Redis.`, { fix: 'Run `framefuse farm clean <url>` without --run to clean every run no submitter follows.' });
        continue;
      }
      if (!options.force && (await hasSubmitter(redis, id))) {
        result.followed.push(id);
        continue;
      }
      await markCancelled(redis, record);
      const left = await removeRun(redis, queue, record, options.waitMs ?? 10_000);
      result.removed.push({ runId: id, source: record.source, output: record.output, jobsLeft: left.length });
    }
    return result;
  } finally {
    await queue.close().catch(() => undefined);
    redis.disconnect();
  }
}

/** Every run record's id on this database (SCAN, not KEYS: a busy Redis is not blocked). */
async function runIds(redis: ReturnType<typeof openConnection>['redis']): Promise<string[]> {
  const prefix = `${FARM_PREFIX}:farm-run:`;
  const ids: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 200);
    cursor = next;
    for (const key of keys) ids.push(key.slice(prefix.length));
  } while (cursor !== '0');
  return ids;
}
