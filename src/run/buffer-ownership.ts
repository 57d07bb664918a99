/**
 * Who may take a value's buffers: the one place the scheduler decides between moving a
 * value to a worker thread and copying it there.
 *
 * Each value a stage hands on is held by the worker stages it was queued for that have not
 * yet sent it to their thread. The last of them takes its buffers (a transfer) instead of a
 * copy: a decoded frame read by a detector and an anonymizer is copied once, not twice. A
 * value also read on this thread (a host or media stage, a port tap), or handed on twice (a
 * node that returns its input), is never transferred: it may still be held here.
 */
export class BufferOwnership {
  private readonly holders = new WeakMap<object, number>();

  /**
   * A stream's values were queued for `workerReaders` worker stages; `keptHere` when
   * something on this thread reads them too.
   */
  handedOn(values: readonly unknown[], workerReaders: number, keptHere: boolean): void {
    for (const value of values) {
      if (value === null || typeof value !== 'object') continue;
      this.holders.set(value, this.holders.has(value) || keptHere ? Infinity : workerReaders);
    }
  }

  /** A worker stage sends these columns to its thread: the values it may move (it was their last holder). */
  takenBy(columns: readonly (readonly unknown[])[]): unknown[] {
    const transfer: unknown[] = [];
    for (const column of columns) {
      for (const value of column) {
        if (value === null || typeof value !== 'object') continue;
        const left = (this.holders.get(value) ?? Infinity) - 1;
        this.holders.set(value, left);
        if (left === 0) transfer.push(value);
      }
    }
    return transfer;
  }
}
