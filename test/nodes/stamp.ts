import { z } from 'zod';
import { defineNode } from '../../src/node-api/define-node.js';

export default defineNode({
  type: 'TestStamp',
  version: 1,
  category: 'Test',
  title: 'Stamp',
  description: "Adds the image's first byte to every byte of every frame, in a worker (tests only).",
  kind: 'accelerator',
  // Stateless per batch: a stage of it may run as several copies.
  replicable: true,
  inputs: { frames: { type: 'Frames' }, image: { type: 'Image' } },
  outputs: { frames: { type: 'Frames' } },
  params: z.object({}),
  create: () => {
    let add = 0;
    return {
      open: (inputs) => {
        add = inputs.image?.data[0] ?? 0;
      },
      // A live run's Image given a new path: the new picture's first byte from the next batch on.
      setInputs: (inputs) => {
        if (inputs.image) add = inputs.image.data[0] ?? 0;
      },
      process: ({ inputs }) => ({
        frames: inputs.frames.map((f) => ({ width: f.width, height: f.height, data: f.data.map((v) => (v + add) & 255) })),
      }),
    };
  },
});
