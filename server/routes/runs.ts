/**
 * Runs: POST /api/runs queues a graph (posted, or a file from the graphs folder) after
 * validating it; GET lists and reads runs; POST /api/runs/:id/cancel cancels; GET
 * /api/runs/:id/outputs/:n streams an output file with range support.
 */
import { checkCameraPolicy } from '../live/camera-policy.js';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Router } from 'express';
import { z } from 'zod';
import { ApiError, notFound } from '../api-error.js';
import { checkGraph } from '../check-graph.js';
import { graphFile } from '../graph-names.js';
import { parseRequest } from '../parse-body.js';
import { resolveInside } from '../../src/files/confined-path.js';
import { parseProviderChoice } from '../../src/runtime/providers.js';
import type { RunRecord } from '../../src/model/run-record.js';
import type { ServerContext } from '../server-context.js';

const zRunBody = z
  .object({
    graph: z.unknown().optional(),
    file: z.string().optional(),
    /** Run options: providers in order, or ["auto"]; replaces the graph's own for this run. */
    providers: z.array(z.string()).max(8).optional(),
    /** Replace existing outputs instead of writing to the next free name; never an upload or an input of the run. */
    overwrite: z.boolean().default(false),
    /** The socket.io id of the page that feeds the run's browser Camera: it owns the run, and its disconnect cancels it. */
    page: z.string().min(1).max(64).optional(),
  })
  .refine((b) => (b.graph === undefined) !== (b.file === undefined), 'give either "graph" (a document) or "file" (a graph in the graphs folder)');

export function newRunRecord(graphName: string, file: string | null): RunRecord {
  return {
    id: randomUUID(),
    graphName,
    file,
    status: 'queued',
    createdAt: new Date().toISOString(),
    startedAt: null,
    endedAt: null,
    queuePosition: null,
    framesDone: 0,
    framesTotal: null,
    plan: null,
    metrics: null,
    warnings: [],
    logs: [],
    outputs: [],
    results: {},
    error: null,
  };
}

export function runsRouter(ctx: ServerContext): Router {
  const router = Router();

  router.post('/runs', async (req, res) => {
    const body = parseRequest(zRunBody, req.body);
    const full = () => {
      if (!ctx.runs.isFull()) return;
      res.setHeader('Retry-After', '30');
      throw new ApiError(429, 'FF_QUEUE_FULL', `the run queue is full (${ctx.runs.waitingCount} runs are waiting, at most ${ctx.runs.maxWaiting} may): wait for a run to finish, or cancel one, then try again`);
    };
    full(); // before the work of reading and validating

    let json = body.graph;
    let file: string | null = null;
    if (body.file !== undefined) {
      const target = graphFile(ctx.folders.graphs, body.file);
      if (!existsSync(target.path)) throw notFound(`graph ${target.name}`);
      try {
        json = JSON.parse(await readFile(target.path, 'utf8')) as unknown;
      } catch (error) {
        throw new ApiError(422, 'FF_JSON_SYNTAX', `${target.name}: ${(error as Error).message}`);
      }
      file = target.name;
    }
    if (body.providers !== undefined) {
      const providers = parseProviderChoice(body.providers, 'providers');
      if (json && typeof json === 'object') json = { ...(json as object), providers };
    }
    const check = await checkGraph(ctx, json);
    if (!check.valid || !check.document || !check.graph || !check.plan) {
      throw new ApiError(422, 'FF_INVALID_GRAPH', 'the graph has problems; fix them before running it', { problems: check.problems });
    }
    checkCameraPolicy(check.graph, ctx.camera, req.socket.remoteAddress);
    full(); // again: other runs may have been queued while this one was validated
    const record = newRunRecord(check.document.name, file);
    record.warnings = check.problems.filter((p) => p.severity === 'warning');
    ctx.runs.add(record, { document: check.document, graph: check.graph, plan: check.plan, overwrite: body.overwrite, ...(body.page !== undefined ? { page: body.page } : {}) });
    res.status(202).json({ run: record });
  });

  router.get('/runs', (_req, res) => {
    res.json({ runs: ctx.runs.list() });
  });

  router.get('/runs/:id/graph', (req, res) => {
    const document = ctx.runs.graphOf(req.params.id);
    if (!document) throw notFound(`the graph of run ${req.params.id}`);
    res.json({ document });
  });

  router.get('/runs/:id', (req, res) => {
    const run = ctx.runs.get(req.params.id);
    if (!run) throw notFound(`run ${req.params.id}`);
    res.json({ run });
  });

  const cancel = (id: string) => {
    const run = ctx.runs.get(id);
    if (!run) throw notFound(`run ${id}`);
    if (run.status !== 'queued' && run.status !== 'running') {
      throw new ApiError(409, 'FF_RUN_OVER', `run ${id} has already ${run.status === 'finished' ? 'finished' : run.status}`);
    }
    ctx.runs.cancel(id);
    return run;
  };
  router.post('/runs/:id/cancel', (req, res) => {
    res.status(202).json({ run: cancel(req.params.id) });
  });
  router.delete('/runs/:id', (req, res) => {
    res.status(202).json({ run: cancel(req.params.id) });
  });

  router.get('/runs/:id/outputs/:index', (req, res, next) => {
    const run = ctx.runs.get(req.params.id);
    const output = run?.outputs[Number(req.params.index)];
    if (!run || !output) throw notFound('output');
    const path = resolveInside(ctx.folders.root, output.path);
    if (req.query['download'] !== undefined) res.attachment(output.path.split('/').pop()!);
    res.sendFile(path, { dotfiles: 'allow', acceptRanges: true }, (error) => {
      if (error && !res.headersSent) next(notFound('output file'));
    });
  });

  return router;
}
