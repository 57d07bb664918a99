/**
 * How many segments a farm worker has in hand before it takes another: `--concurrency`
 * slots. A segment frees its slot when its model stages are back in the worker's pool (its
 * last frames may still be on their way to the Encoder), so the next segment starts while
 * the last one drains, as one long run would.
 */
export interface Slot {
  /** Gives the slot back; a second call does nothing. */
  free(): void;
}

export class SegmentSlots {
  private used = 0;
  private closed = false;
  private readonly waiting: ((slot: Slot | null) => void)[] = [];

  constructor(private readonly size: number) {}

  /** A free slot, when there is one; null once closed. */
  take(): Promise<Slot | null> {
    if (this.closed) return Promise.resolve(null);
    if (this.used < this.size) return Promise.resolve(this.grant());
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** No more slots: whoever waits for one gets null. */
  close(): void {
    this.closed = true;
    for (const resolve of this.waiting.splice(0)) resolve(null);
  }

  private grant(): Slot {
    this.used++;
    let freed = false;
    return {
      free: () => {
        if (freed) return;
        freed = true;
        this.used--;
        const next = this.waiting.shift();
        if (next && !this.closed) next(this.grant());
      },
    };
  }
}
