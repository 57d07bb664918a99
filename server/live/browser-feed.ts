/**
 * A browser camera's frames for one Camera node: the page pushes, the node takes. Holds only
 * the newest frame (a frame the pipeline had no time for is dropped and counted), so a
 * page sending faster than the graph runs never builds a backlog.
 */
import { performance } from 'node:perf_hooks';
import type { BrowserFrame, BrowserFrameFeed } from '../../src/node-api/define-node.js';

export class BrowserFeed implements BrowserFrameFeed {
  private latest: BrowserFrame | null = null;
  private waiter: ((frame: BrowserFrame | null) => void) | null = null;
  private ended = false;
  dropped = 0;
  received = 0;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {}

  /** A frame from the page: RGBA converted to the RGB the pipeline carries. */
  push(rgba: Uint8Array, width: number, height: number, sentAt: number, seq: number): void {
    if (this.ended) return;
    this.received++;
    const rgb = new Uint8Array(width * height * 3);
    for (let i = 0, j = 0; j < rgb.length; i += 4, j += 3) {
      rgb[j] = rgba[i]!;
      rgb[j + 1] = rgba[i + 1]!;
      rgb[j + 2] = rgba[i + 2]!;
    }
    const frame: BrowserFrame = { frame: { width, height, data: rgb }, receivedAt: performance.now(), sentAt, seq };
    if (this.waiter) {
      const wake = this.waiter;
      this.waiter = null;
      wake(frame);
      return;
    }
    if (this.latest) this.dropped++;
    this.latest = frame;
  }

  /** No more frames: the node's next() resolves null and its stream ends. */
  end(): void {
    this.ended = true;
    this.waiter?.(null);
    this.waiter = null;
  }

  next(signal: AbortSignal): Promise<BrowserFrame | null> {
    if (this.latest) {
      const frame = this.latest;
      this.latest = null;
      return Promise.resolve(frame);
    }
    if (this.ended || signal.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      const onAbort = () => {
        this.waiter = null;
        resolve(null);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiter = (frame) => {
        signal.removeEventListener('abort', onAbort);
        resolve(frame);
      };
    });
  }
}
