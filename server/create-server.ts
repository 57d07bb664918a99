/**
 * The framefuse server: express REST under /api, socket.io for live events, and the built
 * editor. `startServer` listens and returns a handle whose close() cancels runs and frees
 * the port.
 */
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { buildCatalog } from '../src/node-api/catalog.js';
import { loadNodeRegistry, type NodeRegistry } from '../src/node-api/registry.js';
import type { ProviderChoice } from '../src/model/providers.js';
import { ApiError, apiNotFound, errorHandler } from './api-error.js';
import { assertBindAllowed, newToken, requireToken } from './auth.js';
import { checkHostAndOrigin, hostPolicy, type HostPolicy } from './guards/host-origin.js';
import { requireContentType } from './guards/content-type.js';
import { removeStalePartFiles } from '../src/files/part-files.js';
import { redactPaths } from './redact-paths.js';
import { dataFolders } from './data-folders.js';
import { checkRouter } from './routes/check.js';
import { graphsRouter } from './routes/graphs.js';
import { modelsRouter } from './routes/models.js';
import { nodesRouter } from './routes/nodes.js';
import { outputsRouter } from './routes/outputs.js';
import { runsRouter } from './routes/runs.js';
import { uploadsRouter } from './routes/uploads.js';
import { infoRouter } from './routes/info.js';
import { embeddedGraphRouter } from './routes/embedded-graph.js';
import { filesRouter } from './routes/files.js';
import { executeRun } from './runs/execute-run.js';
import type { FarmTarget } from './runs/execute-farm-run.js';
import { RunQueue } from './runs/run-queue.js';
import type { RunEventEmitter } from '../src/model/run-events.js';
import { attachSocket } from './socket.js';
import { LiveSessions } from './live/live-sessions.js';
import { clientRouter } from './static-client.js';
import type { PrepareFn, ServerContext } from './server-context.js';
import { prepareGraph } from '../src/run/prepare-graph.js';

/** client/dist beside the compiled server (dist/server -> ../../client/dist). */
export const DEFAULT_CLIENT_DIR = fileURLToPath(new URL('../../client/dist/', import.meta.url));

export interface ServerOptions {
  /** Address to bind; anything but loopback needs a token. Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. Default 8188. */
  port?: number;
  /** The token every request must carry; default: a fresh random one for this start. */
  token?: string;
  /** More names (host or host:port) the server answers to besides the address it is bound to. */
  allowHosts?: string[];
  /** The data folder: graphs/, uploads/, outputs/ live in it, and runs resolve relative paths against it. */
  dataDir: string;
  /** Graphs folder, relative to the data folder or absolute. Default graphs. */
  graphsDir?: string;
  modelsDir?: string;
  /** Node types; default: the built-in nodes (and FRAMEFUSE_NODE_PATH). */
  registry?: NodeRegistry;
  /** Providers for graphs that name none (`serve --provider`); default auto. */
  providers?: ProviderChoice[];
  /** Runs at a time. Default 1. */
  concurrency?: number;
  maxUploadBytes?: number;
  /** Largest JSON body. Default 1 MiB (a thousand-node graph takes a fifth of it). */
  maxJsonBytes?: number;
  /** Runs that may wait behind the running ones; more are refused with 429. Default 16. */
  maxWaitingRuns?: number;
  /** Built editor to serve; null serves none. */
  clientDir?: string | null;
  progressIntervalMs?: number;
  previewIntervalMs?: number;
  /** How graphs are validated and planned; default `prepareGraph` (tests wrap it to count). */
  prepare?: PrepareFn;
  /** Submit every run to this render farm instead of running it here (`serve --farm`, docs/farm.md). */
  farm?: FarmTarget;
  /** URL kinds a Camera may open on this server (v4l2, rtsp, rtmp, srt, udp, file). Default none: browser cameras only. */
  cameraSchemes?: string[];
  /** How long a browser-camera run waits for a page to feed it before it is cancelled. Default 30 s. */
  liveOwnerlessMs?: number;
  /** Let clients on other machines start Cameras that open URLs here. Default off. */
  cameraRemote?: boolean;
}

export interface RunningServer {
  url: string;
  /** The token requests must carry (the one given, or the one made for this start). */
  token: string;
  host: string;
  port: number;
  context: ServerContext;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const chosen = options.token && options.token.length > 0 ? options.token : undefined;
  assertBindAllowed(host, chosen);
  const token = chosen ?? newToken();
  const registry = options.registry ?? (await loadNodeRegistry());
  const folders = dataFolders({ root: options.dataDir, ...(options.graphsDir ? { graphs: options.graphsDir } : {}), ...(options.modelsDir ? { models: options.modelsDir } : {}) });
  const providers = options.providers;

  let broadcast: (event: string, payload: unknown) => void = () => undefined;
  let sendTo: (socketId: string, event: string, payload: unknown) => void = () => undefined;
  // Every run event goes out through here, typed by its schema in src/model/run-events.ts.
  const emit: RunEventEmitter = (name, payload) => broadcast(name, payload);
  const limits = { uploadBytes: options.maxUploadBytes ?? 2 * 1024 ** 3, jsonBytes: options.maxJsonBytes ?? 1024 ** 2, waitingRuns: options.maxWaitingRuns ?? 16 };
  await removeStalePartFiles(folders.uploads);
  // eslint-disable-next-line prefer-const
  let runs: RunQueue;
  let connected: (socketId: string) => boolean = () => false;
  const live = new LiveSessions({
    send: (socketId, message) => (socketId ? sendTo(socketId, 'live:view', message) : broadcast('live:view', message)),
    cancel: (runId, why) => {
      runs.get(runId)?.logs.push({ at: new Date().toISOString(), level: 'warn', node: 'run', message: `cancelled: ${why}` });
      runs.cancel(runId);
    },
    connected: (socketId) => connected(socketId),
    allowedSchemes: options.cameraSchemes ?? [],
    confineTo: folders.root,
    ...(options.liveOwnerlessMs !== undefined ? { ownerlessMs: options.liveOwnerlessMs } : {}),
  });
  runs = new RunQueue({
    concurrency: options.concurrency ?? 1,
    maxWaiting: limits.waitingRuns,
    execute: (record, request, signal) => {
      const ctx = { folders, emit, progressIntervalMs: options.progressIntervalMs ?? 500, previewIntervalMs: options.previewIntervalMs ?? 1000, previewWidth: 480, live };
      if (!options.farm) return executeRun(record, request, signal, ctx);
      const farm = options.farm;
      // Loaded on use, as every farm module (test/cli/lazy-farm.test.ts).
      return import('./runs/execute-farm-run.js').then(({ executeFarmRun }) => executeFarmRun(record, request, signal, ctx, farm));
    },
    onQueued: (record) => emit('run:queued', { run: record }),
    onQueueChange: (record) => emit('run:queued', { run: record }),
    onCancelledWhileQueued: (record) => emit('run:cancelled', { runId: record.id, run: record }),
  });

  const context: ServerContext = {
    registry,
    catalog: buildCatalog(registry),
    folders,
    providers,
    runs,
    prepare: options.prepare ?? prepareGraph,
    broadcast: (event, payload) => broadcast(event, payload),
    limits,
    live,
    camera: { schemes: options.cameraSchemes ?? [], remote: options.cameraRemote ?? false },
  };

  const app = express();
  app.disable('x-powered-by');
  // The Host and Origin checks need the port, known once listening; until then nothing is served.
  let policy: HostPolicy = { hosts: new Set() };
  const guard: express.RequestHandler = (req, _res, next) => {
    const refused = checkHostAndOrigin(policy, req.headers.host, req.headers.origin);
    next(refused ? new ApiError(refused.status, refused.code, refused.message) : undefined);
  };
  app.use(guard);
  const api = express.Router();
  api.use(requireToken(token));
  api.use(requireContentType('/uploads'));
  api.use(express.json({ limit: context.limits.jsonBytes }));
  for (const router of [infoRouter(context), nodesRouter(context), graphsRouter(context), checkRouter(context), runsRouter(context), uploadsRouter(context), outputsRouter(context), modelsRouter(context), embeddedGraphRouter(context), filesRouter(context)]) {
    api.use(router);
  }
  api.use(apiNotFound);
  app.use('/api', api);
  app.use(clientRouter(options.clientDir === undefined ? DEFAULT_CLIENT_DIR : options.clientDir));
  app.use(errorHandler((text) => redactPaths(text, folders)));

  const httpServer = createHttpServer(app);
  const io = attachSocket(httpServer, context, token, (req) => checkHostAndOrigin(policy, req.headers.host, req.headers.origin));
  broadcast = (event, payload) => io.emit(event, payload);
  sendTo = (socketId, event, payload) => io.to(socketId).emit(event, payload);
  connected = (socketId) => io.sockets.sockets.has(socketId);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 8188, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  policy = hostPolicy(host, address.port, options.allowHosts ?? []);
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    token,
    host,
    port: address.port,
    context,
    close: async () => {
      await runs.close();
      await new Promise<void>((resolve) => {
        io.close(() => resolve());
      });
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
