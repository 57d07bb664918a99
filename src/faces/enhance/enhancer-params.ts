/** The Enhancer's parameters: one schema for the node, its form, the CLI and the fused chain. */
import { z } from 'zod';
import { maskParams } from '../swap/swapper-params.js';
import { liveSetting, modelRef } from '../../model/param-roles.js';

export const enhancerParams = z.object({
  mode: z.enum(['face', 'frame']).default('face').describe('face: restore each face (needs Faces); frame: upscale whole frames (changes the frame size).'),
  faceModel: modelRef(z.string().min(1).default('gfpgan_1.4'), 'face-enhancer').describe('Face mode model: gfpgan_1.4, codeformer, or a path to an .onnx file taking and giving 512x512 RGB in [-1,1].'),
  frameModel: modelRef(z.string().min(1).default('esrgan_x2'), 'frame-upscaler').describe('Frame mode model: esrgan_x2, esrgan_x3, esrgan_x4, esrgan_x8 (built in), real_esrgan_x2, real_esrgan_x4 (pulled), or a path to an .onnx file (RGB 0..1).'),
  fidelity: liveSetting(z.number().min(0).max(1).default(0.5)).describe("CodeFormer's fidelity weight: higher keeps more of the input face. Live-editable."),
  blend: liveSetting(z.number().min(0).max(100).default(80)).describe('Percent of the enhanced result kept; the rest is the input (FaceFusion: enhancer blend). Live-editable.'),
  ...maskParams,
});

export type EnhancerParams = z.output<typeof enhancerParams>;
