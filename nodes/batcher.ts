/**
 * Batcher: sets the batch size, and how long a partial batch may wait, for the nodes
 * downstream. It has no stage of its own: the planner looks through it, and the stages
 * after it form batches of this size from their queues (as DeepStream's nvstreammux and
 * Triton's dynamic batcher do).
 */
import { z } from 'zod';
import { defineNode } from '../src/index.js';
import { BATCH_SIZES } from '../src/plan/batch-sizes.js';

export { BATCH_SIZES };

export default defineNode({
  type: 'Batcher',
  version: 1,
  category: 'Batching',
  title: 'Batcher',
  description:
    'Runs the nodes after it on batches of frames: one batched model call per batch instead of one per frame. A partial batch is sent when the flush deadline passes or the video ends.',
  kind: 'host',
  inputs: { frames: { type: 'Frames' } },
  outputs: { frames: { type: 'Frames' } },
  params: z.object({
    size: z
      .literal(['auto', ...BATCH_SIZES])
      .default('auto')
      .describe('Frames per batch: auto takes the size framefuse tune measured best for the models after it on this device (else 8 on a GPU, 4 on the CPU); a number pins it. Sizes come from a fixed set, since every new shape costs GPU providers a re-plan.'),
    deadlineMs: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .default(50)
      .describe('How long a partial batch waits for more frames before it is sent, in milliseconds.'),
  }),
  batching: (params) => ({ size: params.size, deadlineMs: params.deadlineMs }),
  create: () => ({
    // Never called: the planner looks through batching nodes. Kept as an identity so a
    // runner that does not know about them still gets the right frames.
    process: (batch) => ({ frames: batch.inputs.frames }),
  }),
});
