/**
 * Forms a stage's batches from its input queues: one item from each queue per frame (the
 * queues carry the same frames in the same order), up to `size` frames. A partial batch
 * waits at most `deadlineMs` after its first frame for more (as DeepStream's
 * batched-push-timeout and Triton's max_queue_delay do), and the end of the stream flushes
 * at once, so a short tail never waits forever.
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
  ) {
    if (queues.length === 0) throw new Error('a batch former needs at least one input queue');
  }

  private allReady(): boolean {
    return this.queues.every((q) => q.depth > 0);
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
    const ready = await this.waitAll();
    if (!ready.every(Boolean)) {
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
