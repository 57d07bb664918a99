/**
 * Wakes a submitter's wait the moment one of its run's segments completes or fails, from
 * BullMQ's event stream, instead of at the next read of the jobs: the join of a run starts
 * when its last segment ends, not up to a poll interval later. The stream is read on a
 * connection of its own (a blocking read on the queue's connection would hold up its
 * commands). The job reads stay the truth: an event missed (Redis away, a restart) costs at
 * most one poll interval.
 */
import { QueueEvents } from 'bullmq';
import { FARM_PREFIX, FARM_QUEUE } from './farm-queue.js';
import { openConnection } from './redis-connection.js';

/** How long close waits for the event reader to stop before it lets the connection go. */
const CLOSE_WAIT_MS = 1000;

export class SegmentEnds {
  private readonly connection: ReturnType<typeof openConnection>['redis'];
  private readonly events: QueueEvents;
  /** A segment ended since the last wait returned. */
  private ended = false;
  private wake: (() => void) | null = null;

  constructor(url: string, runId: string, log: (line: string) => void) {
    const { redis, logError } = openConnection(url, 'framefuse-submit-events', log);
    this.connection = redis;
    this.events = new QueueEvents(FARM_QUEUE, { connection: redis, prefix: FARM_PREFIX });
    this.events.on('error', logError);
    const mine = ({ jobId }: { jobId: string }) => {
      if (!jobId.startsWith(`${runId}-`)) return;
      this.ended = true;
      this.wake?.();
    };
    this.events.on('completed', mine);
    this.events.on('failed', mine);
  }

  /** Resolves after `ms`, or as soon as a segment of the run ends or `signal` aborts. */
  async wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.ended || signal?.aborted) {
      this.ended = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
    this.ended = false;
  }

  async close(): Promise<void> {
    this.wake?.();
    // With Redis away the reader's close would wait for it: bounded, then the connection goes.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.events.close().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)))]);
    clearTimeout(timer);
    this.connection.disconnect();
  }
}
