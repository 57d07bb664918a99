/** The socket.io connection: one per tab, authorised with the same token as REST. */
import { io, type Socket } from 'socket.io-client';
import { token } from './api.ts';

let socket: Socket | null = null;

export function liveSocket(): Socket {
  socket ??= io({ auth: token ? { token } : {}, transports: ['websocket', 'polling'] });
  return socket;
}
