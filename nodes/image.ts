/**
 * Image: loads a still (PNG, JPEG, WebP, BMP, ...) once when the run opens and offers it
 * as an Image value, for example the source face of a swap or the reference face of a
 * Detector's reference selector.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { defineNode } from '../src/index.js';
import { inputFile } from '../src/index.js';
import { loadImage } from '../src/media/load-image.js';

export default defineNode({
  type: 'Image',
  version: 1,
  category: 'Media',
  title: 'Image',
  description: 'Loads a still image (PNG, JPEG, WebP, BMP) once, as RGB: a source face for the Swapper, a reference face for the Detector.',
  kind: 'host',
  inputs: {},
  outputs: {
    image: { type: 'Image', description: 'The picture, RGB, 8 bits per channel.' },
  },
  params: z.object({
    path: inputFile(z.string().min(1), 'image').describe('Image file to load. Relative paths resolve against the working folder.'),
  }),
  // Whether the file exists and is a file is checked through the path's role (src/graph/check-files.ts).
  create: (ctx) => ({
    async open() {
      const file = resolve(ctx.paths.cwd, ctx.params.path);
      const image = await loadImage(file, { signal: ctx.signal });
      ctx.log.info(`${file}: ${image.width}x${image.height}`);
      return { image };
    },
  }),
});
