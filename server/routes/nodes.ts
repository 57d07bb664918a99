/** GET /api/nodes: the node catalog, generated from the node definitions (one source of truth). */
import { Router } from 'express';
import type { ServerContext } from '../server-context.js';

export function nodesRouter(ctx: ServerContext): Router {
  const router = Router();
  router.get('/nodes', (_req, res) => {
    res.json(ctx.catalog);
  });
  return router;
}
