/**
 * The time the scheduler's timers read: the Batcher's flush deadline waits on it. The run
 * passes the system clock; a test passes a clock it moves by hand, so a deadline can be
 * tested without sleeping.
 */
export interface Clock {
  /** Milliseconds, only ever compared with each other. */
  now(): number;
  /** Calls `fn` once, `ms` from now; the returned function cancels it. */
  after(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};
