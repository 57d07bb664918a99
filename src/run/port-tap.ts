/**
 * A tap on a port: an observer the scheduler shows the values crossing one node's port
 * (the server's live previews), outside the pipeline. Values wait in a small buffer of
 * their own that drops its oldest when full, and the observer is called after the
 * pipeline has moved on, one value at a time: a slow observer loses values, it never
 * holds a frame back. A value a tap may still hold is never transferred to a worker (see
 * buffer-ownership.ts), so what the observer reads is intact.
 */
import type { PortRef } from '../model/port-key.js';
import type { QueueItem } from './frame-queue.js';

export interface PortTapOptions {
  /** The output port whose values are shown. */
  port: PortRef;
  /** Told each value the buffer still holds when its turn comes; may be async. */
  observe: (item: QueueItem) => void | Promise<void>;
  /** Values kept waiting for the observer; the oldest is dropped past it (default 2). */
  capacity?: number;
}

export class PortTap {
  private readonly waiting: QueueItem[] = [];
  private draining = false;
  private closed = false;
  /** Values dropped because the observer was behind. */
  dropped = 0;
  readonly capacity: number;

  constructor(
    private readonly options: PortTapOptions,
    private readonly onError: (error: unknown) => void,
  ) {
    this.capacity = Math.max(1, options.capacity ?? 2);
  }

  get port(): PortRef {
    return this.options.port;
  }

  /** Takes a value without waiting: the oldest waiting one makes room if the buffer is full. */
  offer(item: QueueItem): void {
    if (this.closed) return;
    if (this.waiting.length >= this.capacity) {
      this.waiting.shift();
      this.dropped++;
    }
    this.waiting.push(item);
    if (!this.draining) {
      this.draining = true;
      setImmediate(() => void this.drain());
    }
  }

  private async drain(): Promise<void> {
    try {
      while (!this.closed && this.waiting.length > 0) {
        const item = this.waiting.shift()!;
        await this.options.observe(item);
      }
    } catch (error) {
      this.close();
      this.onError(error);
    } finally {
      this.draining = false;
    }
  }

  /** Stops: values still waiting are dropped, nothing more is observed. */
  close(): void {
    this.closed = true;
    this.waiting.length = 0;
  }
}
