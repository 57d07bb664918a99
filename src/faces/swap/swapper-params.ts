/** The Swapper's parameters: one schema for the node, its form, the CLI and the fused chain. */
import { z } from 'zod';
import { boxMask } from '../geometry/index.js';
import { liveSetting, modelRef } from '../../model/param-roles.js';

/** Box mask parameters, shared by the Swapper and the Enhancer (FaceFusion's defaults). */
export const maskParams = {
  maskBlur: z.number().min(0).max(1).default(0.3).describe('How soft the pasted edge is, as a fraction of half the crop (FaceFusion: face mask blur).'),
  maskPadding: z
    .array(z.number().min(0).max(100))
    .length(4)
    .default([0, 0, 0, 0])
    .describe('Extra margin cut from the mask per side, in percent of the crop: top, right, bottom, left.'),
};

export const swapperParams = z.object({
  model: modelRef(z.string().min(1).default('inswapper_128'), 'face-swapper').describe('Swap model: inswapper_128, inswapper_128_fp16, or a path to an .onnx file with the same signature and emap.'),
  embedder: modelRef(z.string().min(1).default('arcface_w600k_r50'), 'face-embedder').describe('Identity embedder for the source face: arcface_w600k_r50 or a path to an .onnx file.'),
  weight: liveSetting(z.number().min(0).max(1).default(1)).describe('Swap weight: 1 takes the swapped face, lower values blend it with the original crop. Live-editable.'),
  ...maskParams,
});

export type SwapperParams = z.output<typeof swapperParams>;

/** The box mask a node's mask parameters describe. */
export function boxMaskFor(size: number, params: { maskBlur: number; maskPadding: readonly number[] }): Float32Array {
  const [top = 0, right = 0, bottom = 0, left = 0] = params.maskPadding;
  return boxMask(size, { blur: params.maskBlur, padding: [top, right, bottom, left] });
}
