/**
 * Image: loads a still (PNG, JPEG, WebP, BMP, ...) once when the run opens and offers it
 * as an Image value, for example the source face of a swap or the reference face of a
 * Detector's reference selector.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { defineNode } from '../src/nodes/define-node.js';
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
    path: z.string().min(1).describe('Image file to load. Relative paths resolve against the working folder.'),
  }),
  check: (params, env) => {
    const file = resolve(env.cwd, params.path);
    if (!existsSync(file)) return [{ code: 'FF_MEDIA_MISSING', severity: 'error', param: 'path', message: `Image ${file} does not exist.` }];
    if (statSync(file).isDirectory()) return [{ code: 'FF_MEDIA_MISSING', severity: 'error', param: 'path', message: `Image ${file} is a folder, not a file.` }];
    return [];
  },
  create: (ctx) => ({
    async open() {
      const file = resolve(ctx.paths.cwd, ctx.params.path);
      const image = await loadImage(file, { signal: ctx.signal });
      ctx.log.info(`${file}: ${image.width}x${image.height}`);
      return { image };
    },
  }),
});
