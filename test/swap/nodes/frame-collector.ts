/** Test-only sink: keeps every frame (and the faces, when connected) it receives; its result is what tests compare. */
import { z } from 'zod';
import { defineNode } from '../../../src/node-api/define-node.js';
import type { Face, Frame, FramesInfo } from '../../../src/model/port-values.js';

export default defineNode({
  type: 'TestFrameCollector',
  version: 1,
  category: 'Test',
  title: 'Frame collector',
  description: 'Collects frames in arrival order (tests only).',
  kind: 'host',
  inputs: { frames: { type: 'Frames' }, faces: { type: 'Faces', optional: true } },
  outputs: {},
  params: z.object({}),
  create: () => {
    const frames: Frame[] = [];
    const faces: Face[][] = [];
    let info: FramesInfo | null = null;
    return {
      open(inputs) {
        info = inputs.frames ?? null;
      },
      process: ({ inputs }) => {
        for (const f of inputs.frames) frames.push({ width: f.width, height: f.height, data: f.data.slice() });
        for (const list of inputs.faces ?? []) faces.push(list);
        return {};
      },
      finish: () => ({ frames, faces, info }),
    };
  },
});
