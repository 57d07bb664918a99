/**
 * The render farm's errors, with stable FF_FARM_* codes, in the taxonomy of src/errors.ts:
 * a bad --farm URL or a graph the farm cannot split is the user's to fix (exit 2); Redis
 * gone, a worker that cannot read the media, a segment that failed is the world failing
 * (exit 1).
 */
import { operationalError, userError, type ErrorDetails, type FramefuseError } from '../errors.js';

export type FarmUserCode =
  | 'FF_FARM_URL_INVALID'
  | 'FF_FARM_GRAPH_UNSUPPORTED'
  | 'FF_FARM_MEDIA_MODE'
  | 'FF_FARM_OPTION_INVALID'
  | 'FF_FARM_JOB_INVALID'
  | 'FF_FARM_SEGMENT_INVALID'
  | 'FF_FARM_RUN_UNKNOWN';
export type FarmOperationalCode =
  | 'FF_FARM_REDIS_UNREACHABLE'
  | 'FF_FARM_SPLIT_FAILED'
  | 'FF_FARM_SEGMENT_FAILED'
  | 'FF_FARM_MEDIA_NOT_SHARED'
  | 'FF_FARM_JOIN_FAILED'
  | 'FF_FARM_RUN_GONE';

export function farmUserError(code: FarmUserCode, message: string, details?: ErrorDetails): FramefuseError {
  return userError(code, message, details);
}

export function farmOperationalError(code: FarmOperationalCode, message: string, details?: ErrorDetails): FramefuseError {
  return operationalError(code, message, details);
}
