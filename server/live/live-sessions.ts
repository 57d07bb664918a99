/**
 * The server's live runs: for each running latency-first run, its browser camera feeds, the
 * socket that owns them (the first page that sends a frame for the run), its LiveView
 * sender, its parameter control and its stop. The socket handlers and executeRun meet here.
 * The owner's disconnect cancels the run, so a page that goes away leaves nothing running.
 * A page names itself when it starts the run (`page` in POST /api/runs), so it owns the run
 * before its first frame; a browser-camera run that no page owns is cancelled after
 * `ownerlessMs` (an API caller that started one and never fed it leaves nothing behind).
 */
import { cameraSourceKind } from '../../src/media/live-input.js';
import type { ResolvedGraph } from '../../src/graph/resolved-graph.js';
import { LiveControl } from '../../src/run/live-control.js';
import type { LiveRunOptions } from '../../src/run/live-run.js';
import type { LiveViewMessage } from '../../src/model/live-events.js';
import { BrowserFeed } from './browser-feed.js';
import { LiveViewSender } from './live-view-sender.js';

export interface LiveSession {
  runId: string;
  owner: string | null;
  feeds: Map<string, BrowserFeed>;
  control: LiveControl;
  stop: AbortController;
  views: LiveViewSender[];
  /** Cancels a browser-camera run no page has claimed in time. */
  ownerless: NodeJS.Timeout | null;
}

export interface LiveSessionsOptions {
  /** Sends a processed frame to one socket, or to every client when the run has no owner. */
  send: (socketId: string | null, message: LiveViewMessage) => void;
  /** Cancels a run (its page went away, or none came), saying why. */
  cancel: (runId: string, why: string) => void;
  /** Whether a socket is connected now. */
  connected: (socketId: string) => boolean;
  allowedSchemes: readonly string[];
  /** How long a browser-camera run may wait for a page to feed it. Default 30 s. */
  ownerlessMs?: number;
  /** Files named by live edits must lie inside this folder (the data folder). */
  confineTo: string;
}

const seconds = (ms: number) => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

export class LiveSessions {
  private readonly sessions = new Map<string, LiveSession>();

  constructor(private readonly options: LiveSessionsOptions) {}

  get allowedSchemes(): readonly string[] {
    return this.options.allowedSchemes;
  }

  /**
   * Opens the session of a run about to start; returns what runPlan takes. `page` is the
   * socket of the page that started the run: where the run has a browser Camera, that page
   * owns it from now, and a page already gone cancels it at once. (A run whose Cameras open
   * URLs belongs to no page: its LiveView goes to every client, and it runs until stopped.)
   */
  open(runId: string, graph: ResolvedGraph, page?: string): { live: LiveRunOptions; control: LiveControl; close: () => void } {
    const session: LiveSession = { runId, owner: null, feeds: new Map(), control: new LiveControl({ confineTo: this.options.confineTo }), stop: new AbortController(), views: [], ownerless: null };
    for (const [id, node] of graph.nodes) {
      const params = node.params as { source: string; url: string; width?: number; height?: number };
      if (node.definition.type === 'Camera' && cameraSourceKind(params) === 'browser') session.feeds.set(id, new BrowserFeed(params.width ?? 640, params.height ?? 480));
    }
    this.sessions.set(runId, session);
    if (session.feeds.size > 0) {
      session.owner = page ?? null;
      if (page !== undefined && !this.options.connected(page)) {
        queueMicrotask(() => this.end(session, 'the page that started this live run had closed before it began'));
      } else if (page === undefined) {
        session.ownerless = setTimeout(() => {
          if (this.sessions.get(runId) === session && session.owner === null) this.end(session, `no page fed this run's browser Camera within ${seconds(this.options.ownerlessMs ?? 30_000)}: start it from the editor, or send live:frame messages on the socket`);
        }, this.options.ownerlessMs ?? 30_000);
        session.ownerless.unref();
      }
    }
    const live: LiveRunOptions = {
      stop: session.stop.signal,
      allowedSchemes: this.allowedSchemes,
      browserFeed: (node) => session.feeds.get(node) ?? null,
      view: (node) => {
        const sender = new LiveViewSender(runId, node, (message) => this.options.send(session.owner, message));
        session.views.push(sender);
        return sender;
      },
    };
    return {
      live,
      control: session.control,
      close: () => {
        this.release(session);
      },
    };
  }

  get(runId: string): LiveSession | undefined {
    return this.sessions.get(runId);
  }

  /** The socket that may feed a run's camera: the first that sends, no other. */
  claim(runId: string, socketId: string): LiveSession | string {
    const session = this.sessions.get(runId);
    if (!session) return `run ${runId} is not a running live run`;
    session.owner ??= socketId;
    return session.owner === socketId ? session : `run ${runId} takes its camera from another page`;
  }

  /** A socket went away: the runs it fed are cancelled. */
  disconnected(socketId: string): void {
    for (const session of [...this.sessions.values()]) {
      if (session.owner === socketId) this.end(session, 'the page feeding this live run closed');
    }
  }

  /** Frees a session and cancels its run: freed at once, as the run's own cleanup (workers finishing a model run) may take longer. */
  private end(session: LiveSession, why: string): void {
    if (this.sessions.get(session.runId) !== session) return;
    this.release(session);
    this.options.cancel(session.runId, why);
  }

  private release(session: LiveSession): void {
    if (session.ownerless) clearTimeout(session.ownerless);
    for (const feed of session.feeds.values()) feed.end();
    for (const view of session.views) view.close();
    if (this.sessions.get(session.runId) === session) this.sessions.delete(session.runId);
  }

  /** Ends a run's live streams; the run finishes normally. */
  stop(runId: string): boolean {
    const session = this.sessions.get(runId);
    if (!session) return false;
    session.stop.abort();
    for (const feed of session.feeds.values()) feed.end();
    return true;
  }

  get size(): number {
    return this.sessions.size;
  }
}
