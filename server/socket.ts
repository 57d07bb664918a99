/**
 * socket.io: the server pushes run and model events to every authorised client (same
 * origin, right host, with the token); clients
 * may ask for the runs (`runs:list`) and cancel one (`run:cancel`). Every incoming message
 * is parsed with zod and answered through its acknowledgement; a malformed one gets an
 * error answer and never reaches the run queue, and no handler can throw into socket.io.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Refusal } from './guards/host-origin.js';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import { tokenMatches } from './auth.js';
import type { ServerContext } from './server-context.js';
import { attachLiveHandlers, LIVE_EVENTS, LIVE_MESSAGE_BYTES } from './live/live-socket.js';

const zCancel = z.object({ runId: z.string().min(1).max(100) });

type Ack = (answer: unknown) => void;

function errorAnswer(code: string, message: string) {
  return { ok: false, error: { code, message } };
}

/** Wraps a handler: finds the acknowledgement among the arguments, catches everything. */
function handle(socket: Socket, event: string, fn: (payload: unknown) => unknown): void {
  socket.on(event, (...args: unknown[]) => {
    const last = args[args.length - 1];
    const ack: Ack | undefined = typeof last === 'function' ? (last as Ack) : undefined;
    const payload = ack ? (args.length > 1 ? args[0] : undefined) : args[0];
    try {
      const answer = fn(payload);
      ack?.(answer);
    } catch (error) {
      ack?.(errorAnswer('FF_BAD_MESSAGE', (error as Error).message));
      if (!ack) socket.emit('error:message', { event, error: { code: 'FF_BAD_MESSAGE', message: (error as Error).message } });
    }
  });
}

/**
 * `checkRequest` refuses a handshake from another site (Origin) or for another host name
 * (DNS rebinding) before socket.io answers it; the token is checked next.
 */
export function attachSocket(httpServer: HttpServer, ctx: ServerContext, token: string, checkRequest: (req: IncomingMessage) => Refusal | null): Server {
  const io = new Server(httpServer, {
    serveClient: false,
    // Messages are small commands, but for a live camera frame (640x480 RGBA, checked by
    // size in live-socket.ts); anything larger is hostile.
    maxHttpBufferSize: LIVE_MESSAGE_BYTES,
    cors: { origin: false },
    allowRequest: (req, answer) => {
      const refused = checkRequest(req);
      answer(refused ? `${refused.code}: ${refused.message}` : null, refused === null);
    },
  });

  io.use((socket, next) => {
    const auth = socket.handshake.auth as Record<string, unknown> | undefined;
    if (tokenMatches(auth?.['token'], token)) return next();
    const error = new Error('unauthorized: a valid token is required') as Error & { data?: unknown };
    error.data = { code: 'FF_UNAUTHORIZED' };
    next(error);
  });

  io.on('connection', (socket) => {
    handle(socket, 'runs:list', () => ({ ok: true, runs: ctx.runs.list() }));
    handle(socket, 'run:cancel', (payload) => {
      const parsed = zCancel.safeParse(payload);
      if (!parsed.success) return errorAnswer('FF_BAD_MESSAGE', 'run:cancel takes { runId: string }');
      const run = ctx.runs.get(parsed.data.runId);
      if (!run) return errorAnswer('FF_NOT_FOUND', `run ${parsed.data.runId} not found`);
      const cancelled = ctx.runs.cancel(run.id);
      return cancelled ? { ok: true } : errorAnswer('FF_RUN_OVER', `run ${run.id} has already ${run.status}`);
    });
    attachLiveHandlers(socket, ctx);
    // Any other event is not part of the protocol: say so, do nothing.
    socket.onAny((event: unknown) => {
      if (event !== 'runs:list' && event !== 'run:cancel' && !LIVE_EVENTS.includes(event as string)) {
        socket.emit('error:message', { event: String(event).slice(0, 100), error: { code: 'FF_UNKNOWN_EVENT', message: 'unknown event' } });
      }
    });
  });

  return io;
}
