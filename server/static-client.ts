/**
 * The built editor (client/dist) with a single-page fallback. Without a build, / says how
 * to make one rather than answering 404.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Router } from 'express';

export function clientRouter(clientDir: string | null): Router {
  const router = express.Router();
  const index = clientDir ? join(clientDir, 'index.html') : null;
  if (clientDir && existsSync(clientDir)) router.use(express.static(clientDir, { index: false, maxAge: '1h', immutable: false }));
  router.get(/^(?!\/api\/|\/socket\.io\/).*/, (_req, res) => {
    if (index && existsSync(index)) {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
      return;
    }
    res
      .status(503)
      .type('text/plain')
      .send('The editor is not built yet. Run `npm run build` (or `framefuse start`, which builds it), then reload.\nThe API is under /api.');
  });
  return router;
}
