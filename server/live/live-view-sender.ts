/**
 * Sends a LiveView's frames to the page as JPEG. It keeps only the newest frame and encodes
 * it on the next turn of the event loop, so the LiveView node hands a frame over and goes
 * on at once; frames that arrive while one waits replace it (dropped, never queued).
 */
import type { LiveViewMessage } from '../../src/model/live-events.js';
import type { LiveViewSink } from '../../src/run/live-run.js';
import { encodeJpeg } from '../preview/jpeg-encode.js';

type Pending = Parameters<LiveViewSink['show']>;

export class LiveViewSender implements LiveViewSink {
  private pending: Pending | null = null;
  private scheduled = false;
  private closed = false;
  sent = 0;
  dropped = 0;

  constructor(
    private readonly runId: string,
    private readonly node: string,
    private readonly send: (message: LiveViewMessage) => void,
    private readonly quality = 75,
  ) {}

  show(...args: Pending): void {
    if (this.closed) return;
    if (this.pending) this.dropped++;
    this.pending = args;
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const pending = this.pending;
    this.pending = null;
    if (!pending || this.closed) return;
    const [frame, meta] = pending;
    const data = encodeJpeg(frame, this.quality);
    this.sent++;
    this.send({ runId: this.runId, node: this.node, index: meta.index, width: frame.width, height: frame.height, mime: 'image/jpeg', data, latencyMs: meta.latencyMs, echo: meta.echo });
  }

  close(): void {
    this.closed = true;
    this.pending = null;
  }
}
