import { threadId } from 'node:worker_threads';
import { defineNode } from '../../src/node-api/define-node.js';
import { transformInstance, transformParams } from './_transform.js';

export default defineNode({
  type: 'TestAccel',
  version: 1,
  category: 'Test',
  title: 'Transform (accelerator)',
  description: 'Per-byte arithmetic on frames, run as an accelerator node in a worker thread (tests only).',
  kind: 'accelerator',
  // Stateless per batch: a stage of it may run as several copies.
  replicable: true,
  inputs: { frames: { type: 'Frames' } },
  outputs: { frames: { type: 'Frames' } },
  params: transformParams,
  create: (ctx) => {
    const inner = transformInstance(ctx);
    const intervals: [number, number][] = [];
    return {
      async process(batch) {
        const started = Date.now();
        const out = await inner.process(batch);
        intervals.push([started, Date.now()]);
        return out;
      },
      // Tells the test which thread ran it, with which batch size, and when it was busy.
      finish: () => ({ threadId, batchSize: ctx.batchSize, threads: ctx.threads, intervals }),
    };
  },
});
