/**
 * A farm worker: takes segment jobs from the farm's queue and renders each through the
 * normal validate -> plan -> run path (src/run), with the Decoder limited to the segment and
 * the Encoder writing the segment's file. It reports frames done and fps as the job's
 * progress, and stops a segment when its run is cancelled. A worker killed mid-segment
 * loses nothing: its lock expires and BullMQ's stalled-job check hands the segment to
 * another worker.
 */
import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { extname, join } from 'node:path';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { formatProblem, hasErrors } from '../model/problem.js';
import type { GraphDocument } from '../model/document.js';
import type { NodeRegistry } from '../node-api/registry.js';
import type { ProviderChoice } from '../model/providers.js';
import { prepareGraph } from '../run/prepare-graph.js';
import { runPlan } from '../run/run-plan.js';
import { WarmStages } from '../run/warm-stages.js';
import { cancelledError } from '../errors.js';
import { farmOperationalError, farmUserError } from './farm-errors.js';
import { FARM_PREFIX, FARM_QUEUE, zSegmentJob, type SegmentJob, type SegmentProgress, type SegmentResult } from './farm-queue.js';
import { readRunRecord } from './run-record.js';
import { cutFirstFrame } from './segment-cut.js';
import { downloadInput, uploadOutput } from './media-client.js';
import { openConnection } from './redis-connection.js';
import { segmentDocument, sharedFiles } from './segment-graph.js';
import { segmentFailure } from './segment-error.js';
import { SegmentSlots, type Slot } from './segment-slots.js';

export interface FarmWorkerOptions {
  url: string;
  registry: NodeRegistry;
  concurrency?: number;
  providers?: readonly ProviderChoice[];
  /** How long a job's lock lasts without renewal (BullMQ lockDuration; default 30 s). A killed worker's segment is retried after about this. */
  lockMs?: number;
  /** How often stalled jobs are looked for (BullMQ stalledInterval; default 30 s). */
  stalledMs?: number;
  /** Name in logs and progress (default host:pid). */
  name?: string;
  log: (line: string) => void;
}

export interface FarmWorker {
  name: string;
  /** Stops taking jobs and waits for the segments in progress to finish. */
  close(): Promise<void>;
}

/** How long one fetch waits for a job when the queue is empty, in seconds (a close waits for it). */
const FETCH_WAIT_S = 1;
/** How often a running segment checks whether its run was cancelled. */
const CANCEL_POLL_MS = 400;
const PROGRESS_EVERY_MS = 1000;

export function startFarmWorker(options: FarmWorkerOptions): FarmWorker {
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const { redis: connection, logError } = openConnection(options.url, `framefuse-worker ${name}`, options.log);
  // Model stages stay warm from one segment to the next (threads, modules, sessions).
  const warm = new WarmStages();
  const lockMs = options.lockMs ?? 30_000;
  // Jobs are fetched by hand (BullMQ's manual processing): a segment is taken when a slot
  // frees, and a slot frees when the segment before has given back its model stages, not
  // when it has ended, so that segments follow each other without a gap. The lock is
  // renewed here and stalled jobs are looked for as BullMQ's own loop would.
  const worker = new Worker(FARM_QUEUE, null, {
    connection,
    prefix: FARM_PREFIX,
    name,
    autorun: false,
    lockDuration: lockMs,
    stalledInterval: options.stalledMs ?? 30_000,
    maxStalledCount: 3,
    drainDelay: FETCH_WAIT_S,
  });
  worker.on('error', logError);
  void worker.startStalledCheckTimer();
  const slots = new SegmentSlots(options.concurrency ?? 1);
  /** The segments' pipelines, and the same with their report to Redis after. */
  const rendering = new Set<Promise<unknown>>();
  const reporting = new Set<Promise<unknown>>();
  const stops = new Set<AbortController>();
  let closing = false;
  const track = <T>(set: Set<Promise<unknown>>, promise: Promise<T>): Promise<T> => {
    set.add(promise);
    const forget = () => set.delete(promise);
    promise.then(forget, forget);
    return promise;
  };

  const handle = async (job: Job, token: string, slot: Slot): Promise<void> => {
    const stop = new AbortController();
    stops.add(stop);
    let lockLost = false;
    const renew = setInterval(() => {
      job.extendLock(token, lockMs).then(
        (held) => {
          if (held) return;
          lockLost = true;
          stop.abort(cancelledError(`this worker's lock on segment ${job.id} lapsed and another worker may have it`));
        },
        () => undefined, // Redis away: the next renewal tries again; the lock lasts lockMs
      );
    }, lockMs / 2);
    try {
      const result = await track(rendering, renderSegment(job, connection, name, warm, options, stop.signal, () => slot.free()));
      await job.moveToCompleted(result, token, false);
    } catch (error) {
      if (lockLost) {
        options.log(`segment ${job.id}: given up, ${(error as Error).message}`);
        return;
      }
      options.log(`segment ${job.id} failed: ${(error as Error).message.slice(0, 300)}`);
      // A run cancelled meanwhile has removed its jobs: then there is nothing to record.
      await job.moveToFailed(error as Error, token, false).catch(() => undefined);
    } finally {
      clearInterval(renew);
      stops.delete(stop);
      slot.free();
    }
  };

  const loop = (async () => {
    for (let n = 0; ; n++) {
      const slot = await slots.take();
      if (!slot) return;
      const token = `${name}:${process.pid}:${n}`;
      let job: Job | undefined;
      try {
        job = await worker.getNextJob(token, { block: true });
      } catch (error) {
        slot.free();
        if (closing) return;
        logError(error as Error);
        await delay(1000);
        continue;
      }
      if (!job) {
        slot.free();
        if (closing) return;
        continue;
      }
      if (closing) {
        // Taken while closing: back to the queue at once for another worker.
        await job.moveToWait(token).catch(() => undefined);
        slot.free();
        return;
      }
      void track(reporting, handle(job, token, slot));
    }
  })();

  return {
    name,
    async close() {
      closing = true;
      slots.close();
      const gone = () => connection.status !== 'ready';
      try {
        // The fetch in flight returns within FETCH_WAIT_S and the segments in hand finish and
        // are recorded, as long as Redis answers: with Redis gone that would wait for it
        // forever, so then the segments stop and are let go now; their locks expire and
        // other workers take them when Redis is back.
        if (!gone()) await whileAnswering(connection, Promise.all([loop, Promise.allSettled(reporting)]));
        if (gone()) for (const stop of stops) stop.abort(cancelledError('Redis is unreachable'));
        await worker.close(gone());
        await Promise.allSettled(rendering);
      } finally {
        await warm.dispose();
        connection.disconnect();
      }
    },
  };
}

/** Waits for `work`, or until the connection to Redis closes, whichever comes first. */
function whileAnswering(connection: Redis, work: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      connection.off('close', done);
      resolve();
    };
    connection.once('close', done);
    work.then(done, done);
  });
}

async function renderSegment(job: Job, redis: Redis, name: string, warm: WarmStages, options: FarmWorkerOptions, stopSignal: AbortSignal, onStagesFree: () => void): Promise<SegmentResult> {
  const parsed = zSegmentJob.safeParse(job.data);
  if (!parsed.success) throw segmentFailure(farmUserError('FF_FARM_JOB_INVALID', `Job ${job.id} is not a framefuse segment job: ${parsed.error.issues[0]?.message}.`, { fix: 'Run the same framefuse version on the submitter and every worker.' }));
  const data = parsed.data;
  const label = `segment ${data.segment.index + 1}/${data.segmentCount} (frames ${data.segment.startFrame}-${data.segment.endFrame - 1}) of run ${data.runId}`;
  const controller = new AbortController();
  const onStop = () => controller.abort(stopSignal.reason);
  if (stopSignal.aborted) onStop();
  stopSignal.addEventListener('abort', onStop, { once: true });
  const cancelPoll = setInterval(() => {
    void runStillWanted(redis, data.runId).then((wanted) => {
      if (!wanted) controller.abort(cancelledError('the farm run was cancelled'));
    }, () => undefined);
  }, CANCEL_POLL_MS);
  const started = Date.now();
  let scratch: string | null = null;
  try {
    const record = await readRunRecord(redis, data.runId);
    if (record?.state !== 'running') throw cancelledError('the farm run was cancelled before this segment started');
    let files = sharedFiles(data);
    if (data.media === 'stream') {
      // Stream mode: the segment's input comes from the submitter into a private folder; the output goes back the same way.
      if (!record.stream) throw farmOperationalError('FF_FARM_MEDIA_NOT_SHARED', `Run ${data.runId} is in stream mode but publishes no endpoint.`, { fix: 'Run the same framefuse version on the submitter and the workers.' });
      scratch = await mkdtemp(join(tmpdir(), 'framefuse-farm-'));
      const input = join(scratch, 'input.mp4');
      await downloadInput(record.stream, data.runId, data.segment.index, input, controller.signal);
      options.log(`${label}: input downloaded from ${record.stream.url}`);
      const first = cutFirstFrame(data.segment);
      files = { source: input, startFrame: data.segment.startFrame - first, endFrame: data.segment.endFrame - first, output: join(scratch, `segment${extname(data.segmentPath)}`) };
    } else {
      await checkSharedMedia(data, name);
    }
    options.log(`${label}: started`);
    const cwd = await workingFolder(data);
    const prepared = await prepareGraph(segmentDocument(data, files) as GraphDocument, options.registry, { cwd, ...(options.providers ? { providers: options.providers } : {}) });
    if (!prepared.graph || !prepared.plan || hasErrors(prepared.problems)) {
      const lines = prepared.problems.map((p) => formatProblem(`segment ${data.segment.index}`, p)).join('\n  ');
      throw farmUserError('FF_FARM_SEGMENT_INVALID', `The segment's graph does not validate on worker ${name}:\n  ${lines}`, {
        fix: 'Give every worker the same models and files as the submitter (framefuse models pull ...), and the same framefuse version.',
      });
    }
    const preparedMs = Date.now() - started;
    let lastReport = 0;
    const result = await runPlan(prepared.graph, prepared.plan, {
      signal: controller.signal,
      overwrite: true,
      paths: { cwd },
      warmStages: warm,
      onStagesFree,
      onEvent: (event) => {
        if (event.type !== 'progress' || Date.now() - lastReport < PROGRESS_EVERY_MS) return;
        lastReport = Date.now();
        const seconds = (Date.now() - started) / 1000;
        const progress: SegmentProgress = { worker: name, framesDone: event.framesDone, fps: seconds > 0 ? event.framesDone / seconds : 0 };
        job.updateProgress(progress).catch(() => undefined);
      },
    });
    if (data.media === 'stream') await uploadOutput(record.stream!, data.runId, data.segment.index, files.output, controller.signal);
    const wallMs = Date.now() - started;
    const m = result.metrics;
    const secs = (ms: number | null) => (ms === null ? '?' : (ms / 1000).toFixed(2));
    const stages = m.stages.map((st) => `${st.nodes.join('+')} ${secs(st.busyMs)} s`).join(', ');
    options.log(`${label}: ${m.frames} frames in ${(wallMs / 1000).toFixed(1)} s (prepare ${secs(preparedMs)} s, load ${secs(m.loadMs)} s, pipeline ${secs(m.pipelineMs)} s; busy: ${stages})`);
    return { worker: name, frames: result.metrics.frames, wallMs, path: data.segmentPath };
  } catch (error) {
    throw segmentFailure(error);
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
    clearInterval(cancelPoll);
    stopSignal.removeEventListener('abort', onStop);
  }
}

/** Whether the run this segment belongs to still exists and was not cancelled. */
async function runStillWanted(redis: Redis, runId: string): Promise<boolean> {
  return (await readRunRecord(redis, runId))?.state === 'running';
}

/** Shared mode: this machine must see the source and the segment folder where the submitter does. */
async function checkSharedMedia(job: SegmentJob, name: string): Promise<void> {
  if (job.media !== 'shared') return;
  try {
    await access(job.source, constants.R_OK);
  } catch {
    throw farmOperationalError('FF_FARM_MEDIA_NOT_SHARED', `Worker ${name} cannot read the source video ${job.source}, which the run reads in shared-folder mode.`, {
      fix: 'Mount the shared folder at the same path on every worker as on the submitter.',
    });
  }
}

/** Where the segment's relative paths resolve: the submitter's folder when this machine has it, else the worker's own. */
async function workingFolder(job: SegmentJob): Promise<string> {
  try {
    await access(job.cwd, constants.R_OK);
    return job.cwd;
  } catch {
    return process.cwd();
  }
}
