import { threadId } from 'node:worker_threads';
import { defineNode } from '../../src/node-api/define-node.js';
import { transformInstance, transformParams } from './_transform.js';

export default defineNode({
  type: 'TestCompute',
  version: 1,
  category: 'Test',
  title: 'Transform (compute)',
  description: 'Per-byte arithmetic on frames as heavy JavaScript work, in a worker of its own (tests only).',
  kind: 'compute',
  // Stateless per batch: a stage of it may run as several copies.
  replicable: true,
  inputs: { frames: { type: 'Frames' } },
  outputs: { frames: { type: 'Frames' } },
  params: transformParams,
  create: (ctx) => ({ ...transformInstance(ctx), finish: () => ({ threadId }) }),
});
