/**
 * In-order bounded concurrency: up to `window` jobs in flight, results handed on in the
 * order their jobs were sent. A finished result leaves as soon as it is the oldest, never
 * waiting for the next input (a join downstream may need it before more input can come).
 */
export interface InOrderWindow<J, R> {
  /** The next job, or null when there are no more. */
  next: () => Promise<J | null>;
  /** Starts a job; its result is awaited in order. */
  send: (job: J) => Promise<R>;
  /** Hands a result on; called in the order the jobs were sent. */
  settle: (job: J, result: R) => Promise<void>;
  /** Jobs in flight at most (at least 1). */
  window: number;
}

export async function runInOrder<J, R>({ next: nextJob, send, settle, window }: InOrderWindow<J, R>): Promise<void> {
  const inFlight: { job: J; result: Promise<R> }[] = [];
  const settleOldest = async () => {
    const oldest = inFlight.shift()!;
    await settle(oldest.job, await oldest.result);
  };
  let next: Promise<J | null> | null = null;
  let ended = false;
  for (;;) {
    if (!ended && next === null && inFlight.length < window) next = nextJob();
    const head = inFlight[0];
    if (next !== null && head !== undefined) {
      const done = head.result.then(() => 'result' as const);
      done.catch(() => undefined); // the race below rethrows; this copy must not go unhandled
      const arrived = next.then(() => 'job' as const);
      arrived.catch(() => undefined); // `await next` below rethrows
      if ((await Promise.race([arrived, done])) === 'result') {
        await settleOldest();
        continue;
      }
    } else if (next === null) {
      if (head === undefined) return;
      await settleOldest();
      continue;
    }
    const job = await next!;
    next = null;
    if (job === null) {
      ended = true;
      continue;
    }
    const result = send(job);
    result.catch(() => undefined); // awaited in order; an early rejection must not go unhandled
    inFlight.push({ job, result });
  }
}
