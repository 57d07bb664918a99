/** The socket.io connection: one per tab, authorised with the same token as REST. */
import { io, type Socket } from 'socket.io-client';
import type { ParsedEvent } from '../../src/model/socket-events.ts';
import { token } from './api.ts';

let socket: Socket | null = null;

export function liveSocket(): Socket {
  socket ??= io({ auth: token ? { token } : {}, transports: ['websocket', 'polling'] });
  return socket;
}

type Parse<E> = <K extends keyof E & string>(name: K, payload: unknown) => ParsedEvent<E[K]>;

/**
 * Listens on the tab's socket to every event `handlers` names, each payload checked with
 * `parse` first: a malformed one goes to `onMalformed`, never to its handler. Returns what
 * stops listening (an effect's cleanup).
 */
export function listenParsed<E>(parse: Parse<E>, handlers: { [K in keyof E]: (payload: E[K]) => void }, onMalformed: (name: keyof E & string, error: string) => void): () => void {
  const socket = liveSocket();
  const listen = <K extends keyof E & string>(name: K): readonly [string, (payload: unknown) => void] => {
    const listener = (payload: unknown) => {
      const parsed = parse(name, payload);
      if (parsed.ok) handlers[name](parsed.payload);
      else onMalformed(name, parsed.error);
    };
    socket.on(name as string, listener);
    return [name, listener] as const;
  };
  const listeners = (Object.keys(handlers) as (keyof E & string)[]).map(listen);
  return () => {
    for (const [name, listener] of listeners) socket.off(name, listener);
  };
}
