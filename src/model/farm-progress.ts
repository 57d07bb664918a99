/**
 * A farm run's progress as the submitter reads it from the queue: frames done across all
 * workers, each active worker's fps, and where every segment is (waiting, active on a
 * worker, done by a worker). The CLI prints it; the server sends it to the editor in the
 * run record and the `run:farm` event, which the editor parses with this schema.
 */
import { z } from 'zod';

export const zFarmSegmentState = z.enum(['waiting', 'active', 'done', 'failed', 'missing']);
export type FarmSegmentState = z.infer<typeof zFarmSegmentState>;

export const zFarmProgress = z.object({
  runId: z.string(),
  framesDone: z.number().int().min(0),
  framesTotal: z.number().int().min(0),
  /** How many segments are in each state. */
  segments: z.record(zFarmSegmentState, z.number().int().min(0)),
  /** Workers rendering a segment now, with their fps on it (segment: its 0-based index). */
  workers: z.array(z.object({ name: z.string(), fps: z.number().min(0), segment: z.number().int().min(0) })),
  /** Every segment in order: its state, its frames and the worker that has it (active) or rendered it (done). */
  segmentList: z
    .array(
      z.object({
        index: z.number().int().min(0),
        state: zFarmSegmentState,
        frames: z.number().int().min(0),
        worker: z.string().nullable(),
      }),
    )
    .default([]),
  elapsedMs: z.number().min(0),
});
export type FarmProgress = z.infer<typeof zFarmProgress>;
