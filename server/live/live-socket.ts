/**
 * The socket handlers of live runs: a page's camera frames (`live:frame`), parameter edits
 * (`live:set-param`, answered once every copy of the node has the value) and a graceful
 * stop (`live:stop`). Every message is parsed with zod first (src/model/live-events.ts),
 * frame sizes included; a page that disconnects cancels the runs it was feeding.
 */
import type { Socket } from 'socket.io';
import { zLiveFrame, zLiveSetParam, zLiveStop, LIVE_FRAME_LIMIT } from '../../src/model/live-events.js';
import { isFramefuseError } from '../../src/errors.js';
import { describeZodIssue } from '../../src/model/zod-issue.js';
import type { ServerContext } from '../server-context.js';
import { redactPaths } from '../redact-paths.js';

export const LIVE_EVENTS = ['live:frame', 'live:set-param', 'live:stop'];
/** The largest socket message: one RGBA frame at the limit, plus its fields. */
export const LIVE_MESSAGE_BYTES = LIVE_FRAME_LIMIT.width * LIVE_FRAME_LIMIT.height * 4 + 16 * 1024;

type Ack = (answer: unknown) => void;
const refuse = (code: string, message: string) => ({ ok: false, error: { code, message } });

function ackOf(args: unknown[]): [unknown, Ack] {
  const last = args[args.length - 1];
  return typeof last === 'function' ? [args.length > 1 ? args[0] : undefined, last as Ack] : [args[0], () => undefined];
}

export function attachLiveHandlers(socket: Socket, ctx: ServerContext): void {
  socket.on('live:frame', (...args: unknown[]) => {
    const [payload, ack] = ackOf(args);
    const parsed = zLiveFrame.safeParse(payload);
    if (!parsed.success) return ack(refuse('FF_BAD_MESSAGE', `live:frame ${describeZodIssue(parsed.error.issues[0]!)} (${parsed.error.issues[0]!.path.join('.') || 'message'})`));
    const frame = parsed.data;
    const session = ctx.live.claim(frame.runId, socket.id);
    if (typeof session === 'string') return ack(refuse('FF_NOT_LIVE', session));
    const feed = session.feeds.get(frame.node);
    if (!feed) return ack(refuse('FF_NOT_LIVE', `run ${frame.runId} has no browser Camera "${frame.node}"`));
    if (frame.width !== feed.width || frame.height !== feed.height) return ack(refuse('FF_BAD_MESSAGE', `the Camera takes ${feed.width}x${feed.height} frames, not ${frame.width}x${frame.height}`));
    const bytes = frame.data instanceof Uint8Array ? frame.data : new Uint8Array(frame.data);
    feed.push(bytes, frame.width, frame.height, frame.sentAt, frame.seq);
    ack({ ok: true });
  });

  socket.on('live:set-param', (...args: unknown[]) => {
    const [payload, ack] = ackOf(args);
    const parsed = zLiveSetParam.safeParse(payload);
    if (!parsed.success) return ack(refuse('FF_BAD_MESSAGE', 'live:set-param takes { runId, node, param, value }'));
    const { runId, node, param, value } = parsed.data;
    const session = ctx.live.get(runId);
    if (!session) return ack(refuse('FF_NOT_LIVE', `run ${runId} is not a running live run`));
    session.control.setParam(node, param, value).then(
      () => ack({ ok: true }),
      // Redacted: a refused file names its path, which must not show the server's folders.
      (error: unknown) => ack(refuse(isFramefuseError(error) ? error.code : 'FF_SET_PARAM_FAILED', redactPaths(`${(error as Error).message}${isFramefuseError(error) && error.fix ? `: ${error.fix}` : ''}`, ctx.folders))),
    );
  });

  socket.on('live:stop', (...args: unknown[]) => {
    const [payload, ack] = ackOf(args);
    const parsed = zLiveStop.safeParse(payload);
    if (!parsed.success) return ack(refuse('FF_BAD_MESSAGE', 'live:stop takes { runId }'));
    ack(ctx.live.stop(parsed.data.runId) ? { ok: true } : refuse('FF_NOT_LIVE', `run ${parsed.data.runId} is not a running live run`));
  });

  socket.on('disconnect', () => ctx.live.disconnected(socket.id));
}
