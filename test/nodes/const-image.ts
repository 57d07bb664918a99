/** Test-only value nodes: a constant image, and a stamp that adds its first byte to every frame. */
import { z } from 'zod';
import { defineNode } from '../../src/node-api/define-node.js';

export default defineNode({
  type: 'TestImage',
  version: 1,
  category: 'Test',
  title: 'Constant image',
  description: 'A 2x2 image whose bytes are all `value` (tests only).',
  kind: 'host',
  inputs: {},
  outputs: { image: { type: 'Image' } },
  params: z.object({ value: z.number().int().min(0).max(255).default(7) }),
  create: ({ params }) => ({
    open: () => ({ image: { width: 2, height: 2, data: new Uint8Array(12).fill(params.value) } }),
  }),
});
