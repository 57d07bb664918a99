import { defineNode } from '../../src/node-api/define-node.js';
import { transformInstance, transformParams } from './_transform.js';

export default defineNode({
  type: 'TestTransform',
  version: 1,
  category: 'Test',
  title: 'Transform (host)',
  description: 'Per-byte arithmetic on frames, on the main thread (tests only).',
  kind: 'host',
  inputs: { frames: { type: 'Frames' } },
  outputs: { frames: { type: 'Frames' } },
  params: transformParams,
  create: (ctx) => transformInstance(ctx),
});
