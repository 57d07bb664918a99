/**
 * Anonymizer: blurs, pixelates or fills the faces it is given, through a feathered
 * ellipse or box around each face. Pixels outside that region keep their exact values,
 * and the input frames are never changed (each output frame is a new buffer).
 */
import { z } from 'zod';
import { defineNode, liveSetting } from '../src/index.js';
import { anonymizeFrame } from '../src/faces/anonymize/anonymize-frame.js';
import { HEX_COLOR, parseHexColor } from '../src/faces/anonymize/parse-color.js';

export default defineNode({
  type: 'Anonymizer',
  version: 1,
  category: 'Faces',
  title: 'Anonymizer',
  description: 'Hides faces: blur, pixelate or a solid fill over each face (box or ellipse, padded, with a soft edge). The rest of the frame is left exactly as it was.',
  kind: 'compute',
  // Stateless per batch: a stage of it may run as several copies.
  replicable: true,
  inputs: {
    frames: { type: 'Frames', description: 'Frames to anonymize.' },
    faces: { type: 'Faces', description: 'The faces of each frame (from a Detector).' },
  },
  outputs: {
    frames: { type: 'Frames', description: 'The frames with their faces hidden.' },
  },
  params: z.object({
    mode: z.enum(['blur', 'pixelate', 'fill']).default('blur').describe('How faces are hidden.'),
    strength: liveSetting(z.number().min(0.05).max(1).default(0.5)).describe('Blur: radius as a fraction of half the face region\'s shorter side.'),
    blockSize: z.number().int().min(2).max(256).default(12).describe('Pixelate: block size in pixels.'),
    color: z.string().regex(HEX_COLOR, 'a #rgb or #rrggbb colour').default('#000000').describe('Fill: the colour, #rrggbb.'),
    shape: z.enum(['ellipse', 'box']).default('ellipse').describe('Shape of the covered region.'),
    padding: z.number().min(0).max(1).default(0.15).describe('Growth of the face box on each side, as a fraction of its size.'),
    feather: z.number().min(0).max(1).default(0.2).describe('Width of the soft edge, as a fraction of the region\'s half-size (0 = hard edge).'),
  }),
  create: ({ params }) => {
    let options = {
      mode: params.mode,
      strength: params.strength,
      blockSize: params.blockSize,
      color: parseHexColor(params.color),
      shape: params.shape,
      padding: params.padding,
      feather: params.feather,
    };
    return {
      // Only strength is live-editable; the rest stays as the run started.
      setParams: (next) => {
        options = { ...options, strength: (next as typeof params).strength };
      },
      process: ({ inputs }) => ({
        frames: inputs.frames.map((frame, i) => anonymizeFrame(frame, inputs.faces[i] ?? [], options)),
      }),
    };
  },
});
