/** What every route and the socket layer share: the registry, folders, run queue and the broadcaster. */
import type { NodeCatalog } from '../src/model/catalog.js';
import type { ModelEventEmitter } from '../src/model/model-events.js';
import type { NodeRegistry } from '../src/node-api/registry.js';
import type { ProviderChoice } from '../src/model/providers.js';
import type { GraphDocument } from '../src/model/document.js';
import type { ResolvedGraph } from '../src/graph/resolved-graph.js';
import type { Plan } from '../src/model/plan.js';
import type { DataFolders } from './data-folders.js';
import type { RunQueue } from './runs/run-queue.js';
import type { LiveSessions } from './live/live-sessions.js';

export interface ServerLimits {
  /** Largest upload, in bytes. */
  uploadBytes: number;
  /** Largest JSON body (graphs), in bytes. */
  jsonBytes: number;
  /** Runs that may wait in the queue. */
  waitingRuns: number;
}

/**
 * What a queued run will execute: the graph and plan validation made when it was queued
 * (the one validate and plan of a run; the executor uses them as they are), and whether
 * it may replace existing outputs.
 */
export interface RunRequest {
  document: GraphDocument;
  graph: ResolvedGraph;
  plan: Plan;
  overwrite: boolean;
}

export interface ServerContext {
  /** The node types of the catalog and of validation. */
  registry: NodeRegistry;
  catalog: NodeCatalog;
  folders: DataFolders;
  /** The providers `serve --provider` asked for: used when neither the run nor its graph names any (then auto). */
  providers: ProviderChoice[] | undefined;
  runs: RunQueue;
  /** What each run executes, by run id, kept while the run is queued or running. */
  runRequests: Map<string, RunRequest>;
  /** Sends a model-pull event to every connected (authorised) client (run events go through the run queue). */
  broadcast: ModelEventEmitter;
  limits: ServerLimits;
  /** Live runs: browser cameras, LiveView senders, parameter edits. */
  live: LiveSessions;
  /** Which Camera URLs this server opens, and whether for remote clients. */
  camera: { schemes: string[]; remote: boolean };
}
