/**
 * A bounded FIFO between two stages, counted in frames. `push` waits while the queue is
 * full (backpressure: the slowest stage sets the pace and memory stays flat), or, in a
 * latency-first (live) run, drops the oldest frame and never waits (a late frame is worth
 * less than a fresh one; `dropped` counts them); `take`
 * never waits, `wait` waits for an item or the end. `abort` rejects every waiter, so a
 * failed or cancelled run unblocks every stage at once.
 */
export interface QueueItem<T = unknown> {
  index: number;
  pts: number;
  value: T;
}

export class FrameQueue<T = unknown> {
  private readonly items: QueueItem<T>[] = [];
  private head = 0;
  private closed = false;
  private failure: unknown = undefined;
  private spaceWaiters: (() => void)[] = [];
  private itemWaiters: (() => void)[] = [];
  /** Highest depth seen, for metrics. */
  maxDepth = 0;
  /** Frames dropped because the queue was full (drop-oldest queues only). */
  dropped = 0;

  constructor(
    readonly capacity: number,
    readonly label = 'queue',
    readonly overflow: 'wait' | 'drop-oldest' = 'wait',
  ) {
    if (!(capacity >= 1)) throw new RangeError(`queue capacity must be at least 1, got ${capacity}`);
  }

  get depth(): number {
    return this.items.length - this.head;
  }

  get ended(): boolean {
    return this.closed && this.depth === 0;
  }

  async push(item: QueueItem<T>): Promise<void> {
    if (this.overflow === 'drop-oldest') {
      this.throwIfFailed();
      while (this.depth >= this.capacity && !this.closed) this.dropOldest();
    }
    while (this.depth >= this.capacity && this.failure === undefined && !this.closed) {
      await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
    }
    this.throwIfFailed();
    if (this.closed) throw new Error(`${this.label}: push after close`);
    this.items.push(item);
    if (this.depth > this.maxDepth) this.maxDepth = this.depth;
    this.wake('items');
  }

  /** The next item if one is ready, else undefined. */
  take(): QueueItem<T> | undefined {
    this.throwIfFailed();
    if (this.depth === 0) return undefined;
    const item = this.items[this.head]!;
    this.items[this.head++] = undefined as unknown as QueueItem<T>;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    this.wake('space');
    return item;
  }

  /** Drops the oldest item (a live run's late frame, or one with no partner at a join). */
  dropOldest(): void {
    if (this.depth === 0) return;
    this.take();
    this.dropped++;
  }

  peek(): QueueItem<T> | undefined {
    return this.depth === 0 ? undefined : this.items[this.head];
  }

  /** Resolves true when an item is ready, false when the queue ended empty. */
  async wait(): Promise<boolean> {
    while (this.depth === 0 && !this.closed && this.failure === undefined) {
      await new Promise<void>((resolve) => this.itemWaiters.push(resolve));
    }
    this.throwIfFailed();
    return this.depth > 0;
  }

  /** No more items will come; queued items can still be taken. */
  close(): void {
    this.closed = true;
    this.wake('items');
    this.wake('space');
  }

  abort(reason: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = reason ?? new Error(`${this.label} aborted`);
    this.wake('items');
    this.wake('space');
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  private wake(which: 'items' | 'space'): void {
    const waiters = which === 'items' ? this.itemWaiters : this.spaceWaiters;
    if (waiters.length === 0) return;
    if (which === 'items') this.itemWaiters = [];
    else this.spaceWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
