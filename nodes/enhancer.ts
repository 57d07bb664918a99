/**
 * Enhancer: face mode restores every face (GFPGAN 1.4, CodeFormer; ffhq_512 crops pasted
 * back through a box mask); frame mode upscales whole frames (ESRGAN-slim built in,
 * Real-ESRGAN pulled), tiled so any size runs, which changes the frame size downstream.
 * After a Swapper (behind a Batcher), face mode joins it in one composed model.
 */
import { defineNode } from '../src/index.js';
import { userError } from '../src/errors.js';
import { checkModelPresent } from '../src/models/paths.js';
import { threadSessionPool } from '../src/runtime/session-pool.js';
import type { ModelSession } from '../src/runtime/model-session.js';
import type { FramesInfo } from '../src/index.js';
import { boxMaskFor } from '../src/faces/swap/swapper-params.js';
import { enhancerParams } from '../src/faces/enhance/enhancer-params.js';
import { ENHANCE_SIZE, enhanceFaces } from '../src/faces/enhance/enhance-faces.js';
import { frameModelSpec, isBuiltInFrameModel, type FrameModelSpec } from '../src/upscale/frame-models.js';
import { probeScale, inPixelRange, upscaleFrames } from '../src/upscale/upscale-frames.js';
import { faceCropChain } from '../src/faces/fusion/face-crop-chain.js';

export default defineNode({
  type: 'Enhancer',
  version: 1,
  category: 'Faces',
  title: 'Enhancer',
  description:
    'Face mode restores each detected face (GFPGAN 1.4, CodeFormer); frame mode upscales whole frames (ESRGAN x2/x4/x8 built in, Real-ESRGAN), tiled so any frame size works.',
  kind: 'accelerator',
  // Stateless per batch: a stage of it may run as several copies.
  replicable: true,
  inputs: {
    frames: { type: 'Frames' },
    faces: { type: 'Faces', optional: true, description: 'The faces to restore (face mode; required there).' },
  },
  outputs: { frames: { type: 'Frames' } },
  params: enhancerParams,
  fusion: faceCropChain,
  // Built-in frame models are converted on first use; their size is known once they are.
  models: (params) => [params.mode === 'face' ? params.faceModel : params.frameModel],
  check: async (params, env) => {
    if (params.mode === 'face') return checkModelPresent(params.faceModel, env.models, 'faceModel', env.cwd);
    // Built-in ESRGAN models are converted on first use; only pulled ones can be missing.
    return isBuiltInFrameModel(params.frameModel) ? [] : checkModelPresent(params.frameModel, env.models, 'frameModel', env.cwd);
  },
  create: (ctx) => {
    let p = ctx.params;
    let session: ModelSession | undefined;
    let spec: FrameModelSpec | undefined;
    const mask = boxMaskFor(ENHANCE_SIZE, p);
    const common = { providers: ctx.providers, threads: ctx.threads, modelsDir: ctx.paths.models, cwd: ctx.paths.cwd, batchify: ctx.batchSize > 1, log: ctx.log };
    return {
      async open(inputs) {
        if (p.mode === 'face') {
          if (!inputs.faces) {
            throw userError('FF_ENHANCER_NEEDS_FACES', 'face mode needs the faces input: connect a Detector\'s faces to it, or set mode to "frame"', { field: 'faces' });
          }
          session = await threadSessionPool.acquire(p.faceModel, common);
          ctx.log.info(`${session.file} runs on ${session.provider}: ${session.providerReason}`);
          return;
        }
        spec = await frameModelSpec(p.frameModel, ctx.paths.models, ctx.log);
        session = await threadSessionPool.acquire(spec.ref, common);
        const scale = await probeScale(inPixelRange(session, spec.std));
        ctx.log.info(`${session.file} upscales x${scale} on ${session.provider}`);
        const info = inputs.frames as FramesInfo | undefined;
        return info ? { frames: { ...info, width: info.width * scale, height: info.height * scale } } : {};
      },
      // Blend and fidelity may change while live (only live-editable parameters differ).
      setParams: (next) => {
        p = next as typeof p;
      },
      process: async ({ inputs }) => ({
        frames:
          p.mode === 'face'
            ? await enhanceFaces(session!, inputs.frames, inputs.faces ?? [], { blend: p.blend / 100, mask, fidelity: p.fidelity })
            : await upscaleFrames(session!, inputs.frames, spec!, p.blend / 100),
      }),
      async dispose() {
        await session?.dispose();
      },
    };
  },
});
