/** Starts a server on 127.0.0.1:0 with the test nodes and a fresh data folder, and talks to it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { startServer, type RunningServer, type ServerOptions } from '../../server/create-server.js';
import { testRegistry } from '../helpers.js';
import type { GraphDocument } from '../../src/model/document.js';

export interface TestServer extends RunningServer {
  dataDir: string;
  /**
   * fetch against the server, JSON in and out, with the server's token (as the editor
   * sends it) unless `headers` has an `authorization` of its own ('' sends none).
   */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  /** The headers the editor sends: the token. */
  auth: Record<string, string>;
  /** A socket.io client; `auth` defaults to the server's token. */
  socket(auth?: Record<string, unknown>): Promise<Socket>;
  stop(): Promise<void>;
}

export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'framefuse-server-'));
  const server = await startServer({ port: 0, dataDir, registry: await testRegistry(), clientDir: null, progressIntervalMs: 50, previewIntervalMs: 50, ...options });
  const sockets: Socket[] = [];
  const auth = { authorization: `Bearer ${server.token}` };
  return {
    ...server,
    dataDir,
    auth,
    async api(method, path, body, headers = {}) {
      const all: Record<string, string> = { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers };
      for (const [k, v] of Object.entries(all)) if (v === '') delete all[k];
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: all,
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        /* not JSON: keep the text */
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    socket(auth) {
      const socket = io(server.url, { transports: ['websocket'], reconnection: false, auth: auth ?? { token: server.token } });
      sockets.push(socket);
      return new Promise((resolve, reject) => {
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', reject);
      });
    },
    async stop() {
      for (const s of sockets) s.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Every run event a socket receives, by run id, from the moment it is made: a short run can
 * finish before the POST that queued it has answered, so tests look events up here.
 */
export class RunEventLog {
  readonly events: { name: string; runId: string; payload: any }[] = [];
  private waiters: (() => void)[] = [];

  constructor(socket: Socket) {
    socket.onAny((name: string, payload: any) => {
      if (!name.startsWith('run:')) return;
      this.events.push({ name, runId: payload?.runId ?? payload?.run?.id, payload });
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  names(runId: string): string[] {
    return this.events.filter((e) => e.runId === runId).map((e) => e.name);
  }

  /** The first `name` event of the run (past or future) that passes `match`. */
  async wait(runId: string, name: string, match: (payload: any) => boolean = () => true, timeoutMs = 15_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.find((e) => e.runId === runId && e.name === name && match(e.payload));
      if (hit) return hit.payload;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${name} for run ${runId} within ${timeoutMs} ms; saw ${this.names(runId).join(', ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

/** Waits for the first `event` whose payload passes `match`. */
export function nextEvent<T = any>(socket: Socket, event: string, match: (payload: any) => boolean = () => true, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, on);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const on = (payload: T) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, on);
      resolve(payload);
    };
    socket.on(event, on);
  });
}

/**
 * The test pipeline:
 *
 *   src (TestSource) ──frames──▶ t (TestTransform) ──frames──▶ sink (TestChecksum)
 */
export function pipelineGraph(source: Record<string, unknown> = {}, name = 'pipeline'): GraphDocument {
  return {
    schemaVersion: 1,
    name,
    nodes: [
      { id: 'src', type: 'TestSource', version: 1, params: { frames: 12, width: 32, height: 24, ...source }, position: { x: 0, y: 0 } },
      { id: 't', type: 'TestTransform', version: 1, params: {}, position: { x: 250, y: 0 } },
      { id: 'sink', type: 'TestChecksum', version: 1, params: {}, position: { x: 500, y: 0 } },
    ],
    edges: [
      { from: { node: 'src', port: 'frames' }, to: { node: 't', port: 'frames' } },
      { from: { node: 't', port: 'frames' }, to: { node: 'sink', port: 'frames' } },
    ],
    metadata: {},
  };
}
