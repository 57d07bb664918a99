/** What every route and the socket layer share: the registry, folders, run queue and the broadcaster. */
import type { NodeCatalog } from '../src/model/catalog.js';
import type { ModelEventEmitter } from '../src/model/model-events.js';
import type { NodeRegistry } from '../src/node-api/registry.js';
import type { ProviderChoice } from '../src/model/providers.js';
import type { GraphDocument } from '../src/model/document.js';
import type { PrepareOptions, PreparedGraph } from '../src/run/prepare-graph.js';
import type { DataFolders } from './data-folders.js';
import type { RunQueue } from './runs/run-queue.js';
import type { LiveSessions } from './live/live-sessions.js';

export type { RunRequest } from './runs/run-queue.js';

/** Validates and plans a document (`prepareGraph`; a test passes a wrapper that counts the calls). */
export type PrepareFn = (document: GraphDocument, registry: NodeRegistry, options: PrepareOptions) => Promise<PreparedGraph>;

export interface ServerLimits {
  /** Largest upload, in bytes. */
  uploadBytes: number;
  /** Largest JSON body (graphs), in bytes. */
  jsonBytes: number;
  /** Runs that may wait in the queue. */
  waitingRuns: number;
}


export interface ServerContext {
  /** The node types of the catalog and of validation. */
  registry: NodeRegistry;
  catalog: NodeCatalog;
  folders: DataFolders;
  /** The providers `serve --provider` asked for: used when neither the run nor its graph names any (then auto). */
  providers: ProviderChoice[] | undefined;
  /** The run queue; it also holds what each waiting or running run executes. */
  runs: RunQueue;
  /** How the server validates and plans (checkGraph calls it once per request). */
  prepare: PrepareFn;
  /** Sends a model-pull event to every connected (authorised) client (run events go through the run queue). */
  broadcast: ModelEventEmitter;
  limits: ServerLimits;
  /** Live runs: browser cameras, LiveView senders, parameter edits. */
  live: LiveSessions;
  /** Which Camera URLs this server opens, and whether for remote clients. */
  camera: { schemes: string[]; remote: boolean };
}
