/**
 * LiveView: shows the frames it gets in the editor, beside the graph, as they come. It hands
 * each frame to the run's view (the server JPEG-encodes the newest one and sends it over the
 * socket, dropping any it had not sent yet), so it never holds the pipeline up. Headless
 * (the CLI) there is no view: frames end here.
 */
import { z } from 'zod';
import { defineNode } from '../src/index.js';

export default defineNode({
  type: 'LiveView',
  version: 1,
  category: 'Media',
  title: 'Live view',
  description: 'Shows the frames in the editor as they come (newest first, never holding the pipeline up), with end-to-end latency and frame rates. Headless it shows nothing.',
  kind: 'host',
  inputs: { frames: { type: 'Frames', description: 'Frames to show.' } },
  outputs: {},
  params: z.object({}),
  create: (ctx) => {
    const view = ctx.live?.view(ctx.id) ?? null;
    return {
      process: ({ indices, inputs }) => {
        const last = inputs.frames.length - 1;
        if (view && last >= 0) view.offer(inputs.frames[last]!, indices[last]!);
        return {};
      },
    };
  },
});
