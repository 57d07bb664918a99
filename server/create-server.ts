/**
 * The framefuse server: express REST under /api, socket.io for live events, and the built
 * editor. `startServer` listens and returns a handle whose close() cancels runs and frees
 * the port.
 */
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { buildCatalog } from '../src/nodes/catalog.js';
import { loadNodeRegistry, type NodeRegistry } from '../src/nodes/registry.js';
import type { ProviderChoice } from '../src/runtime/providers.js';
import { apiNotFound, errorHandler } from './api-error.js';
import { assertBindAllowed, requireToken } from './auth.js';
import { dataFolders } from './data-folders.js';
import { checkRouter } from './routes/check.js';
import { graphsRouter } from './routes/graphs.js';
import { modelsRouter } from './routes/models.js';
import { nodesRouter } from './routes/nodes.js';
import { outputsRouter } from './routes/outputs.js';
import { runsRouter } from './routes/runs.js';
import { uploadsRouter } from './routes/uploads.js';
import { infoRouter } from './routes/info.js';
import { executeRun } from './runs/execute-run.js';
import { withPreviewTap } from './runs/preview-tap.js';
import { RunQueue } from './runs/run-queue.js';
import type { RunEventEmitter } from './runs/run-record.js';
import { attachSocket } from './socket.js';
import { clientRouter } from './static-client.js';
import type { ServerContext } from './server-context.js';

/** client/dist beside the compiled server (dist/server -> ../../client/dist). */
export const DEFAULT_CLIENT_DIR = fileURLToPath(new URL('../../client/dist/', import.meta.url));

export interface ServerOptions {
  /** Address to bind; anything but loopback needs a token. Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. Default 8188. */
  port?: number;
  token?: string;
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
  /** Built editor to serve; null serves none. */
  clientDir?: string | null;
  progressIntervalMs?: number;
  previewIntervalMs?: number;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  context: ServerContext;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token && options.token.length > 0 ? options.token : undefined;
  assertBindAllowed(host, token);
  const registry = options.registry ?? (await loadNodeRegistry());
  const runRegistry = withPreviewTap(registry);
  const folders = dataFolders({ root: options.dataDir, ...(options.graphsDir ? { graphs: options.graphsDir } : {}), ...(options.modelsDir ? { models: options.modelsDir } : {}) });
  const providers = options.providers;

  let broadcast: (event: string, payload: unknown) => void = () => undefined;
  const emit: RunEventEmitter = (name, payload) => broadcast(name, payload);
  const runDocuments = new Map<string, import('../src/graph/document.js').GraphDocument>();
  const runs = new RunQueue({
    concurrency: options.concurrency ?? 1,
    execute: async (record, signal) => {
      const document = runDocuments.get(record.id)!;
      try {
        await executeRun(record, document, signal, {
          registry: runRegistry,
          folders,
          providers,
          emit,
          progressIntervalMs: options.progressIntervalMs ?? 500,
          previewIntervalMs: options.previewIntervalMs ?? 1000,
          previewWidth: 480,
        });
      } finally {
        runDocuments.delete(record.id);
      }
    },
    onQueued: (record) => broadcast('run:queued', { run: record }),
    onQueueChange: (record) => broadcast('run:queued', { run: record }),
    onCancelledWhileQueued: (record) => {
      runDocuments.delete(record.id);
      broadcast('run:cancelled', { runId: record.id, run: record });
    },
  });

  const context: ServerContext = {
    registry,
    catalog: buildCatalog(registry),
    folders,
    providers,
    runs,
    runDocuments,
    broadcast: (event, payload) => broadcast(event, payload),
    limits: { uploadBytes: options.maxUploadBytes ?? 2 * 1024 ** 3, jsonBytes: 5 * 1024 ** 2 },
  };

  const app = express();
  app.disable('x-powered-by');
  const api = express.Router();
  api.use(requireToken(token));
  api.use(express.json({ limit: context.limits.jsonBytes }));
  for (const router of [infoRouter(context), nodesRouter(context), graphsRouter(context), checkRouter(context), runsRouter(context), uploadsRouter(context), outputsRouter(context), modelsRouter(context)]) {
    api.use(router);
  }
  api.use(apiNotFound);
  app.use('/api', api);
  app.use(clientRouter(options.clientDir === undefined ? DEFAULT_CLIENT_DIR : options.clientDir));
  app.use(errorHandler);

  const httpServer = createHttpServer(app);
  const io = attachSocket(httpServer, context, token);
  broadcast = (event, payload) => io.emit(event, payload);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 8188, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
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
