/**
 * Test-only detector: YuNet (src/faces/yunet.ts) on every frame, the five points the
 * swap chain aligns with. Until the Detector node lands, the swap tests detect with this.
 */
import { z } from 'zod';
import { defineNode } from '../../../src/nodes/define-node.js';
import { openYunet } from '../../../src/faces/yunet-model.js';
import { detectFaces } from '../../../src/faces/yunet.js';
import type { ModelSession } from '../../../src/runtime/model-session.js';

export default defineNode({
  type: 'TestYunetFaces',
  version: 1,
  category: 'Test',
  title: 'YuNet faces',
  description: 'Detects faces with the shipped YuNet model (tests only).',
  kind: 'host',
  inputs: { frames: { type: 'Frames' } },
  outputs: { faces: { type: 'Faces' } },
  params: z.object({ scoreThreshold: z.number().default(0.7) }),
  create: (ctx) => {
    let yunet: ModelSession | undefined;
    return {
      async open(inputs) {
        yunet = await openYunet({ modelsDir: ctx.paths.models, threads: ctx.threads });
        return inputs.frames ? { faces: { frames: inputs.frames } } : {};
      },
      process: async ({ inputs }) => ({ faces: await detectFaces(yunet!, inputs.frames, { scoreThreshold: ctx.params.scoreThreshold }) }),
      dispose: async () => {
        await yunet?.dispose();
      },
    };
  },
});
