/**
 * How a segment's failure crosses Redis: the worker throws BullMQ's UnrecoverableError
 * (a real failure is not retried: the same input fails the same way) whose message is the
 * serialized framefuse error; the submitter reads it back and names the segment.
 */
import { UnrecoverableError } from 'bullmq';
import { serializeError } from '../errors.js';
import { zSerializedError, type SerializedError } from '../model/serialized-error.js';

export function segmentFailure(error: unknown): UnrecoverableError {
  return new UnrecoverableError(JSON.stringify(serializeError(error)));
}

/** The error a failed job recorded, as framefuse's own (a reason from elsewhere becomes a bug report). */
export function readSegmentFailure(failedReason: string | undefined): SerializedError {
  try {
    const parsed = zSerializedError.safeParse(JSON.parse(failedReason ?? ''));
    if (parsed.success) return parsed.data;
  } catch {
    // not ours: fall through
  }
  return { kind: 'bug', code: 'FF_INTERNAL', message: failedReason ?? 'the job failed without a reason' };
}
