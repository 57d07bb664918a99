/**
 * The Enhancer's frame mode models: ESRGAN-slim x2/x3/x4/x8 (built in, converted from an
 * npm package on first use, RGB 0..255) and Real-ESRGAN x2/x4 (pulled, RGB 0..1), or a
 * path to an .onnx file with Real-ESRGAN's signature (RGB 0..1, [N,3,H,W] -> [N,3,sH,sW]).
 * Each model's value range is the manifest's (its input's normalization std).
 */
import { ensurePrepared } from '../importers/tfjs/register.js';
import type { NodeLog } from '../node-api/define-node.js';
import { inputSpec } from '../models/model-facts.js';

export const BUILT_IN_FRAME_MODELS = ['esrgan_x2', 'esrgan_x3', 'esrgan_x4', 'esrgan_x8'] as const;
export const PULLED_FRAME_MODELS = ['real_esrgan_x2', 'real_esrgan_x4'] as const;

export interface FrameModelSpec {
  /** What to open: a prepared file's path, a manifest id or a path. */
  ref: string;
  /** The model's values are pixels / std: 1 for ESRGAN-slim (0..255), 255 for Real-ESRGAN (0..1). */
  std: number;
  /** Tile side and context kept around each core, in input pixels. */
  tile: number;
  overlap: number;
}

function isPulledFrameModel(name: string): name is (typeof PULLED_FRAME_MODELS)[number] {
  return (PULLED_FRAME_MODELS as readonly string[]).includes(name);
}

/** The model's input std, from the manifest (mean is 0 for every frame model). */
function stdOf(id: string): number {
  const std = inputSpec(id).normalization?.std ?? 1;
  return typeof std === 'number' ? std : std[0]!;
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
    return { ref: path, std: stdOf(name), tile: 160, overlap: 12 };
  }
  // A path is taken to have Real-ESRGAN's signature (the node's schema says so).
  return { ref: name, std: stdOf(isPulledFrameModel(name) ? name : PULLED_FRAME_MODELS[0]), tile: 256, overlap: 16 };
}
