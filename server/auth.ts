/**
 * Token auth. On a loopback address the server may run open; on any other address it
 * needs a token, given as `Authorization: Bearer <t>`, an `x-framefuse-token` header, or
 * socket.io's `auth.token`. Tokens are compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { userError } from '../src/errors.js';
import { ApiError } from './api-error.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Throws FF_TOKEN_REQUIRED when `host` is reachable from other machines and no token is set. */
export function assertBindAllowed(host: string, token: string | undefined): void {
  if (isLoopbackHost(host) || (token !== undefined && token.length > 0)) return;
  throw userError('FF_TOKEN_REQUIRED', `refusing to serve on ${host} without a token: anyone who can reach it could run graphs and read outputs`, {
    fix: `pass --token <secret> (or set FRAMEFUSE_TOKEN), or bind to 127.0.0.1`,
  });
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

/** Middleware for /api: with a token configured, every request must carry it. */
export function requireToken(token: string | undefined): RequestHandler {
  return (req, _res, next) => {
    if (token === undefined) return next();
    // A media element cannot send headers: outputs also accept ?token= (same check).
    const given = tokenFromHeaders(req.headers) ?? (typeof req.query['token'] === 'string' ? req.query['token'] : undefined);
    if (tokenMatches(given, token)) return next();
    next(new ApiError(401, 'FF_UNAUTHORIZED', 'a valid token is required (Authorization: Bearer <token>)'));
  };
}
