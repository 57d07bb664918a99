/**
 * Runs one queued graph: validate again (files may have gone since it was queued), add the
 * preview tap, run the plan, and turn the scheduler's events into socket events. Whatever
 * happens, the record ends finished, failed or cancelled, and its event is sent.
 */
import { hasErrors } from '../../src/model/problem.js';
import { isFramefuseError, serializeError } from '../../src/errors.js';
import { prepareGraph } from '../../src/run/prepare-graph.js';
import { runPlan } from '../../src/run/run-plan.js';
import type { GraphDocument } from '../../src/model/document.js';
import type { NodeRegistry } from '../../src/node-api/registry.js';
import type { ProviderChoice } from '../../src/model/providers.js';
import { serverProviders } from '../check-graph.js';
import type { Plan } from '../../src/model/plan.js';
import type { DataFolders } from '../data-folders.js';
import { downscaleFrame } from '../preview/downscale.js';
import { encodeJpeg } from '../preview/jpeg-encode.js';
import { jsonSafe, runOutputFiles } from './output-files.js';
import { redactPaths, redactProblems } from '../redact-paths.js';
import type { RunRequest } from '../server-context.js';
import { visibleMetrics, visiblePlan } from './plan-view.js';
import { addPreviewTap, previewSource, registerPreviewSink } from './preview-tap.js';
import type { RunEventEmitter } from '../../src/model/run-events.js';
import type { RunRecord } from '../../src/model/run-record.js';

export interface ExecuteRunContext {
  /** Registry with the preview tap added. */
  registry: NodeRegistry;
  folders: DataFolders;
  providers: ProviderChoice[] | undefined;
  emit: RunEventEmitter;
  progressIntervalMs: number;
  previewIntervalMs: number;
  previewWidth: number;
}

const MAX_LOGS = 500;

export async function executeRun(record: RunRecord, request: RunRequest, signal: AbortSignal, ctx: ExecuteRunContext): Promise<void> {
  const { document } = request;
  const startedMs = Date.now();
  const redact = (text: string) => redactPaths(text, ctx.folders);
  record.status = 'running';
  record.startedAt = new Date(startedMs).toISOString();
  const source = previewSource(document, ctx.registry);
  const doc = source ? addPreviewTap(document, source, record.id) : document;
  let tapPlan: Plan | null = null;
  const unregister = registerPreviewSink(
    record.id,
    (frame, index) => {
      const small = downscaleFrame(frame, ctx.previewWidth);
      ctx.emit('run:preview', { runId: record.id, frame: index, width: small.width, height: small.height, mime: 'image/jpeg', data: encodeJpeg(small, 72) });
    },
    ctx.previewIntervalMs,
  );
  const end = (status: 'finished' | 'failed' | 'cancelled') => {
    record.status = status;
    record.endedAt = new Date().toISOString();
    ctx.emit(status === 'finished' ? 'run:finished' : status === 'failed' ? 'run:failed' : 'run:cancelled', { runId: record.id, run: record });
  };
  try {
    if (signal.aborted) return end('cancelled');
    // Validated again, sandbox included: a file may have become a link out since it was queued.
    const prepared = await prepareGraph(doc, ctx.registry, { ...serverProviders(ctx.providers, doc), cwd: ctx.folders.root, confineTo: ctx.folders.root });
    const problems = redactProblems(prepared.problems, ctx.folders);
    record.warnings = problems.filter((p) => p.severity === 'warning');
    if (!prepared.graph || !prepared.plan || hasErrors(problems)) {
      const first = problems.find((p) => p.severity === 'error');
      record.error = { kind: 'user', code: first?.code ?? 'FF_INVALID_GRAPH', message: first?.message ?? 'the graph is not valid', ...(first?.node ? { node: first.node } : {}) };
      return end('failed');
    }
    tapPlan = prepared.plan;
    const plan = tapPlan;
    const graph = prepared.graph;
    const result = await runPlan(graph, plan, {
      signal,
      paths: { cwd: ctx.folders.root, models: ctx.folders.models },
      // Never over an upload (nor a saved graph), even when the request says overwrite.
      overwrite: request.overwrite,
      protectedFolders: [ctx.folders.uploads, ctx.folders.graphs],
      progressIntervalMs: ctx.progressIntervalMs,
      onEvent: (event) => {
        switch (event.type) {
          case 'started':
            record.plan = visiblePlan(event.plan);
            ctx.emit('run:started', { runId: record.id, plan: record.plan, startedAt: record.startedAt! });
            break;
          case 'progress':
            record.framesDone = event.framesDone;
            record.framesTotal = event.framesTotal;
            record.metrics = visibleMetrics(event.metrics, plan);
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
            record.metrics = visibleMetrics(event.metrics, plan);
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
    unregister();
  }
}
