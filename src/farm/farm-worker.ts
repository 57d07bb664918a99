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

/** How often a running segment checks whether its run was cancelled. */
const CANCEL_POLL_MS = 400;
const PROGRESS_EVERY_MS = 1000;

export function startFarmWorker(options: FarmWorkerOptions): FarmWorker {
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const { redis: connection, logError } = openConnection(options.url, `framefuse-worker ${name}`, options.log);
  // Model stages stay warm from one segment to the next (threads, modules, sessions).
  const warm = new WarmStages();
  const rendering = new Set<Promise<SegmentResult>>();
  // Three parameters: BullMQ passes the job's abort signal only to a processor that takes it.
  const processor = (job: Job, _token?: string, signal?: AbortSignal) => {
    const render = renderSegment(job, connection, name, warm, options, signal);
    rendering.add(render);
    const forget = () => rendering.delete(render);
    render.then(forget, forget);
    return render;
  };
  const worker = new Worker(FARM_QUEUE, processor, {
    connection,
    prefix: FARM_PREFIX,
    name,
    concurrency: options.concurrency ?? 1,
    lockDuration: options.lockMs ?? 30_000,
    stalledInterval: options.stalledMs ?? 30_000,
    maxStalledCount: 3,
  });
  worker.on('error', logError);
  worker.on('failed', (job, error) => {
    if (job) options.log(`segment ${job.id} failed: ${error.message.slice(0, 300)}`);
  });
  return {
    name,
    async close() {
      // With Redis gone a graceful close would wait for it forever (BullMQ quits its
      // connections and records the segments' ends there): stop the segments and let go
      // now; their locks expire and other workers take them when Redis is back.
      const redisGone = connection.status !== 'ready';
      if (redisGone) worker.cancelAllJobs('Redis is unreachable');
      try {
        await worker.close(redisGone);
        await Promise.allSettled(rendering);
      } finally {
        await warm.dispose();
        connection.disconnect();
      }
    },
  };
}

async function renderSegment(job: Job, redis: Redis, name: string, warm: WarmStages, options: FarmWorkerOptions, bullSignal?: AbortSignal): Promise<SegmentResult> {
  const parsed = zSegmentJob.safeParse(job.data);
  if (!parsed.success) throw segmentFailure(farmUserError('FF_FARM_JOB_INVALID', `Job ${job.id} is not a framefuse segment job: ${parsed.error.issues[0]?.message}.`, { fix: 'Run the same framefuse version on the submitter and every worker.' }));
  const data = parsed.data;
  const label = `segment ${data.segment.index + 1}/${data.segmentCount} (frames ${data.segment.startFrame}-${data.segment.endFrame - 1}) of run ${data.runId}`;
  const controller = new AbortController();
  const onBullAbort = () => controller.abort(cancelledError());
  bullSignal?.addEventListener('abort', onBullAbort, { once: true });
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
    bullSignal?.removeEventListener('abort', onBullAbort);
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
