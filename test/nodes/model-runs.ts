import { z } from 'zod';
import { defineNode } from '../../src/node-api/define-node.js';
import { openModel } from '../../src/runtime/model-session.js';
import type { Frame } from '../../src/model/port-values.js';

/** Frames pass through unchanged; one run of an ONNX model per batch (tests of sessions kept between runs only). */
export default defineNode({
  type: 'TestModelRuns',
  version: 1,
  category: 'Test',
  title: 'Model runs (test)',
  description: 'Opens an ONNX model in its worker thread and runs it once per batch; reports how many runs the session had made when it was opened (tests only).',
  kind: 'accelerator',
  inputs: { frames: { type: 'Frames' } },
  outputs: { frames: { type: 'Frames' } },
  params: z.object({ onnx: z.string(), feedsSize: z.number().int().default(32) }),
  create: async (ctx) => {
    const session = await openModel(ctx.params.onnx, { threads: 1 });
    const runsAtOpen = session.runs;
    const size = ctx.params.feedsSize;
    const feeds = {
      target: { data: new Float32Array(3 * size * size), dims: [1, 3, size, size] },
      source: { data: new Float32Array(512), dims: [1, 512] },
    };
    return {
      async process(batch) {
        await session.run(feeds);
        return { frames: (batch.inputs as Record<string, Frame[]>).frames! };
      },
      // The graph this run embeds in what it writes: a kept thread must take each run's own.
      finish: () => ({ runsAtOpen, embedGraph: ctx.output.embedGraph }),
      dispose: () => session.dispose(),
    };
  },
});
