/**
 * How a segment's failure crosses Redis: the worker throws BullMQ's UnrecoverableError
 * (a real failure is not retried: the same input fails the same way) whose message is the
 * serialized framefuse error; the submitter reads it back and names the segment.
 */
import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { deserializeError, serializeError, type SerializedError } from '../errors.js';

const zSerializedError = z.object({
  kind: z.enum(['user', 'operational', 'cancelled', 'bug']),
  code: z.string(),
  message: z.string(),
  node: z.string().optional(),
  field: z.string().optional(),
  fix: z.string().optional(),
  stack: z.string().optional(),
});

export function segmentFailure(error: unknown): UnrecoverableError {
  return new UnrecoverableError(JSON.stringify(serializeError(error)));
}

/** The error a failed job recorded, as framefuse's own (a reason from elsewhere becomes a bug report). */
export function readSegmentFailure(failedReason: string | undefined): SerializedError {
  try {
    const parsed = zSerializedError.safeParse(JSON.parse(failedReason ?? ''));
    if (parsed.success) return parsed.data as SerializedError;
  } catch {
    // not ours: fall through
  }
  return { kind: 'bug', code: 'FF_INTERNAL', message: failedReason ?? 'the job failed without a reason' };
}

export { deserializeError };
