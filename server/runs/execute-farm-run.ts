/**
 * Runs one queued graph on a render farm (`framefuse serve --farm redis://...`) instead of
 * on this machine: the same file checks as a local run, then the graph is submitted to the
 * farm (src/farm/submit.ts), whose progress becomes the run's `run:progress` and `run:farm`
 * events (frames across all workers, per-worker fps, where each segment is). A cancel from
 * the editor aborts the submission, which removes the run's jobs and segment files and
 * writes no output. The record ends finished, failed or cancelled, and its event is sent.
 */
import { hasErrors } from '../../src/model/problem.js';
import { checkFiles } from '../../src/graph/check-files.js';
import { isFramefuseError, serializeError } from '../../src/errors.js';
import { submitFarmRun } from '../../src/farm/submit.js';
import { farmShape } from '../../src/farm/segment-graph.js';
import type { FarmProgress } from '../../src/model/farm-progress.js';
import type { RunRecord } from '../../src/model/run-record.js';
import { redactPaths, redactProblems } from '../redact-paths.js';
import type { RunRequest } from '../server-context.js';
import type { ExecuteRunContext } from './execute-run.js';
import { runOutputFiles } from './output-files.js';

export interface FarmTarget {
  /** redis://host:6379[/db] */
  url: string;
  /** About how long each segment is (default 30 s). */
  segmentSeconds: number;
}

const MAX_LOGS = 500;

export async function executeFarmRun(record: RunRecord, request: RunRequest, signal: AbortSignal, ctx: ExecuteRunContext, farm: FarmTarget): Promise<void> {
  const { graph, plan } = request;
  const started = Date.now();
  const redact = (text: string) => redactPaths(text, ctx.folders);
  record.status = 'running';
  record.startedAt = new Date(started).toISOString();
  record.plan = plan;
  const end = (status: 'finished' | 'failed' | 'cancelled') => {
    record.status = status;
    record.endedAt = new Date().toISOString();
    ctx.emit(status === 'finished' ? 'run:finished' : status === 'failed' ? 'run:failed' : 'run:cancelled', { runId: record.id, run: record });
  };
  const log = (message: string) => {
    const entry = { at: new Date().toISOString(), level: 'info' as const, node: 'farm', message: redact(message) };
    if (record.logs.length < MAX_LOGS) record.logs.push(entry);
    ctx.emit('run:log', { runId: record.id, ...entry });
  };
  let lastSent = 0;
  const onProgress = (progress: FarmProgress) => {
    record.farm = progress;
    record.framesDone = progress.framesDone;
    record.framesTotal = progress.framesTotal;
    if (Date.now() - lastSent < ctx.progressIntervalMs) return;
    lastSent = Date.now();
    ctx.emit('run:farm', { runId: record.id, progress });
  };
  try {
    if (signal.aborted) return end('cancelled');
    const files = await checkFiles([...graph.nodes.values()], { paths: { cwd: ctx.folders.root, models: ctx.folders.models }, confineTo: ctx.folders.root });
    const problems = redactProblems(files.problems, ctx.folders);
    if (hasErrors(problems)) {
      const first = problems.find((p) => p.severity === 'error')!;
      record.error = { kind: 'user', code: first.code, message: first.message, ...(first.node ? { node: first.node } : {}) };
      return end('failed');
    }
    ctx.emit('run:started', { runId: record.id, plan, startedAt: record.startedAt });
    const result = await submitFarmRun({
      url: farm.url,
      document: request.document,
      graph,
      segmentSeconds: farm.segmentSeconds,
      media: 'shared',
      overwrite: request.overwrite,
      protectedFolders: [ctx.folders.uploads, ctx.folders.graphs],
      cwd: ctx.folders.root,
      signal,
      onLog: log,
      onProgress,
      pollMs: Math.min(500, ctx.progressIntervalMs),
    });
    if (record.farm) {
      record.farm = { ...record.farm, framesDone: result.frames, segments: { ...record.farm.segments, done: result.segments, active: 0, waiting: 0, missing: 0 }, workers: [] };
      record.farm.segmentList = record.farm.segmentList.map((s, i) => ({ ...s, state: 'done', worker: result.rendered[i]?.worker ?? s.worker }));
      ctx.emit('run:farm', { runId: record.id, progress: record.farm });
    }
    record.framesDone = result.frames;
    record.framesTotal = Math.max(record.framesTotal ?? 0, result.frames);
    const outputs: Record<string, unknown> = { [farmShape(graph).encoderId]: { path: result.output } };
    record.results = { farm: { runId: result.runId, segments: result.segments, splitMs: result.splitMs, joinMs: result.joinMs, wallMs: result.wallMs, reattached: result.reattached } };
    record.outputs = runOutputFiles(graph, outputs, ctx.folders.root, record.id);
    end('finished');
  } catch (error) {
    if (isFramefuseError(error) && error.kind === 'cancelled') return end('cancelled');
    record.error = serializeError(error);
    delete record.error.stack;
    record.error.message = redact(record.error.message);
    if (record.error.fix) record.error.fix = redact(record.error.fix);
    end('failed');
  }
}
