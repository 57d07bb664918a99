/**
 * Image: loads a still (PNG, JPEG, WebP, BMP, ...) once when the run opens and offers it
 * as an Image value, for example the source face of a swap or the reference face of a
 * Detector's reference selector. Its path may change while a live run goes: the new
 * picture is loaded and handed to the nodes that read it (a Swapper takes the new face).
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
    path: inputFile(z.string().min(1), 'image', { liveEditable: true }).describe('Image file to load. Relative paths resolve against the working folder. Live-editable: a live run takes the new picture without a restart.'),
  }),
  // Whether the file exists and is a file is checked through the path's role (src/graph/check-files.ts).
  create: (ctx) => {
    const load = async (path: string) => {
      const file = resolve(ctx.paths.cwd, path);
      const image = await loadImage(file, { signal: ctx.signal });
      ctx.log.info(`${file}: ${image.width}x${image.height}`);
      return { image };
    };
    return {
      open: () => load(ctx.params.path),
      // A new path while live: the new picture goes to the nodes that read it.
      setParams: (next) => load((next as { path: string }).path),
    };
  },
});
