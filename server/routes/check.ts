/**
 * POST /api/validate: every problem at once (200 whether or not the graph is valid, so the
 * editor can outline nodes as you edit), with the plan when it is valid.
 * POST /api/plan: the plan, or 422 FF_INVALID_GRAPH with the problems.
 */
import { Router } from 'express';
import { z } from 'zod';
import { ApiError } from '../api-error.js';
import { checkGraph } from '../check-graph.js';
import { parseRequest } from '../parse-body.js';
import type { ServerContext } from '../server-context.js';

const zCheckBody = z.object({ graph: z.unknown() });

export function checkRouter(ctx: ServerContext): Router {
  const router = Router();

  router.post('/validate', async (req, res) => {
    const { graph } = parseRequest(zCheckBody, req.body);
    const check = await checkGraph(ctx, graph);
    res.json({ valid: check.valid, problems: check.problems, plan: check.plan, migrated: check.migrated });
  });

  router.post('/plan', async (req, res) => {
    const { graph } = parseRequest(zCheckBody, req.body);
    const check = await checkGraph(ctx, graph);
    if (!check.plan) throw new ApiError(422, 'FF_INVALID_GRAPH', 'the graph has problems; fix them to get a plan', { problems: check.problems });
    res.json({ plan: check.plan, problems: check.problems });
  });

  return router;
}
