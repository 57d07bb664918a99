/** GET /api/info: what the editor needs to start: version, folders (relative), limits, the default graph. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Router } from 'express';
import type { ServerContext } from '../server-context.js';
import { GRAPH_LIMITS } from '../../src/model/graph-limits.js';

/** The graph `start` opens: anonymize, else transcode, else the first graph. */
export function defaultGraphName(graphsDir: string): string | null {
  for (const name of ['anonymize.json', 'transcode.json']) if (existsSync(join(graphsDir, name))) return name;
  const first = readdirSync(graphsDir)
    .filter((n) => n.endsWith('.json') && n !== 'graph.schema.json')
    .sort()[0];
  return first ?? null;
}

export function infoRouter(ctx: ServerContext): Router {
  const router = Router();
  router.get('/info', (_req, res) => {
    res.json({
      name: 'framefuse',
      providers: ctx.providers,
      defaultGraph: defaultGraphName(ctx.folders.graphs),
      limits: { uploadBytes: ctx.limits.uploadBytes, jsonBytes: ctx.limits.jsonBytes, waitingRuns: ctx.limits.waitingRuns, graphNodes: GRAPH_LIMITS.nodes, graphEdges: GRAPH_LIMITS.edges, nesting: GRAPH_LIMITS.depth },
      nodeTypes: ctx.registry.types().length,
    });
  });
  return router;
}
