/**
 * The server's live runs: for each running latency-first run, its browser camera feeds, the
 * socket that owns them (the first page that sends a frame for the run), its LiveView
 * sender, its parameter control and its stop. The socket handlers and executeRun meet here.
 * The owner's disconnect cancels the run, so a page that goes away leaves nothing running.
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
}

export class LiveSessions {
  private readonly sessions = new Map<string, LiveSession>();

  constructor(
    /** Sends a processed frame to one socket, or to every client when the run has no owner. */
    private readonly send: (socketId: string | null, message: LiveViewMessage) => void,
    /** Cancels a run (its owner went away). */
    private readonly cancel: (runId: string) => void,
    readonly allowedSchemes: readonly string[],
  ) {}

  /** Opens the session of a run about to start; returns what runPlan takes. */
  open(runId: string, graph: ResolvedGraph): { live: LiveRunOptions; control: LiveControl; close: () => void } {
    const session: LiveSession = { runId, owner: null, feeds: new Map(), control: new LiveControl(), stop: new AbortController(), views: [] };
    for (const [id, node] of graph.nodes) {
      const params = node.params as { source: string; url: string; width?: number; height?: number };
      if (node.definition.type === 'Camera' && cameraSourceKind(params) === 'browser') session.feeds.set(id, new BrowserFeed(params.width ?? 640, params.height ?? 480));
    }
    this.sessions.set(runId, session);
    const live: LiveRunOptions = {
      stop: session.stop.signal,
      allowedSchemes: this.allowedSchemes,
      browserFeed: (node) => session.feeds.get(node) ?? null,
      view: (node) => {
        const sender = new LiveViewSender(runId, node, (message) => this.send(session.owner, message));
        session.views.push(sender);
        return sender;
      },
    };
    return {
      live,
      control: session.control,
      close: () => {
        for (const feed of session.feeds.values()) feed.end();
        for (const view of session.views) view.close();
        this.sessions.delete(runId);
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
      if (session.owner !== socketId) continue;
      // Freed at once: the run's own cleanup (workers finishing a model run) may take longer.
      for (const feed of session.feeds.values()) feed.end();
      for (const view of session.views) view.close();
      this.sessions.delete(session.runId);
      this.cancel(session.runId);
    }
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
