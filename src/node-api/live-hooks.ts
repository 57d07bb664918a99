// What a live run gives its nodes (re-exported by define-node.ts, the node-authoring API).

/**
 * What a live run gives its nodes beyond frames: when to end a live stream, frames a browser
 * sends (the server's editor camera), where processed frames are shown, and which stream
 * URLs a Camera may open. Present on every context; a file run's never stops early and has
 * no browser or view. Only nodes on the main thread (media and host kinds) get the real one.
 */
export interface LiveHooks {
  /**
   * Aborts when live sources should end their stream (Ctrl-C in the CLI, Stop in the
   * editor): a source returns, the pipeline drains and the run finishes normally.
   */
  stop: AbortSignal;
  /** Frames the editor's page sends for a browser Camera node; null when no browser feeds this run. */
  browserFeed(node: string): BrowserFrameFeed | null;
  /** Where a LiveView node's frames are shown; null headless. */
  view(node: string): LiveViewOutlet | null;
  /** URL schemes a Camera may open (`file`, `v4l2`, `rtsp`, ...): a server setting. */
  allowedSchemes: readonly string[];
}

/** One frame as a browser sent it, with when it arrived (performance.now() ms). */
export interface BrowserFrame {
  frame: { width: number; height: number; data: Uint8Array };
  receivedAt: number;
  /** The page's own send time and sequence number, echoed back with the processed frame. */
  sentAt: number;
  seq: number;
}

/** Frames pushed by a browser; `next` resolves null when the page stops sending. */
export interface BrowserFrameFeed {
  /** Size the page was asked to send. */
  width: number;
  height: number;
  next(signal: AbortSignal): Promise<BrowserFrame | null>;
}

/** A LiveView's outlet: takes the newest frame and never waits (older unsent frames are dropped). */
export interface LiveViewOutlet {
  offer(frame: { width: number; height: number; data: Uint8Array }, index: number): void;
}
