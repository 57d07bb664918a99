/**
 * Runs one queued graph on the graph and plan validation made when it was queued (one
 * validate and plan per run): check its files again (a file may have gone, or become a
 * link out of the data folder, while it waited), run the plan with a preview tap, and turn
 * the scheduler's events into socket events. Whatever happens, the record ends finished,
 * failed or cancelled, and its event is sent.
 */
import { hasErrors } from '../../src/model/problem.js';
import { checkFiles } from '../../src/graph/check-files.js';
import { isFramefuseError, serializeError } from '../../src/errors.js';
import { runPlan } from '../../src/run/run-plan.js';
import type { DataFolders } from '../data-folders.js';
import { downscaleFrame } from '../preview/downscale.js';
import { encodeJpeg } from '../preview/jpeg-encode.js';
import { jsonSafe, runOutputFiles } from './output-files.js';
import { redactPaths, redactProblems } from '../redact-paths.js';
import type { RunRequest } from './run-queue.js';
import { previewPort, previewTap } from './preview.js';
import type { RunEventEmitter } from '../../src/model/run-events.js';
import type { RunRecord } from '../../src/model/run-record.js';
import type { LiveSessions } from '../live/live-sessions.js';

export interface ExecuteRunContext {
  folders: DataFolders;
  emit: RunEventEmitter;
  progressIntervalMs: number;
  previewIntervalMs: number;
  previewWidth: number;
  /** Browser cameras, LiveView senders and parameter edits of latency-first runs. */
  live?: LiveSessions;
}

const MAX_LOGS = 500;

export async function executeRun(record: RunRecord, request: RunRequest, signal: AbortSignal, ctx: ExecuteRunContext): Promise<void> {
  const { graph, plan } = request;
  const startedMs = Date.now();
  const redact = (text: string) => redactPaths(text, ctx.folders);
  record.status = 'running';
  record.startedAt = new Date(startedMs).toISOString();
  const port = previewPort(graph);
  const taps = port
    ? [
        previewTap(port, ctx.previewIntervalMs, (frame, index) => {
          const small = downscaleFrame(frame, ctx.previewWidth);
          ctx.emit('run:preview', { runId: record.id, frame: index, width: small.width, height: small.height, mime: 'image/jpeg', data: encodeJpeg(small, 72) });
        }),
      ]
    : [];
  const end = (status: 'finished' | 'failed' | 'cancelled') => {
    record.status = status;
    record.endedAt = new Date().toISOString();
    ctx.emit(status === 'finished' ? 'run:finished' : status === 'failed' ? 'run:failed' : 'run:cancelled', { runId: record.id, run: record });
  };
  let session: ReturnType<LiveSessions['open']> | null = null;
  try {
    if (signal.aborted) return end('cancelled');
    // The files again, sandbox included: a file may have become a link out since it was queued.
    const files = await checkFiles([...graph.nodes.values()], { paths: { cwd: ctx.folders.root, models: ctx.folders.models }, confineTo: ctx.folders.root });
    const problems = redactProblems(files.problems, ctx.folders);
    if (hasErrors(problems)) {
      const first = problems.find((p) => p.severity === 'error')!;
      record.error = { kind: 'user', code: first.code, message: first.message, ...(first.node ? { node: first.node } : {}) };
      return end('failed');
    }
    session = plan.mode === 'latency' && ctx.live ? ctx.live.open(record.id, graph, request.page) : null;
    const result = await runPlan(graph, plan, {
      ...(session ? { live: session.live, control: session.control } : {}),
      signal,
      paths: { cwd: ctx.folders.root, models: ctx.folders.models },
      // Never over an upload (nor a saved graph), even when the request says overwrite.
      overwrite: request.overwrite,
      protectedFolders: [ctx.folders.uploads, ctx.folders.graphs],
      progressIntervalMs: ctx.progressIntervalMs,
      taps,
      onEvent: (event) => {
        switch (event.type) {
          case 'started':
            record.plan = event.plan;
            ctx.emit('run:started', { runId: record.id, plan: record.plan, startedAt: record.startedAt! });
            break;
          case 'progress':
            record.framesDone = event.framesDone;
            record.framesTotal = event.framesTotal;
            record.metrics = event.metrics;
            ctx.emit('run:progress', { runId: record.id, framesDone: event.framesDone, framesTotal: event.framesTotal, metrics: record.metrics });
            break;
          case 'log': {
            const entry = { at: new Date().toISOString(), level: event.level, node: event.node, message: redact(event.message) };
            if (record.logs.length < MAX_LOGS) record.logs.push(entry);
            ctx.emit('run:log', { runId: record.id, ...entry });
            break;
          }
          case 'finished':
          case 'failed':
          case 'cancelled':
            record.metrics = event.metrics;
            break;
        }
      },
    });
    record.framesDone = result.metrics.frames;
    if (record.framesTotal === null || record.framesTotal < record.framesDone) record.framesTotal = record.framesDone;
    record.results = JSON.parse(redact(JSON.stringify(jsonSafe(result.outputs)))) as Record<string, unknown>;
    record.outputs = runOutputFiles(graph, result.outputs, ctx.folders.root, record.id);
    end('finished');
  } catch (error) {
    if (isFramefuseError(error) && error.kind === 'cancelled') return end('cancelled');
    record.error = serializeError(error);
    delete record.error.stack;
    record.error.message = redact(record.error.message);
    if (record.error.fix) record.error.fix = redact(record.error.fix);
    end('failed');
  } finally {
    session?.close();
  }
}
