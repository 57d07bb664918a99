/**
 * Forms a stage's batches from its input queues: one item from each queue per frame (the
 * queues carry the same frames in the same order), up to `size` frames. A partial batch
 * waits at most `deadlineMs` after its first frame for more (as DeepStream's
 * batched-push-timeout and Triton's max_queue_delay do), and the end of the stream flushes
 * at once, so a short tail never waits forever.
 *
 * With `align` (latency-first runs, whose queues drop frames), the queues may disagree on
 * which frames they still hold: frames that some queue no longer has are dropped from the
 * others (counted on their queues), and streams that end unevenly simply end.
 */
import type { FrameQueue } from './frame-queue.js';
import { systemClock, type Clock } from './clock.js';

export interface FormedBatch {
  indices: number[];
  pts: number[];
  /** One array per input queue, in the order of the queues. */
  columns: unknown[][];
}

export class BatchFormer {
  constructor(
    private readonly queues: readonly FrameQueue[],
    private readonly size: number,
    private readonly deadlineMs: number,
    private readonly clock: Clock = systemClock,
    private readonly align = false,
  ) {
    if (queues.length === 0) throw new Error('a batch former needs at least one input queue');
  }

  private allReady(): boolean {
    if (this.align) this.dropUnmatched();
    return this.queues.every((q) => q.depth > 0);
  }

  /** Drops head frames older than the newest head: some other queue dropped them already. */
  private dropUnmatched(): void {
    for (;;) {
      if (this.queues.some((q) => q.depth === 0)) return;
      const newest = Math.max(...this.queues.map((q) => q.peek()!.index));
      const behind = this.queues.filter((q) => q.peek()!.index < newest);
      if (behind.length === 0) return;
      for (const q of behind) q.dropOldest();
    }
  }

  /** Waits until every queue has an item, aligning as frames come; false when a queue ended (aligned runs). */
  private async waitAligned(): Promise<boolean[]> {
    for (;;) {
      const ready = await this.waitAll();
      if (!ready.every(Boolean)) return ready;
      if (this.allReady()) return ready;
    }
  }

  private anyEnded(): boolean {
    return this.queues.some((q) => q.ended);
  }

  private waitAll(): Promise<boolean[]> {
    return Promise.all(this.queues.map((q) => q.wait()));
  }

  private takeOne(batch: FormedBatch): void {
    let index: number | undefined;
    this.queues.forEach((queue, column) => {
      const item = queue.take()!;
      if (index === undefined) {
        index = item.index;
        batch.indices.push(item.index);
        batch.pts.push(item.pts);
      } else if (item.index !== index) {
        throw new Error(`streams out of step: frame ${index} met frame ${item.index} at a join`);
      }
      batch.columns[column]!.push(item.value);
    });
  }

  /** The next batch, or null when every input has ended. */
  async next(): Promise<FormedBatch | null> {
    const ready = this.align ? await this.waitAligned() : await this.waitAll();
    if (!ready.every(Boolean)) {
      if (this.align) {
        // A live stream that ends unevenly: what one branch has and another dropped goes.
        for (const q of this.queues) while (q.depth > 0) q.dropOldest();
        return null;
      }
      if (ready.some(Boolean)) {
        const short = this.queues.filter((_, i) => !ready[i]).map((q) => q.label);
        throw new Error(`streams of different lengths: ${short.join(', ')} ended while others still had frames`);
      }
      return null;
    }
    const batch: FormedBatch = { indices: [], pts: [], columns: this.queues.map(() => []) };
    this.takeOne(batch);
    const deadline = this.clock.now() + this.deadlineMs;
    while (batch.indices.length < this.size) {
      if (this.allReady()) {
        this.takeOne(batch);
        continue;
      }
      const left = deadline - this.clock.now();
      if (left <= 0 || this.anyEnded()) break;
      let cancel = () => {};
      const arrived = this.waitAll().then(() => false);
      arrived.catch(() => undefined); // if the deadline wins, a later abort must not go unhandled
      const timedOut = await Promise.race([
        arrived,
        new Promise<boolean>((resolve) => {
          cancel = this.clock.after(left, () => resolve(true));
        }),
      ]).finally(() => cancel());
      if (timedOut) break;
      if (!this.allReady()) break; // an input ended
    }
    return batch;
  }
}
