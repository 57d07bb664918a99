/**
 * The Enhancer's frame mode models: ESRGAN-slim x2/x3/x4/x8 (built in, converted from an
 * npm package on first use, RGB 0..255) and Real-ESRGAN x2/x4 (pulled, RGB 0..1), or a
 * path to an .onnx file with Real-ESRGAN's signature (RGB 0..1, [N,3,H,W] -> [N,3,sH,sW]).
 */
import { ensurePrepared } from '../../importers/tfjs/register.js';
import type { NodeLog } from '../../node-api/define-node.js';

export const BUILT_IN_FRAME_MODELS = ['esrgan_x2', 'esrgan_x3', 'esrgan_x4', 'esrgan_x8'] as const;
export const PULLED_FRAME_MODELS = ['real_esrgan_x2', 'real_esrgan_x4'] as const;

export interface FrameModelSpec {
  /** What to open: a prepared file's path, a manifest id or a path. */
  ref: string;
  /** Pixel value the model's 1.0 stands for: 255 for ESRGAN-slim (0..255), 1 for Real-ESRGAN (0..1). */
  range: 1 | 255;
  /** Tile side and context kept around each core, in input pixels. */
  tile: number;
  overlap: number;
}

export function isBuiltInFrameModel(name: string): name is (typeof BUILT_IN_FRAME_MODELS)[number] {
  return (BUILT_IN_FRAME_MODELS as readonly string[]).includes(name);
}

/**
 * The model to open for `name`, preparing a built-in one when it is missing. ESRGAN-slim's
 * receptive radius is about 10 input pixels (overlap 12 makes tiles seamless);
 * Real-ESRGAN's is larger, hence FaceFusion's 256 tiles with 16 pixels of context.
 */
export async function frameModelSpec(name: string, modelsDir: string, log?: NodeLog): Promise<FrameModelSpec> {
  if (isBuiltInFrameModel(name)) {
    const path = await ensurePrepared(name, modelsDir, log ? { log: (m: string) => log.info(m) } : {});
    return { ref: path, range: 255, tile: 160, overlap: 12 };
  }
  return { ref: name, range: 1, tile: 256, overlap: 16 };
}
