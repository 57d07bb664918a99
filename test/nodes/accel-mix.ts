import { z } from 'zod';
import { defineNode } from '../../src/nodes/define-node.js';

export default defineNode({
  type: 'TestAccelMix',
  version: 1,
  category: 'Test',
  title: 'Mix (accelerator)',
  description: 'Joins two frame streams: the per-byte sum in a worker (tests only).',
  kind: 'accelerator',
  inputs: { a: { type: 'Frames' }, b: { type: 'Frames' } },
  outputs: { frames: { type: 'Frames' } },
  params: z.object({}),
  create: () => ({
    process: ({ inputs }) => ({
      frames: inputs.a.map((fa, i) => {
        const fb = inputs.b[i]!;
        const data = new Uint8Array(fa.data.length);
        for (let j = 0; j < data.length; j++) data[j] = (fa.data[j]! + 3 * fb.data[j]!) & 255;
        return { width: fa.width, height: fa.height, data };
      }),
    }),
  }),
});
