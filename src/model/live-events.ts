/**
 * The socket.io messages of live runs, as zod schemas both ends parse with. The page sends
 * its camera's frames (`live:frame`, raw RGBA in a binary attachment), parameter edits
 * (`live:set-param`) and a graceful stop (`live:stop`); the server sends processed frames
 * (`live:view`, JPEG) with the latency it measured and the page's own send time echoed, so
 * the page measures capture to display itself.
 */
import { z } from 'zod';

/** The largest camera frame the server takes from a page: 640x480 RGBA. */
export const LIVE_FRAME_LIMIT = { width: 640, height: 480 } as const;

const zBytes = z.custom<Uint8Array | ArrayBuffer>((v) => v instanceof Uint8Array || v instanceof ArrayBuffer, 'expected binary data');
const zId = z.string().min(1).max(100);

export const zLiveFrame = z
  .object({
    runId: zId,
    node: zId,
    seq: z.number().int().min(0),
    /** The page's clock (performance.now()) when it captured the frame. */
    sentAt: z.number(),
    width: z.number().int().min(16).max(LIVE_FRAME_LIMIT.width),
    height: z.number().int().min(16).max(LIVE_FRAME_LIMIT.height),
    format: z.literal('rgba'),
    data: zBytes,
  })
  .refine((f) => f.data.byteLength === f.width * f.height * 4, { message: 'data must hold width x height x 4 bytes (RGBA)' });
export type LiveFrameMessage = z.infer<typeof zLiveFrame>;

export const zLiveSetParam = z.object({ runId: zId, node: zId, param: z.string().min(1).max(100), value: z.unknown() });
export const zLiveStop = z.object({ runId: zId });

export const zLiveView = z.object({
  runId: zId,
  node: z.string(),
  index: z.number(),
  width: z.number(),
  height: z.number(),
  mime: z.literal('image/jpeg'),
  data: zBytes,
  /** Server side: capture (frame received or read) to this frame leaving the pipeline, ms. */
  latencyMs: z.number().nullable(),
  /** The page's seq and send time of the frame this one was made from (browser cameras). */
  echo: z.object({ seq: z.number(), sentAt: z.number() }).nullable(),
});
export type LiveViewMessage = z.infer<typeof zLiveView>;
