/**
 * Swapper: replaces every detected face with the identity of the source image(s), with
 * inswapper_128. The source identity is computed once when the run opens (YuNet finds the
 * face, ArcFace embeds it; a source image without a face fails before frames flow). Per
 * batch, the faces of all its frames are aligned to arcface_128, swapped in padded
 * batches and pasted back through a box mask. After a Batcher, a Swapper followed by a
 * face-mode Enhancer runs as one composed model (the face-crop-chain fusion family).
 * While a live run goes, a new source picture (an Image whose path changed) gives a new
 * identity from the next frame on; a picture without a face is refused and the old one stays.
 * The swap weight may change too.
 */
import { defineNode } from '../src/index.js';
import { checkModelPresent } from '../src/models/paths.js';
import { threadSessionPool } from '../src/runtime/session-pool.js';
import type { ModelSession } from '../src/runtime/model-session.js';
import { boxMaskFor, swapperParams } from '../src/faces/swap/swapper-params.js';
import { SwapSource } from '../src/faces/swap/swap-source.js';
import { SWAP_SIZE, swapFaces } from '../src/faces/swap/swap-faces.js';
import { faceCropChain } from '../src/faces/fusion/face-crop-chain.js';

export default defineNode({
  type: 'Swapper',
  version: 1,
  category: 'Faces',
  title: 'Face swapper',
  description:
    'Replaces each detected face with the face of the source image (inswapper_128 with an ArcFace embedding). Connect more source images of the same person to average their identities.',
  kind: 'accelerator',
  // Stateless per batch: a stage of it may run as several copies.
  replicable: true,
  inputs: {
    frames: { type: 'Frames' },
    faces: { type: 'Faces', description: 'The faces to replace, per frame (from a Detector).' },
    source: { type: 'Image', description: 'A photo of the person whose face is put in.' },
    source2: { type: 'Image', optional: true, description: 'Another photo of the same person (embeddings are averaged).' },
    source3: { type: 'Image', optional: true, description: 'A third photo of the same person.' },
  },
  outputs: { frames: { type: 'Frames' } },
  params: swapperParams,
  fusion: faceCropChain,
  models: (params) => [params.model, params.embedder],
  check: async (params, env) => [
    ...(await checkModelPresent(params.model, env.models, 'model', env.cwd)),
    ...(await checkModelPresent(params.embedder, env.models, 'embedder', env.cwd)),
  ],
  create: (ctx) => {
    let session: ModelSession | undefined;
    const source = new SwapSource(ctx, ctx.params);
    let weight = ctx.params.weight;
    const mask = boxMaskFor(SWAP_SIZE, ctx.params);
    return {
      async open(inputs) {
        await source.open(inputs);
        session = await threadSessionPool.acquire(ctx.params.model, {
          providers: ctx.providers,
          threads: ctx.threads,
          modelsDir: ctx.paths.models,
          cwd: ctx.paths.cwd,
          batchify: ctx.batchSize > 1,
          log: ctx.log,
          expect: { inputs: { target: { dims: [null, 3, SWAP_SIZE, SWAP_SIZE] }, source: { dims: [null, 512] } } },
        });
        ctx.log.info(`${session.file} runs on ${session.provider}: ${session.providerReason}`);
      },
      // A new source face while live: taken only when a face was found in it.
      setInputs: (inputs) => source.change(inputs),
      // The weight may change while live.
      setParams: (next) => {
        weight = (next as typeof ctx.params).weight;
      },
      process: async ({ inputs }) => ({
        frames: await swapFaces(session!, inputs.frames, inputs.faces, source.vector, { weight, mask }),
      }),
      async dispose() {
        await session?.dispose();
      },
    };
  },
});
