/**
 * Submitting a graph to a farm, in steps:
 *   1. Check: the --farm URL, Redis answers (before any work), the graph has one Decoder
 *      and one Encoder at the source's rate, the media mode is one this build serves.
 *   2. Find the run: its id hashes what makes it the same run; a record in Redis means a
 *      restarted submitter re-attaches, else the source is split at keyframes and the
 *      record created.
 *   3. Enqueue one job per segment (ids from the run id, so enqueuing again is a no-op).
 *   4. Wait, reporting frames done across all workers; the first failed segment fails
 *      the run, naming the segment; a cancel removes the run's jobs and segment files.
 *   5. Join without re-encoding, audio muxed once, then remove the jobs and segments.
 */
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { hostname } from 'node:os';
import { dirname, basename, extname, join } from 'node:path';
import { Queue } from 'bullmq';
import type { GraphDocument } from '../model/document.js';
import type { ResolvedGraph } from '../graph/resolved-graph.js';
import { probeMedia } from '../media/probe.js';
import { graphTagValue } from '../media/graph-tag.js';
import { outputPolicyOf } from '../run/run-files.js';
import { defaultPaths } from '../run/paths.js';
import { untilAborted } from '../run/until-aborted.js';
import { FramefuseError, cancelledError, isFramefuseError } from '../errors.js';
import { farmUserError } from './farm-errors.js';
import { FARM_PREFIX, FARM_QUEUE, segmentJobId, type MediaMode, type RunRecord, type SegmentJob } from './farm-queue.js';
import { openConnection, parseFarmUrl, pingRedis } from './redis-connection.js';
import { farmRunId } from './run-id.js';
import { createRunRecord, markCancelled, readRunRecord, removeRun, touchSubmitter, updateRunRecord } from './run-record.js';
import { cutSegments } from './segment-cut.js';
import { startMediaServer, type MediaServer } from './media-server.js';
import { absolutePaths, farmShape, trimmedRange } from './segment-graph.js';
import { probeKeyframes, splitAtKeyframes } from './split.js';
import { FarmTracker, type FarmProgress, type SegmentFailure } from './farm-progress.js';
import { joinSegments, type JoinAudio } from './join.js';
import { readSegmentFailure } from './segment-error.js';
import { SegmentEnds } from './segment-ends.js';

export interface FarmSubmitOptions {
  url: string;
  document: GraphDocument;
  graph: ResolvedGraph;
  segmentSeconds: number;
  media: MediaMode;
  overwrite?: boolean;
  /** Folders whose existing files the joined output may never replace (the server's uploads and graphs). */
  protectedFolders?: string[];
  cwd?: string;
  signal?: AbortSignal;
  onLog?: (message: string) => void;
  onProgress?: (progress: FarmProgress) => void;
  /** How often jobs are read for progress (default 500 ms); a segment's end is seen at once. */
  pollMs?: number;
  /** How long the "a submitter follows this run" mark lasts without a poll (default 15 s): `farm clean` removes runs past it. */
  heartbeatMs?: number;
  /** Stream mode: the name workers reach this machine by (default its host name), and the port (default any free one). */
  mediaHost?: string;
  mediaPort?: number;
}

export interface FarmResult {
  runId: string;
  output: string;
  frames: number;
  segments: number;
  reattached: boolean;
  wallMs: number;
  splitMs: number;
  joinMs: number;
  /** Per segment: the worker that rendered it and how long it took. */
  rendered: { worker: string; frames: number; wallMs: number }[];
}

/** How long a cancel waits for workers to let go of the run's segments. */
const CANCEL_WAIT_MS = 10_000;
/** Finished jobs a submitter never came back for are removed by BullMQ after a day. */
const JOB_KEEP_SECONDS = 24 * 3600;

export async function submitFarmRun(options: FarmSubmitOptions): Promise<FarmResult> {
  const started = Date.now();
  const log = options.onLog ?? (() => undefined);
  const cwd = options.cwd ?? defaultPaths().cwd;
  // 1. Check.
  const url = parseFarmUrl(options.url);
  if (!(options.segmentSeconds > 0) || !Number.isFinite(options.segmentSeconds)) {
    throw farmUserError('FF_FARM_OPTION_INVALID', `--segment-seconds ${options.segmentSeconds} must be a positive number of seconds.`, { fix: 'e.g. --segment-seconds 30' });
  }
  if (options.media !== 'stream' && (options.mediaHost !== undefined || options.mediaPort !== undefined)) {
    throw farmUserError('FF_FARM_MEDIA_MODE', '--media-host and --media-port set the endpoint of --media stream; this run uses --media shared.', {
      fix: 'Add --media stream (workers without the shared folder download and upload through this machine), or leave them out.',
    });
  }
  await pingRedis(url);
  const shape = farmShape(options.graph);
  const { source, output } = absolutePaths(shape, cwd);
  const info = await probeMedia(source, { node: shape.decoderId });
  const video = info.video!;
  if (video.variableFrameRate || video.frameCount === null) {
    throw farmUserError('FF_FARM_GRAPH_UNSUPPORTED', `${source} has a variable frame rate or no frame count; a farm splits constant-rate video by frames.`, {
      node: shape.decoderId,
      fix: 'Convert it to a constant rate first (ffmpeg -i in.mp4 -fps_mode cfr out.mp4), or run without --farm.',
    });
  }

  const { redis, logError } = openConnection(url, 'framefuse-submit', log);
  const queue = new Queue(FARM_QUEUE, { connection: redis, prefix: FARM_PREFIX });
  queue.on('error', logError);
  let record: RunRecord | null = null;
  let media: MediaServer | null = null;
  let ends: SegmentEnds | null = null;
  try {
    // 2. Find the run, or split and create it.
    const runId = await farmRunId({ document: options.document, source, output, segmentSeconds: options.segmentSeconds, media: options.media });
    let splitMs = 0;
    let reattached = false;
    const found = await readRunRecord(redis, runId);
    if (found?.state === 'running') {
      record = found;
      reattached = true;
      log(`re-attaching to farm run ${runId} (${found.segments.length} segments, started ${found.createdAt})`);
    } else {
      if (found) await removeRun(redis, queue, found, CANCEL_WAIT_MS); // a cancelled run's leftovers
      const t = Date.now();
      const { first, end } = trimmedRange(shape.decoder, video.fps, video.frameCount);
      const segments = splitAtKeyframes(await probeKeyframes(source, video, options.signal), first, end, video.fps, options.segmentSeconds);
      splitMs = Date.now() - t;
      const ext = extname(output) || '.mp4';
      record = {
        runId,
        state: 'running',
        createdAt: new Date().toISOString(),
        source,
        output,
        segmentDir: join(dirname(output), `.${basename(output, ext)}.farm-${runId}`),
        segments,
        frames: end - first,
        fps: video.fps,
        stream: null,
      };
      if (!(await createRunRecord(redis, record))) {
        record = (await readRunRecord(redis, runId))!;
        reattached = true;
        log(`re-attaching to farm run ${runId}: another submitter created it a moment ago`);
      } else {
        log(`farm run ${runId}: ${segments.length} segments of about ${options.segmentSeconds} s, ${record.frames} frames`);
      }
    }
    const run: RunRecord = record;
    const who = `${hostname()}:${process.pid}`;
    const heartbeatMs = options.heartbeatMs ?? 15_000;
    await touchSubmitter(redis, runId, heartbeatMs, who);
    const ext = extname(output) || '.mp4';
    const segmentPath = (index: number) => join(run.segmentDir, `s${String(index).padStart(5, '0')}`, `segment${ext}`);
    if (options.media === 'stream') {
      // Stream mode: each segment's input cut once (kept for a re-attach), served with the uploads on a token-protected endpoint.
      if (!existsSync(join(run.segmentDir, 'input'))) {
        const t = Date.now();
        await cutSegments(source, video.index, run.segments, run.segmentDir, options.signal);
        splitMs += Date.now() - t;
      }
      const token = randomBytes(24).toString('hex');
      media = await startMediaServer({ host: '0.0.0.0', port: options.mediaPort ?? 0, token, run, segmentPath });
      run.stream = { url: `http://${options.mediaHost ?? hostname()}:${media.port}`, token };
      await updateRunRecord(redis, run);
      log(`serving segment media to workers at ${run.stream.url}`);
    }

    // Listening before the jobs exist: the first segment's end is not missed.
    ends = new SegmentEnds(url, runId, log);
    // 3. Enqueue (again, on re-attach: existing ids are kept as they are).
    const jobs = run.segments.map((segment) => {
      const data: SegmentJob = {
        runId,
        segment,
        segmentCount: run.segments.length,
        document: options.document as Record<string, unknown>,
        decoderId: shape.decoderId,
        encoderId: shape.encoderId,
        cwd,
        media: options.media,
        source,
        segmentPath: segmentPath(segment.index),
      };
      return { name: 'segment', data, opts: { jobId: segmentJobId(runId, segment.index), attempts: 1, removeOnComplete: { age: JOB_KEEP_SECONDS }, removeOnFail: { age: JOB_KEEP_SECONDS } } };
    });
    await queue.addBulk(jobs);
    const workers = await queue.getWorkers().catch(() => []);
    if (workers.length === 0) log('no worker is connected to this farm yet: start one with `framefuse worker <url>`; segments wait in the queue');

    // 4. Wait.
    const tracker = new FarmTracker(queue, run, started);
    for (;;) {
      if (options.signal?.aborted) throw cancelledError();
      // Cut short by a cancel: with Redis away the read would wait for it forever.
      const read = async () => {
        const seen = await tracker.poll();
        await touchSubmitter(redis, runId, heartbeatMs, who);
        return seen;
      };
      const { progress, failure } = await (options.signal ? untilAborted(options.signal, read()) : read());
      options.onProgress?.(progress);
      if (failure) throw await failRun(failure, run, redis, queue);
      if (tracker.complete) break;
      await ends.wait(options.pollMs ?? 500, options.signal); // a segment's end or a cancel wakes it (the check above throws on a cancel)
    }

    // 5. Join, then clean up.
    const t = Date.now();
    const policy = await outputPolicyOf(options.graph, { ...defaultPaths(), cwd }, {
      overwrite: options.overwrite || shape.encoder.overwrite,
      ...(options.protectedFolders ? { protectedFolders: options.protectedFolders } : {}),
    });
    const written = await joinSegments({
      segments: tracker.results.map((r) => r.path),
      workDir: run.segmentDir,
      output,
      audio: joinAudio(info, shape.encoder.audio, run),
      faststart: true,
      policy,
      graph: graphTagValue(policy.embedGraph, { warn: log }),
      node: shape.encoderId,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const joinMs = Date.now() - t;
    await removeRun(redis, queue, run, 0);
    record = null;
    const rendered = tracker.results.map((r) => ({ worker: r.worker, frames: r.frames, wallMs: r.wallMs }));
    return { runId, output: written, frames: rendered.reduce((n, r) => n + r.frames, 0), segments: run.segments.length, reattached, wallMs: Date.now() - started, splitMs, joinMs, rendered };
  } catch (thrown) {
    // After a cancel, what failed failed because of it (a wait cut short, a process stopped).
    const error = options.signal?.aborted ? cancelledError() : thrown;
    if (record && isFramefuseError(error) && error.kind === 'cancelled') {
      if (redis.status !== 'ready') {
        // Its commands would wait for Redis forever.
        log(
          `Redis is unreachable: farm run ${record.runId} stays queued there; when Redis is back, \`framefuse farm clean ${options.url}\` removes it (the same command instead re-attaches to it)`,
        );
      } else {
        log(`cancelling farm run ${record.runId}: removing its jobs and segments`);
        // Redis may go in the middle of this (its commands would then wait for it forever): bounded.
        const run = record;
        const removed = await Promise.race([
          markCancelled(redis, run).then(() => removeRun(redis, queue, run, CANCEL_WAIT_MS)).catch(() => [] as string[]),
          delay(CANCEL_WAIT_MS + 5000).then(() => null),
        ]);
        if (removed === null) log(`Redis stopped answering while farm run ${run.runId} was being removed; when it is back, \`framefuse farm clean ${options.url}\` removes what is left`);
        else if (removed.length > 0) log(`${removed.length} segment job(s) are held by workers that do not answer; BullMQ removes them within a day`);
      }
    }
    throw error;
  } finally {
    await ends?.close();
    await media?.close();
    await queue.close().catch(() => undefined);
    redis.disconnect();
  }
}

/** The first failed segment fails the run: the others are cancelled and removed, and the error names the segment. */
async function failRun(failure: SegmentFailure, run: RunRecord, redis: Parameters<typeof markCancelled>[0], queue: Queue): Promise<FramefuseError> {
  await markCancelled(redis, run);
  await removeRun(redis, queue, run, CANCEL_WAIT_MS).catch(() => []);
  const cause = readSegmentFailure(failure.failedReason);
  const s = failure.segment;
  const where = `Segment ${s.index + 1}/${run.segments.length} (frames ${s.startFrame}-${s.endFrame - 1}, ${s.startSeconds.toFixed(2)}-${s.endSeconds.toFixed(2)} s of ${run.source})`;
  const message = `${where} failed: ${cause.code}${cause.node ? ` ${cause.node}${cause.field ? `.${cause.field}` : ''}` : ''}: ${cause.message}`;
  const kind = cause.kind === 'user' ? 'user' : 'operational';
  return new FramefuseError(kind, 'FF_FARM_SEGMENT_FAILED', message, {
    ...(cause.node ? { node: cause.node } : {}),
    fix: cause.fix ?? 'The run was stopped and its other segments removed; fix the cause and run again.',
  });
}

function joinAudio(info: Awaited<ReturnType<typeof probeMedia>>, mode: 'copy' | 'reencode' | 'drop', run: RunRecord): JoinAudio | null {
  const stream = info.audio[0];
  if (!stream || mode === 'drop') return null;
  const video = info.video!;
  const videoOffset = Math.max(0, video.startTime - info.startTime);
  const first = run.segments[0]!.startFrame;
  const end = run.segments[run.segments.length - 1]!.endFrame;
  const whole = first === 0 && end === video.frameCount;
  return { path: info.path, streamIndex: stream.index, codec: stream.codec, start: videoOffset + first / run.fps, end: videoOffset + end / run.fps, whole, videoOffset, mode };
}
