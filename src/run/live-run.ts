/**
 * What a caller gives a live (latency-first) run, and the hooks its nodes get from it: the
 * signal that ends live streams cleanly, the browser's camera frames, the LiveView's screen,
 * the stream URL schemes allowed, and the control that changes live-editable parameters
 * while the run goes. The CLI passes a stop signal (Ctrl-C); the server passes all of it.
 */
import type { BrowserFrameFeed, LiveHooks } from '../node-api/define-node.js';
import type { LiveMeter } from './live-meter.js';

/** Every kind of URL a Camera knows; a caller narrows it (the server's --camera-schemes). */
export const CAMERA_SCHEMES = ['file', 'v4l2', 'rtsp', 'rtmp', 'srt', 'udp'] as const;
export type CameraScheme = (typeof CAMERA_SCHEMES)[number];

/** Where a LiveView's frames go, with what the run knows of each frame. */
export interface LiveViewSink {
  show(frame: { width: number; height: number; data: Uint8Array }, meta: { index: number; latencyMs: number | null; echo: { sentAt: number; seq: number } | null }): void;
}

export interface LiveRunOptions {
  /** Aborting it ends the live sources' streams: the pipeline drains and the run finishes (outputs kept). */
  stop?: AbortSignal;
  browserFeed?(node: string): BrowserFrameFeed | null;
  view?(node: string): LiveViewSink | null;
  /** Default: every scheme in CAMERA_SCHEMES (a local CLI user may open any). */
  allowedSchemes?: readonly string[];
}

const never = new AbortController().signal;

/** The hooks nodes on the main thread get: the caller's, with the run's own knowledge of each frame added. */
export function liveHooksFor(options: LiveRunOptions | undefined, meter: LiveMeter | null, echoOf: (index: number) => { sentAt: number; seq: number } | null): LiveHooks {
  return {
    stop: options?.stop ?? never,
    browserFeed: (node) => options?.browserFeed?.(node) ?? null,
    view: (node) => {
      const sink = options?.view?.(node) ?? null;
      if (!sink) return null;
      return {
        offer: (frame, index) => {
          const at = meter?.captureTime(index) ?? null;
          sink.show(frame, { index, latencyMs: at === null ? null : performance.now() - at, echo: echoOf(index) });
        },
      };
    },
    allowedSchemes: options?.allowedSchemes ?? CAMERA_SCHEMES,
  };
}
