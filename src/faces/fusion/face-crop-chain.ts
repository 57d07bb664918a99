/**
 * The `face-crop-chain` fusion family: a Swapper followed by a face-mode Enhancer in one
 * fused stage run as ONE composed ONNX model (swap, warp into the ffhq_512 crop, blend,
 * enhance, final mask), one session run per batch and one paste-back per face, instead of
 * two models, two alignments and two paste-backs. Any other chain (frame mode, different
 * faces streams, a model that refuses composition) declines with the reason logged, and
 * the stage runs its nodes one by one.
 */
import { isFramefuseError } from '../../errors.js';
import type { FusedInstance, FusionFamily, FusionMember } from '../../nodes/define-node.js';
import type { Face, Frame } from '../../run/media-types.js';
import { threadSessionPool } from '../../runtime/session-pool.js';
import type { ModelSession } from '../../runtime/model-session.js';
import type { EnhancerParams } from '../enhance/enhancer-params.js';
import { boxMaskFor, type SwapperParams } from '../swap/swapper-params.js';
import { sourceImagesOf, swapSourceVector } from '../swap/swap-source.js';
import { composedChainFile } from './composed-chain-file.js';
import { runFaceChain } from './fused-chain.js';
import { FACE_CROP, SWAP_CROP } from './warp-blend-model.js';

const FAMILY = 'face-crop-chain';

/** The two members when they form a chain this family composes, else why not. */
export function chainMembers(members: readonly FusionMember[]): { swapper: FusionMember; enhancer: FusionMember } | string {
  const types = members.map((m) => m.definition.type);
  if (members.length !== 2 || types[0] !== 'Swapper' || types[1] !== 'Enhancer') return `it composes a Swapper followed by an Enhancer, not ${types.join(' -> ')}`;
  const [swapper, enhancer] = members as [FusionMember, FusionMember];
  if ((enhancer.params as EnhancerParams).mode !== 'face') return `${enhancer.id} runs in frame mode`;
  const frames = enhancer.inputs.find((i) => i.port === 'frames');
  if (!frames?.internal || frames.from !== `${swapper.id}.frames`) return `${enhancer.id} does not take its frames from ${swapper.id}`;
  // The composed model never produces the swapped-but-not-enhanced frames.
  if (swapper.consumedOutputs.length > 0) return `another stage reads ${swapper.id}.${swapper.consumedOutputs.join(', ')}, which the composed model does not produce`;
  const swapFaces = swapper.inputs.find((i) => i.port === 'faces')?.from;
  const enhanceFaces = enhancer.inputs.find((i) => i.port === 'faces')?.from;
  if (!enhanceFaces || enhanceFaces !== swapFaces) return `${enhancer.id} enhances other faces (${enhanceFaces ?? 'none'}) than ${swapper.id} swaps (${swapFaces})`;
  return { swapper, enhancer };
}

export const faceCropChain: FusionFamily = {
  id: FAMILY,
  async fuse(members) {
    const chain = chainMembers(members);
    const log = members[0]!.ctx.log;
    if (typeof chain === 'string') {
      log.info(`${FAMILY} declined, running node by node: ${chain}`);
      return null;
    }
    const { swapper, enhancer } = chain;
    const sp = swapper.params as SwapperParams;
    const ep = enhancer.params as EnhancerParams;
    const ctx = swapper.ctx;
    let file;
    try {
      file = await composedChainFile(
        { swapper: sp.model, enhancer: ep.faceModel },
        { modelsDir: ctx.paths.models, cwd: ctx.paths.cwd, log: (m) => log.info(m) },
      );
    } catch (error) {
      // A model that cannot be batchified or composed still runs, node by node.
      if (isFramefuseError(error) && (error.code === 'FF_COMPOSE_REFUSED' || error.code === 'FF_BATCHIFY_UNPROVEN')) {
        log.warn(`${FAMILY} declined, running node by node: ${error.message}`);
        return null;
      }
      throw error;
    }
    return new ComposedFaceChain(swapper, enhancer, file.path, file.inputs);
  },
};

class ComposedFaceChain implements FusedInstance {
  private session: ModelSession | undefined;
  private source: Float32Array | undefined;
  private readonly swapMask: Float32Array;
  private readonly faceMask: Float32Array;

  constructor(
    private readonly swapper: FusionMember,
    private readonly enhancer: FusionMember,
    private readonly path: string,
    private readonly names: Awaited<ReturnType<typeof composedChainFile>>['inputs'],
  ) {
    this.swapMask = boxMaskFor(SWAP_CROP, swapper.params as SwapperParams);
    this.faceMask = boxMaskFor(FACE_CROP, enhancer.params as EnhancerParams);
  }

  async open(inputs: Record<string, Record<string, unknown>>): Promise<void> {
    const ctx = this.swapper.ctx;
    this.source = await swapSourceVector(ctx, this.swapper.params as SwapperParams, sourceImagesOf(inputs[this.swapper.id] ?? {}));
    this.session = await threadSessionPool.acquire(this.path, {
      providers: ctx.providers,
      threads: ctx.threads,
      modelsDir: ctx.paths.models,
      cwd: ctx.paths.cwd,
      log: ctx.log,
    });
    ctx.log.info(`${this.swapper.id} + ${this.enhancer.id} run as one model on ${this.session.provider}: ${this.session.providerReason}`);
  }

  async process(batch: { inputs: Record<string, Record<string, unknown[]>> }): Promise<Record<string, Record<string, unknown[]>>> {
    const own = batch.inputs[this.swapper.id] ?? {};
    const sp = this.swapper.params as SwapperParams;
    const ep = this.enhancer.params as EnhancerParams;
    const frames = await runFaceChain(this.session!, this.names, own['frames'] as Frame[], own['faces'] as Face[][], {
      source: this.source!,
      swapWeight: sp.weight,
      blend: ep.blend / 100,
      fidelity: ep.fidelity,
      swapMask: this.swapMask,
      faceMask: this.faceMask,
    });
    return { [this.enhancer.id]: { frames } };
  }

  async dispose(): Promise<void> {
    await this.session?.dispose();
  }
}
