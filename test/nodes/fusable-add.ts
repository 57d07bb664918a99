import { z } from 'zod';
import { defineNode } from '../../src/node-api/define-node.js';
import { addFamily } from './_add-family.js';

export default defineNode({
  type: 'TestFusableAdd',
  version: 1,
  category: 'Test',
  title: 'Add (fusable)',
  description: 'Adds a constant to every byte; consecutive ones compose into one pass (tests only).',
  kind: 'accelerator',
  inputs: { frames: { type: 'Frames' } },
  outputs: { frames: { type: 'Frames' } },
  params: z.object({ amount: z.number().int().min(0).max(255).default(1), declineFusion: z.boolean().default(false) }),
  fusion: addFamily,
  create: ({ params }) => ({
    process: ({ inputs }) => ({ frames: inputs.frames.map((f) => ({ width: f.width, height: f.height, data: f.data.map((v) => (v + params.amount) & 255) })) }),
    finish: () => ({ composed: false }),
  }),
});
