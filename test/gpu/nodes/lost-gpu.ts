/**
 * Test-only accelerator node: passes frames through, and on its `failAt`-th batch fails the
 * way a session run fails when the GPU goes away (onnxruntime's error text for a lost
 * Vulkan device), through the runtime's own classification.
 */
import { z } from 'zod';
import { defineNode } from '../../../src/node-api/define-node.js';
import { deviceFailure } from '../../../src/runtime/device-errors.js';

export default defineNode({
  type: 'TestLostGpu',
  version: 1,
  category: 'Test',
  title: 'Lost GPU',
  description: 'Fails as if the GPU were lost mid-run (tests only).',
  kind: 'accelerator',
  inputs: { frames: { type: 'Frames' } },
  outputs: { frames: { type: 'Frames' } },
  params: z.object({ failAt: z.number().int().min(1).default(3) }),
  create: (ctx) => {
    let batches = 0;
    return {
      process(batch) {
        if (++batches === ctx.params.failAt) {
          throw deviceFailure(new Error('Non-zero status code returned while running Conv node. Status Message: VK_ERROR_DEVICE_LOST: the device was lost'), 'running model.onnx on webgpu');
        }
        return { frames: batch.inputs.frames };
      },
    };
  },
});
