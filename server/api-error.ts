/**
 * Errors as the API answers them: JSON `{ error: { code, message, ... } }` with the same
 * stable codes the CLI prints, and an HTTP status that says whose fault it was.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isFramefuseError, serializeError } from '../src/errors.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra fields for the body (validation problems, zod issues). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function notFound(what: string): ApiError {
  return new ApiError(404, 'FF_NOT_FOUND', `${what} not found`);
}

/** Unknown /api routes answer JSON, not express's HTML page. */
export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'FF_NOT_FOUND', `no such endpoint: ${req.method} ${req.originalUrl}`));
};

/**
 * The last middleware: every thrown error becomes a JSON body. A bug is logged, never leaked
 * as a stack; `redact` rewrites the server's own folders out of every text it sends.
 */
export function errorHandler(redact: (text: string) => string): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const { status, body } = errorBody(error);
    for (const key of ['message', 'fix'] as const) if (typeof body[key] === 'string') body[key] = redact(body[key] as string);
    res.status(status).json({ error: body });
  };
}

function errorBody(error: unknown): { status: number; body: Record<string, unknown> } {
  if (error instanceof ApiError) {
    return { status: error.status, body: { code: error.code, message: error.message, ...error.extra } };
  }
  // body-parser's errors carry a status and a type (too large, bad JSON).
  const http = error as { status?: number; type?: string; message?: string };
  if (typeof http.status === 'number' && http.status >= 400 && http.status < 500) {
    const code = http.type === 'entity.too.large' ? 'FF_TOO_LARGE' : http.type === 'entity.parse.failed' ? 'FF_JSON_SYNTAX' : 'FF_BAD_REQUEST';
    return { status: http.status, body: { code, message: http.message ?? 'bad request' } };
  }
  if (isFramefuseError(error)) {
    const body: Record<string, unknown> = { ...serializeError(error) };
    return { status: error.kind === 'user' ? 400 : 500, body };
  }
  console.error('[framefuse] unexpected error:', error);
  return { status: 500, body: { code: 'FF_INTERNAL', message: (error as Error)?.message ?? 'internal error' } };
}
