/** Generated face-swap models written to a temporary folder, for the swap tests. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeModel } from '../../src/onnx/model-io.js';
import type { ModelProto } from '../../src/onnx/proto.js';
import {
  buildArcfaceLikeModel,
  buildFaceEnhancerLikeModel,
  buildInswapperLikeModel,
  buildUpscalerLikeModel,
} from '../../src/faces/swap/synthetic-face-models.js';

export interface FaceModelFiles {
  dir: string;
  swapper: string;
  embedder: string;
  gfpgan: string;
  codeformer: string;
  upscaler: string;
}

export function writeFaceModels(): FaceModelFiles {
  const dir = mkdtempSync(join(tmpdir(), 'framefuse-swap-'));
  const write = (name: string, model: ModelProto) => {
    const path = join(dir, `${name}.onnx`);
    writeFileSync(path, encodeModel(model));
    return path;
  };
  return {
    dir,
    // Modest sizes keep the tests quick on two cores; the structure is inswapper's.
    swapper: write('inswapper_like', buildInswapperLikeModel({ channels: 16, convs: 4 })),
    embedder: write('arcface_like', buildArcfaceLikeModel()),
    gfpgan: write('gfpgan_like', buildFaceEnhancerLikeModel()),
    codeformer: write('codeformer_like', buildFaceEnhancerLikeModel({ fidelity: true, seed: 32 })),
    upscaler: write('upscaler_like', buildUpscalerLikeModel()),
  };
}
