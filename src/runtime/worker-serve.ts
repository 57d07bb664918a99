/**
 * The worker side of the one worker-messaging stack: answers requests one at a time, in
 * arrival order (a native session must never see two calls at once, nor a release while a
 * run is in flight). Ops marked `urgent` run at once (an abort must overtake the queue);
 * ops marked `final` drop the requests still queued (their callers get an error), run
 * after the current one, and then close the port so the thread ends by itself, never by
 * terminate. Results leave with their buffers transferred.
 */
import { parentPort } from 'node:worker_threads';
import { serializeError } from '../errors.js';
import { collectTransferables } from './transferables.js';
import type { ChannelLog, ChannelReply, ChannelRequest } from './worker-protocol.js';

export interface ServeOptions {
  handle: (op: string, payload: unknown) => unknown;
  urgent?: readonly string[];
  final?: readonly string[];
  /** Added to every answer (a stage's counters as of now). */
  attach?: () => unknown;
}

const port = () => {
  if (!parentPort) throw new Error('worker-serve runs only in a worker thread');
  return parentPort;
};

/** Sends a log line to the calling thread. */
export function postLog(log: ChannelLog): void {
  const reply: ChannelReply = { id: -1, log };
  port().postMessage(reply);
}

export function serveRequests(options: ServeOptions): void {
  const channel = port();
  const queue: ChannelRequest[] = [];
  let busy = false;
  let closed = false;
  const reply = async (request: ChannelRequest) => {
    try {
      const result = await options.handle(request.op, request.payload);
      const answer: ChannelReply = { id: request.id, ok: true, result, attached: options.attach?.() };
      channel.postMessage(answer, [...collectTransferables(result)]);
    } catch (error) {
      const answer: ChannelReply = { id: request.id, ok: false, error: serializeError(error), attached: options.attach?.() };
      channel.postMessage(answer);
    }
  };
  const drain = async () => {
    if (busy) return;
    busy = true;
    while (queue.length > 0 && !closed) {
      const request = queue.shift()!;
      await reply(request);
      if (options.final?.includes(request.op)) {
        closed = true;
        channel.close();
      }
    }
    busy = false;
  };
  channel.on('message', (request: ChannelRequest) => {
    if (closed) return;
    if (options.urgent?.includes(request.op)) {
      void reply(request);
      return;
    }
    if (options.final?.includes(request.op)) {
      for (const dropped of queue.splice(0)) {
        const answer: ChannelReply = { id: dropped.id, ok: false, error: serializeError(new Error(`dropped: the worker is closing (${request.op})`)) };
        channel.postMessage(answer);
      }
    }
    queue.push(request);
    void drain();
  });
}
