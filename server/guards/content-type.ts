/**
 * Request bodies must say what they are: JSON routes take `application/json` only, the
 * upload route takes the file's own type (video/*, image/*, application/octet-stream).
 * The types a cross-site form can send without asking first (text/plain, form encodings)
 * are never accepted, so no page can start a run or an upload by posting a form.
 */
import type { RequestHandler } from 'express';
import { ApiError } from '../api-error.js';

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}

export function requireContentType(uploadPath: string): RequestHandler {
  return (req, _res, next) => {
    if (!CHANGES.has(req.method)) return next();
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (req.path === uploadPath) {
      if (type === 'application/octet-stream' || /^(video|image)\/[a-z0-9.+-]+$/.test(type)) return next();
      return next(new ApiError(415, 'FF_CONTENT_TYPE', `an upload is sent as the file's own type (video/*, image/*) or application/octet-stream, not "${type || 'none'}"`));
    }
    if (type === 'application/json' || (type === '' && !hasBody(req.headers))) return next();
    next(new ApiError(415, 'FF_CONTENT_TYPE', `send JSON with Content-Type: application/json, not "${type || 'none'}"`));
  };
}
