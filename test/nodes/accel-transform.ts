import { threadId } from 'node:worker_threads';
import { defineNode } from '../../src/nodes/define-node.js';
import { transformInstance, transformParams } from './_transform.js';

export default defineNode({
  type: 'TestAccel',
  version: 1,
  category: 'Test',
  title: 'Transform (accelerator)',
  description: 'Per-byte arithmetic on frames, run as an accelerator node in a worker thread (tests only).',
  kind: 'accelerator',
  inputs: { frames: { type: 'Frames' } },
  outputs: { frames: { type: 'Frames' } },
  params: transformParams,
  create: (ctx) => {
    const inner = transformInstance(ctx);
    return {
      process: inner.process,
      // Tells the test which thread ran it and with which batch size.
      finish: () => ({ threadId, batchSize: ctx.batchSize, threads: ctx.threads }),
    };
  },
});
