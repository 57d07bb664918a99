/**
 * The farm's shared vocabulary: the BullMQ queue's name, the job ids, the Redis keys of a
 * run's record, and the zod schemas of what travels through Redis (a segment job, its
 * progress, its result, the run record). Submitter and worker both parse with these, so
 * a worker of another version that sends something else is refused, not misread.
 */
import { z } from 'zod';

/** One queue for every farm run on this Redis (database); runs are told apart by their id. */
export const FARM_QUEUE = 'framefuse-farm';
/** BullMQ's key prefix for our queue, and ours for run records. */
export const FARM_PREFIX = 'framefuse';
export const runKey = (runId: string) => `${FARM_PREFIX}:farm-run:${runId}`;
/** Present while a submitter follows the run (refreshed each poll, expires when none does): `farm clean` removes runs without it. */
export const submitterKey = (runId: string) => `${FARM_PREFIX}:farm-submitter:${runId}`;
export const segmentJobId = (runId: string, index: number) => `${runId}-${String(index).padStart(5, '0')}`;

/** Where a segment's frames lie in the source: frames [startFrame, endFrame), and the same as seconds. */
export const zSegment = z.object({
  index: z.number().int().min(0),
  startFrame: z.number().int().min(0),
  endFrame: z.number().int().positive(),
  startSeconds: z.number().min(0),
  endSeconds: z.number().positive(),
});
export type Segment = z.infer<typeof zSegment>;

export const zMediaMode = z.enum(['shared', 'stream']);
export type MediaMode = z.infer<typeof zMediaMode>;

export const zSegmentJob = z.object({
  runId: z.string().regex(/^[0-9a-f]{16}$/),
  segment: zSegment,
  segmentCount: z.number().int().positive(),
  /** The graph document, with --set overrides applied; the worker limits its Decoder and Encoder to the segment. */
  document: z.record(z.string(), z.unknown()),
  decoderId: z.string(),
  encoderId: z.string(),
  /** The submitter's working folder: relative paths in the graph resolve against it (shared mode). */
  cwd: z.string(),
  media: zMediaMode,
  /** Absolute path of the source video, as every worker must see it (shared mode). */
  source: z.string(),
  /** Absolute path the worker writes the segment to. */
  segmentPath: z.string(),
});
export type SegmentJob = z.infer<typeof zSegmentJob>;

export const zSegmentProgress = z.object({
  worker: z.string(),
  framesDone: z.number().int().min(0),
  fps: z.number().min(0),
});
export type SegmentProgress = z.infer<typeof zSegmentProgress>;

export const zSegmentResult = z.object({
  worker: z.string(),
  frames: z.number().int().min(0),
  wallMs: z.number().min(0),
  path: z.string(),
});
export type SegmentResult = z.infer<typeof zSegmentResult>;

export const zRunState = z.enum(['running', 'cancelled']);

/** What Redis keeps of a run, so that a restarted submitter re-attaches instead of starting again. */
export const zRunRecord = z.object({
  runId: z.string(),
  state: zRunState,
  createdAt: z.string(),
  source: z.string(),
  output: z.string(),
  segmentDir: z.string(),
  segments: z.array(zSegment),
  frames: z.number().int().positive(),
  fps: z.number().positive(),
  /** Stream mode: the submitter's endpoint for segment inputs and outputs (a re-attached submitter publishes its new one). */
  stream: z.object({ url: z.string().url(), token: z.string().min(32) }).nullable().default(null),
});
export type RunRecord = z.infer<typeof zRunRecord>;
