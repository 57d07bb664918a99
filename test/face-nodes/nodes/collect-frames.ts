/** Test-only sink: keeps every frame it receives (index and a copy of the pixels). */
import { z } from 'zod';
import { defineNode } from '../../../src/node-api/define-node.js';
import type { Frame } from '../../../src/model/port-values.js';

export default defineNode({
  type: 'FaceTestFrames',
  version: 1,
  category: 'Test',
  title: 'Collect frames',
  description: 'Keeps every frame; the result is { indices, frames } (tests only).',
  kind: 'host',
  inputs: { frames: { type: 'Frames' } },
  outputs: {},
  params: z.object({}),
  create: () => {
    const indices: number[] = [];
    const frames: Frame[] = [];
    return {
      process: ({ indices: batch, inputs }) => {
        inputs.frames.forEach((f, i) => {
          indices.push(batch[i]!);
          frames.push({ width: f.width, height: f.height, data: new Uint8Array(f.data) });
        });
        return {};
      },
      finish: () => ({ indices, frames }),
    };
  },
});
