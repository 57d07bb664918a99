/**
 * The file browser's API: GET /api/files lists the videos and images in the data folders
 * a graph reads from (uploads/, samples/ when the data folder has one, outputs/), with a
 * video's duration; GET /api/files/thumbnail?path=<data-folder path> answers a small JPEG
 * (an image scaled down; a video's poster frame, a second in or its first frame) made by
 * ffmpeg on the server and cached under `.thumbnails/` in the data folder, keyed by the
 * file's path, size and time, so a changed file gets a new one. Paths are confined to the
 * data folder and to those folders.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { readdir, rename, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { spawn } from 'node:child_process';
import { Router } from 'express';
import { z } from 'zod';
import { resolveInside } from '../../src/files/confined-path.js';
import { getTools } from '../../src/media/ffmpeg-tools.js';
import { probeMedia } from '../../src/media/probe.js';
import { ApiError, notFound } from '../api-error.js';
import { parseRequest } from '../parse-body.js';
import { uploadKind } from '../upload-types.js';
import type { ServerContext } from '../server-context.js';

const zThumbQuery = z.object({ path: z.string().min(1).max(1024) });
const THUMB_WIDTH = 160;

interface FileEntry {
  folder: string;
  path: string;
  kind: 'video' | 'image';
  size: number;
  modified: string;
  /** Seconds, for a video that probes; null otherwise. */
  duration: number | null;
  thumbnail: string;
}

export function filesRouter(ctx: ServerContext): Router {
  const router = Router();
  const root = ctx.folders.root;
  const cacheDir = join(root, '.thumbnails');
  const folders = () => [ctx.folders.uploads, resolve(root, 'samples'), ctx.folders.outputs].filter((dir) => existsSync(dir));
  const durations = new Map<string, number | null>();

  const durationOf = async (file: string, key: string): Promise<number | null> => {
    if (!durations.has(key)) {
      const info = await probeMedia(file).catch(() => null);
      durations.set(key, info?.duration ?? null);
    }
    return durations.get(key) ?? null;
  };

  router.get('/files', async (_req, res) => {
    const files: FileEntry[] = [];
    for (const dir of folders()) {
      const folder = relative(root, dir).split('\\').join('/');
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const kind = entry.isFile() && !entry.name.startsWith('.') ? uploadKind(entry.name) : null;
        if (!kind) continue;
        const file = join(dir, entry.name);
        const info = statSync(file);
        const path = `${folder}/${entry.name}`;
        files.push({
          folder,
          path,
          kind,
          size: info.size,
          modified: info.mtime.toISOString(),
          duration: kind === 'video' ? await durationOf(file, `${path}:${info.size}:${info.mtimeMs}`) : null,
          thumbnail: `/api/files/thumbnail?path=${encodeURIComponent(path)}`,
        });
      }
    }
    res.json({ files });
  });

  router.get('/files/thumbnail', async (req, res) => {
    const { path } = parseRequest(zThumbQuery, req.query, 'query');
    const file = resolveInside(root, path);
    if (!folders().some((dir) => file.startsWith(`${dir}/`))) throw new ApiError(403, 'FF_PATH_OUTSIDE', `${path} is not in uploads/, samples/ or outputs/`);
    const info = statSync(file, { throwIfNoEntry: false });
    const kind = uploadKind(file);
    if (!info?.isFile() || !kind) throw notFound(`media file ${path}`);
    const key = createHash('sha256').update(`${path}\0${info.size}\0${info.mtimeMs}`).digest('hex').slice(0, 32);
    const thumb = join(cacheDir, `${key}.jpg`);
    if (!existsSync(thumb)) {
      mkdirSync(cacheDir, { recursive: true });
      const part = `${thumb}.${process.pid}.${Date.now()}.part`;
      try {
        // A second in is a better poster than a black first frame; a shorter video falls back to its first frame.
        if (kind === 'video' && !(await makeThumbnail(file, part, 1))) await makeThumbnail(file, part, 0);
        if (kind === 'image') await makeThumbnail(file, part, null);
        if (!existsSync(part)) throw new ApiError(422, 'FF_THUMBNAIL_FAILED', `ffmpeg could not make a thumbnail of ${path}`);
        await rename(part, thumb);
      } finally {
        await rm(part, { force: true });
      }
    }
    res.setHeader('Cache-Control', 'private, max-age=3600');
    res.sendFile(thumb, { dotfiles: 'allow' });
  });
  return router;
}

/** One JPEG frame, THUMB_WIDTH wide, at `seconds` (null: a still image); true when ffmpeg wrote it. */
function makeThumbnail(input: string, output: string, seconds: number | null): Promise<boolean> {
  const args = ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...(seconds ? ['-ss', String(seconds)] : []), '-i', input, '-frames:v', '1', '-vf', `scale=${THUMB_WIDTH}:-2`, '-q:v', '5', '-f', 'mjpeg', output];
  return new Promise((done) => {
    const child = spawn(getTools().ffmpeg.path, args, { stdio: 'ignore' });
    child.once('error', () => done(false));
    child.once('close', (code) => done(code === 0 && existsSync(output) && statSync(output).size > 0));
  });
}
