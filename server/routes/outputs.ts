/**
 * Outputs: GET /api/outputs lists the files in the outputs folder; GET /api/outputs/<path>
 * streams one with range requests, so a video plays and seeks in the page.
 */
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Router } from 'express';
import { notFound } from '../api-error.js';
import { resolveInside } from '../../src/files/confined-path.js';
import type { ServerContext } from '../server-context.js';

async function walk(dir: string, depth = 0): Promise<string[]> {
  if (depth > 3) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (e) => {
      if (e.name.startsWith('.')) return [];
      const path = join(dir, e.name);
      if (e.isDirectory()) return walk(path, depth + 1);
      return e.isFile() ? [path] : [];
    }),
  );
  return nested.flat();
}

export function outputsRouter(ctx: ServerContext): Router {
  const router = Router();
  const dir = ctx.folders.outputs;

  router.get('/outputs', async (_req, res) => {
    const files = await Promise.all(
      (await walk(dir)).map(async (path) => {
        const info = await stat(path);
        const rel = relative(dir, path).split('\\').join('/');
        // dataPath: the file relative to the data folder (what /api/embedded-graph takes).
        const dataPath = relative(ctx.folders.root, path).split('\\').join('/');
        return { path: rel, dataPath, size: info.size, modified: info.mtime.toISOString(), url: `/api/outputs/${rel.split('/').map(encodeURIComponent).join('/')}` };
      }),
    );
    files.sort((a, b) => b.modified.localeCompare(a.modified));
    res.json({ outputs: files });
  });

  router.get('/outputs/*path', (req, res, next) => {
    const segments = (req.params as { path: string[] }).path;
    const path = resolveInside(dir, segments.join('/'));
    if (!existsSync(path)) throw notFound(`output ${segments.join('/')}`);
    if (req.query['download'] !== undefined) res.attachment(segments[segments.length - 1]!);
    res.sendFile(path, { dotfiles: 'allow', acceptRanges: true }, (error) => {
      if (error && !res.headersSent) next(notFound('output file'));
    });
  });

  return router;
}
