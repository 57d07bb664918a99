/**
 * Models: GET /api/models lists the manifest's models and whether each is present;
 * POST /api/models/:id/pull starts a download (202) whose progress goes out on the socket
 * as model:progress, then model:pulled or model:failed.
 */
import { Router } from 'express';
import { findModel, loadManifest } from '../../src/models/manifest.js';
import { listModels } from '../../src/models/list.js';
import { manifestPath } from '../../src/models/paths.js';
import { pullModel } from '../../src/models/pull.js';
import { serializeError } from '../../src/errors.js';
import { ApiError, notFound } from '../api-error.js';
import type { ServerContext } from '../server-context.js';

export function modelsRouter(ctx: ServerContext): Router {
  const router = Router();
  const dir = ctx.folders.models;
  const pulling = new Map<string, AbortController>();

  router.get('/models', async (_req, res) => {
    const manifest = await loadManifest(manifestPath(dir));
    const models = await listModels(manifest, dir);
    res.json({
      models: models.map((m) => ({ ...m, title: findModel(manifest, m.id)?.title ?? m.id, downloadable: (findModel(manifest, m.id)?.urls.length ?? 0) > 0, pulling: pulling.has(m.id) })),
    });
  });

  router.post('/models/:id/pull', async (req, res) => {
    const manifest = await loadManifest(manifestPath(dir));
    const entry = findModel(manifest, req.params.id);
    if (!entry) throw notFound(`model ${req.params.id}`);
    if (pulling.has(entry.id)) throw new ApiError(409, 'FF_BUSY', `model ${entry.id} is already being pulled`);
    const controller = new AbortController();
    pulling.set(entry.id, controller);
    let lastSent = 0;
    pullModel(entry, dir, {
      signal: controller.signal,
      onProgress: (p) => {
        const now = Date.now();
        if (now - lastSent < 250 && p.received !== p.total) return; // a few updates a second is plenty
        lastSent = now;
        ctx.broadcast('model:progress', { id: entry.id, received: p.received, total: p.total });
      },
      onMessage: (message) => ctx.broadcast('model:message', { id: entry.id, message }),
    })
      .then((result) => ctx.broadcast('model:pulled', { id: entry.id, status: result.status }))
      .catch((error: unknown) => ctx.broadcast('model:failed', { id: entry.id, error: serializeError(error) }))
      .finally(() => pulling.delete(entry.id));
    res.status(202).json({ id: entry.id, pulling: true });
  });

  return router;
}
