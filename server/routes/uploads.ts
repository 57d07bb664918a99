/**
 * Uploads: POST /api/uploads?name=clip.mp4 with the file as the raw request body. Each
 * request streams into a partial file of its own (never held in memory, cut off at the
 * size limit), its content must decode as its extension says (a video probes, an image
 * decodes), and it is then moved to a free name: `clip.mp4`, else `clip-1.mp4`, ... taken
 * atomically, so uploads of one name at the same moment each keep their own file. The
 * answer's `path` is relative to the data folder: what a Decoder's `path` parameter takes.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { z } from 'zod';
import { resolveInside } from '../../src/files/confined-path.js';
import { moveToFreeName } from '../../src/files/free-name.js';
import { partFileFor, trackPartFile, untrackPartFile } from '../../src/files/part-files.js';
import { ApiError, notFound } from '../api-error.js';
import { parseRequest } from '../parse-body.js';
import { checkUploadContent } from '../upload-content.js';
import { ALLOWED_UPLOAD_EXTENSIONS, sanitizeFileName, uploadKind } from '../upload-types.js';
import type { ServerContext } from '../server-context.js';

const zUploadQuery = z.object({ name: z.string().min(1).max(255) });

function limitBytes(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > max) done(new ApiError(413, 'FF_TOO_LARGE', `the upload is larger than the limit of ${max} bytes`));
      else done(null, chunk);
    },
  });
}

export function uploadsRouter(ctx: ServerContext): Router {
  const router = Router();
  const dir = ctx.folders.uploads;
  const max = ctx.limits.uploadBytes;

  router.post('/uploads', async (req, res) => {
    const { name: given } = parseRequest(zUploadQuery, req.query, 'query');
    const safe = sanitizeFileName(given);
    const kind = uploadKind(safe);
    if (!kind) throw new ApiError(415, 'FF_UNSUPPORTED_TYPE', `cannot upload "${safe}": allowed types are ${ALLOWED_UPLOAD_EXTENSIONS.join(', ')}`);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      // Do not read a body we refuse: answer, and close the connection after the answer.
      res.setHeader('Connection', 'close');
      throw new ApiError(413, 'FF_TOO_LARGE', `the upload (${declared} bytes) is larger than the limit of ${max} bytes`);
    }
    const target = resolveInside(dir, safe);
    const part = partFileFor(target);
    trackPartFile(part);
    try {
      await pipeline(req, limitBytes(max), createWriteStream(part, { flags: 'wx' }));
      const size = (await stat(part)).size;
      if (size === 0) throw new ApiError(400, 'FF_EMPTY_FILE', `"${safe}" is empty`);
      await checkUploadContent(part, kind, safe);
      const name = basename(await moveToFreeName(part, target));
      res.status(201).json({ name, kind, size, path: `uploads/${name}` });
    } catch (error) {
      await rm(part, { force: true });
      // The body may be half read: the connection cannot be reused for another request.
      res.setHeader('Connection', 'close');
      throw error;
    } finally {
      untrackPartFile(part);
    }
  });

  router.get('/uploads', async (_req, res) => {
    // Names starting with a dot are uploads still arriving (partial files).
    const names = (await readdir(dir)).filter((n) => !n.startsWith('.') && uploadKind(n) !== null).sort();
    const files = await Promise.all(
      names.map(async (name) => {
        const info = await stat(join(dir, name));
        return { name, kind: uploadKind(name), size: info.size, modified: info.mtime.toISOString(), path: `uploads/${name}` };
      }),
    );
    res.json({ uploads: files });
  });

  router.get('/uploads/:name', (req, res, next) => {
    const path = resolveInside(dir, req.params.name);
    if (!existsSync(path)) throw notFound(`upload ${req.params.name}`);
    res.sendFile(path, { dotfiles: 'allow' }, (error) => {
      if (error && !res.headersSent) next(error);
    });
  });

  return router;
}
