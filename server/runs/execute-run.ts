/**
 * Runs one queued graph: validate again (files may have gone since it was queued), add the
 * preview tap, run the plan, and turn the scheduler's events into socket events. Whatever
 * happens, the record ends finished, failed or cancelled, and its event is sent.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { hasErrors } from '../../src/graph/problem.js';
import { isFramefuseError, serializeError } from '../../src/errors.js';
import { prepareGraph } from '../../src/run/prepare-graph.js';
import { runPlan } from '../../src/run/run-plan.js';
import type { GraphDocument } from '../../src/graph/document.js';
import type { NodeRegistry } from '../../src/nodes/registry.js';
import type { ProviderChoice } from '../../src/runtime/providers.js';
import { serverProviders } from '../check-graph.js';
import type { Plan } from '../../src/plan/plan-types.js';
import type { DataFolders } from '../data-folders.js';
import { downscaleFrame } from '../preview/downscale.js';
import { encodeJpeg } from '../preview/jpeg-encode.js';
import { findOutputFiles, jsonSafe } from './output-files.js';
import { visibleMetrics, visiblePlan } from './plan-view.js';
import { addPreviewTap, previewSource, registerPreviewSink } from './preview-tap.js';
import type { RunEventEmitter, RunRecord } from './run-record.js';

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

/** Files named by the path params of sink nodes, written during the run: a fallback when a node's result names no file. */
function sinkParamFiles(doc: GraphDocument, registry: NodeRegistry, root: string, since: number): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  for (const node of doc.nodes) {
    const def = registry.get(node.type)?.definition;
    const path = node.params?.['path'];
    if (!def || Object.keys(def.outputs).length > 0 || typeof path !== 'string') continue;
    const stat = statSync(resolve(root, path), { throwIfNoEntry: false });
    if (stat?.isFile() && stat.mtimeMs >= since - 1000) found[node.id] = { path };
  }
  return found;
}

export async function executeRun(record: RunRecord, document: GraphDocument, signal: AbortSignal, ctx: ExecuteRunContext): Promise<void> {
  const startedMs = Date.now();
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
    const prepared = await prepareGraph(doc, ctx.registry, { ...serverProviders(ctx.providers, doc), cwd: ctx.folders.root });
    record.warnings = prepared.problems.filter((p) => p.severity === 'warning');
    if (!prepared.graph || !prepared.plan || hasErrors(prepared.problems)) {
      const first = prepared.problems.find((p) => p.severity === 'error');
      record.error = { kind: 'user', code: first?.code ?? 'FF_INVALID_GRAPH', message: first?.message ?? 'the graph is not valid', ...(first?.node ? { node: first.node } : {}) };
      return end('failed');
    }
    tapPlan = prepared.plan;
    const plan = tapPlan;
    const result = await runPlan(prepared.graph, plan, {
      signal,
      paths: { cwd: ctx.folders.root, models: ctx.folders.models },
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
            const entry = { at: new Date().toISOString(), level: event.level, node: event.node, message: event.message };
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
    record.results = jsonSafe(result.outputs);
    record.outputs = findOutputFiles(result.outputs, ctx.folders.root, record.id);
    if (record.outputs.length === 0) record.outputs = findOutputFiles(sinkParamFiles(document, ctx.registry, ctx.folders.root, startedMs), ctx.folders.root, record.id);
    end('finished');
  } catch (error) {
    if (isFramefuseError(error) && error.kind === 'cancelled') return end('cancelled');
    record.error = serializeError(error);
    delete record.error.stack;
    end('failed');
  } finally {
    unregister();
  }
}
