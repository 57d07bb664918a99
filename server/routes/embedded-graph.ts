/**
 * GET /api/embedded-graph?path=<file in the data folder>: the graph an output carries (the
 * Encoder's `framefuse_graph` tag, src/media/graph-tag.ts), checked as a graph document.
 * The editor asks it for a dropped file (after uploading it) and for the outputs gallery.
 * The path is confined to the data folder; a file without a graph is a 404 that says so.
 */
import { statSync } from 'node:fs';
import { Router } from 'express';
import { z } from 'zod';
import { resolveInside } from '../../src/files/confined-path.js';
import { readEmbeddedGraph } from '../../src/media/graph-tag.js';
import { parseGraphText } from '../../src/model/parse-document.js';
import { uploadKind } from '../upload-types.js';
import { ApiError, notFound } from '../api-error.js';
import { parseRequest } from '../parse-body.js';
import type { ServerContext } from '../server-context.js';

const zQuery = z.object({ path: z.string().min(1).max(1024) });

export function embeddedGraphRouter(ctx: ServerContext): Router {
  const router = Router();
  router.get('/embedded-graph', async (req, res) => {
    const { path } = parseRequest(zQuery, req.query, 'query');
    const file = resolveInside(ctx.folders.root, path);
    if (!statSync(file, { throwIfNoEntry: false })?.isFile()) throw notFound(`file ${path}`);
    if (uploadKind(file) !== 'video') throw new ApiError(404, 'FF_NO_EMBEDDED_GRAPH', `${path} is not a video; only video outputs carry their graph`);
    const json = await readEmbeddedGraph(file).catch(() => null);
    if (json === null) throw new ApiError(404, 'FF_NO_EMBEDDED_GRAPH', `${path} has no embedded graph (only outputs a framefuse Encoder wrote carry one)`);
    const { document, problems } = parseGraphText(json);
    if (!document) throw new ApiError(422, 'FF_NO_EMBEDDED_GRAPH', `${path} carries a graph that is not valid: ${problems[0]?.message ?? 'unreadable'}`);
    res.json({ document });
  });
  return router;
}
