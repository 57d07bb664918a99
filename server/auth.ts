/**
 * Token auth. Every server has a token: the one given (`--token`, FRAMEFUSE_TOKEN), else a
 * fresh random one per start, which `framefuse start`/`serve` print in the editor's URL
 * (Jupyter's model). The page keeps it and sends it with every request, so a page from
 * another origin, which cannot know it, can do nothing. Serving on an address other than
 * loopback needs a token chosen on purpose. Tokens are compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { userError } from '../src/errors.js';
import { ApiError } from './api-error.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Throws FF_TOKEN_REQUIRED when `host` is reachable from other machines and no token was chosen. */
export function assertBindAllowed(host: string, token: string | undefined): void {
  if (isLoopbackHost(host) || (token !== undefined && token.length > 0)) return;
  throw userError('FF_TOKEN_REQUIRED', `refusing to serve on ${host} without a token: anyone who can reach it could run graphs and read outputs`, {
    fix: `pass --token <secret> (or set FRAMEFUSE_TOKEN), or bind to 127.0.0.1`,
  });
}

/** A fresh token for one start of the server. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time comparison; hashing first makes the lengths equal too. */
export function tokenMatches(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function tokenFromHeaders(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers['authorization'];
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  const header = headers['x-framefuse-token'];
  return typeof header === 'string' ? header : undefined;
}

/**
 * Middleware for /api: every request carries the token in a header. A media element cannot
 * send headers, so reads (GET, HEAD) may carry it as `?token=`; a request that changes
 * something never may (a URL is easier to leak than a header).
 */
export function requireToken(token: string): RequestHandler {
  return (req, _res, next) => {
    const reads = req.method === 'GET' || req.method === 'HEAD';
    const given = tokenFromHeaders(req.headers) ?? (reads && typeof req.query['token'] === 'string' ? req.query['token'] : undefined);
    if (tokenMatches(given, token)) return next();
    next(new ApiError(401, 'FF_UNAUTHORIZED', 'a valid token is required: open the editor through the URL `framefuse start` printed, or send Authorization: Bearer <token>'));
  };
}
