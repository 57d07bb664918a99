/**
 * The `face-crop-chain` fusion family: a Swapper followed by a face-mode Enhancer in one
 * fused stage run as one model chain (swap, warp into the ffhq_512 crop, blend, enhance,
 * final mask): one alignment and one paste-back per face instead of two of each.
 * - On the CPU (and CUDA) provider the chain is linked into ONE model, one session run per
 *   batch, and the host cuts the crops and pastes the faces back.
 * - On WebGPU the frames go to the device whole: crops, the chain (one linked model, or a
 *   session per part chained on the device, as the plan's strategy says) and paste-back
 *   all run there, and the frames come back once.
 * Any other chain (frame mode, different faces streams, a model that refuses composition)
 * declines with the reason logged, and the stage runs its nodes one by one.
 */
import { isFramefuseError } from '../../errors.js';
import type { FusedInstance, FusedStrategy, FusionCandidate, FusionFamily, FusionMember } from '../../node-api/define-node.js';
import type { Face, Frame } from '../../model/port-values.js';
import { threadSessionPool } from '../../runtime/session-pool.js';
import type { ModelSession } from '../../runtime/model-session.js';
import type { EnhancerParams } from '../enhance/enhancer-params.js';
import { boxMaskFor, type SwapperParams } from '../swap/swapper-params.js';
import { SwapSource } from '../swap/swap-source.js';
import { faceChainFiles, type ChainFiles } from './composed-chain-file.js';
import { pasteGlueFiles } from './glue-files.js';
import { GLUE } from './device-glue.js';
import { runFaceChainOnDevice } from './fused-chain-device.js';
import type { ChainInputs } from './compose-chain.js';
import { SessionChain } from '../../runtime/session-chain.js';
import { runFaceChain, type ChainSettings } from './fused-chain.js';
import { FACE_CROP, SWAP_CROP } from './warp-blend-model.js';

const FAMILY = 'face-crop-chain';

/** The two members when they form a chain this family composes, else why not. */
export function chainMembers<M extends FusionCandidate>(members: readonly M[]): { swapper: M; enhancer: M } | string {
  const types = members.map((m) => m.definition.type);
  if (members.length !== 2 || types[0] !== 'Swapper' || types[1] !== 'Enhancer') return `it composes a Swapper followed by an Enhancer, not ${types.join(' -> ')}`;
  const [swapper, enhancer] = members as unknown as [M, M];
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
  check(members) {
    const chain = chainMembers(members);
    return typeof chain === 'string' ? chain : null;
  },
  async fuse(members) {
    const chain = chainMembers(members);
    const log = members[0]!.ctx.log;
    if (typeof chain === 'string') {
      log.info(`${FAMILY} declined, running node by node: ${chain}`);
      return null;
    }
    const { swapper, enhancer } = chain;
    const ctx = swapper.ctx;
    // The glue runs where the stage runs: on WebGPU the frames go to the device whole.
    const onGpu = ctx.providers[0] === 'webgpu';
    try {
      return onGpu ? await DeviceFaceChain.open(swapper, enhancer, ctx.strategy) : await HostFaceChain.open(swapper, enhancer);
    } catch (error) {
      // A model that cannot be batchified or composed still runs, node by node.
      if (isFramefuseError(error) && (error.code === 'FF_COMPOSE_REFUSED' || error.code === 'FF_BATCHIFY_UNPROVEN')) {
        log.warn(`${FAMILY} declined, running node by node: ${error.message}`);
        return null;
      }
      throw error;
    }
  },
};

/**
 * What both chains share: the source vector and the settings that may change while a live
 * run goes (swap weight, enhancer blend and fidelity, a new source face), read per batch.
 */
abstract class LiveChain {
  private readonly source: SwapSource;
  private swapperParams: SwapperParams;
  private enhancerParams: EnhancerParams;
  private readonly swapMask: Float32Array;
  private readonly faceMask: Float32Array;

  protected constructor(
    protected readonly swapper: FusionMember,
    protected readonly enhancer: FusionMember,
  ) {
    this.swapperParams = swapper.params as SwapperParams;
    this.enhancerParams = enhancer.params as EnhancerParams;
    this.source = new SwapSource(swapper.ctx, this.swapperParams);
    this.swapMask = boxMaskFor(SWAP_CROP, this.swapperParams);
    this.faceMask = boxMaskFor(FACE_CROP, this.enhancerParams);
  }

  protected openSource(inputs: Record<string, Record<string, unknown>>): Promise<void> {
    return this.source.open(inputs[this.swapper.id] ?? {});
  }

  /** Only live-editable parameters differ (the caller checked): the next batch reads them. */
  setParams(member: string, params: unknown): void {
    if (member === this.swapper.id) this.swapperParams = params as SwapperParams;
    else if (member === this.enhancer.id) this.enhancerParams = params as EnhancerParams;
  }

  /** A new source face: taken only when a face was found in it. */
  async setInputs(member: string, inputs: Record<string, unknown>): Promise<void> {
    if (member !== this.swapper.id) throw new Error(`${member} cannot take new inputs while it runs`);
    await this.source.change(inputs);
  }

  protected settings(): ChainSettings {
    const sp = this.swapperParams;
    const ep = this.enhancerParams;
    return { source: this.source.vector, swapWeight: sp.weight, blend: ep.blend / 100, fidelity: ep.fidelity, swapMask: this.swapMask, faceMask: this.faceMask };
  }
}

function refsOf(swapper: FusionMember, enhancer: FusionMember) {
  return { swapper: (swapper.params as SwapperParams).model, enhancer: (enhancer.params as EnhancerParams).faceModel };
}

/** On the CPU (and CUDA) provider: the host cuts the crops and pastes; one linked model runs the chain. */
class HostFaceChain extends LiveChain implements FusedInstance {
  private session: ModelSession | undefined;

  private constructor(
    swapper: FusionMember,
    enhancer: FusionMember,
    private readonly path: string,
    private readonly names: ChainInputs,
  ) {
    super(swapper, enhancer);
  }

  static async open(swapper: FusionMember, enhancer: FusionMember): Promise<HostFaceChain> {
    const ctx = swapper.ctx;
    const files = await faceChainFiles(refsOf(swapper, enhancer), { modelsDir: ctx.paths.models, cwd: ctx.paths.cwd, log: (m) => ctx.log.info(m) }, { deviceGlue: false, strategy: 'composed' });
    return new HostFaceChain(swapper, enhancer, files.parts[0]!.file, files.inputs);
  }

  async open(inputs: Record<string, Record<string, unknown>>): Promise<void> {
    const ctx = this.swapper.ctx;
    await this.openSource(inputs);
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
    const settings = this.settings();
    const frames = await runFaceChain(this.session!, this.names, own['frames'] as Frame[], own['faces'] as Face[][], settings);
    return { [this.enhancer.id]: { frames } };
  }

  async dispose(): Promise<void> {
    await this.session?.dispose();
  }
}

/**
 * On WebGPU: frames in, frames out, everything per pixel on the device (fused-chain-device.ts),
 * the chain composed or chained as the plan says.
 */
class DeviceFaceChain extends LiveChain implements FusedInstance {
  private chain: SessionChain | undefined;

  private constructor(
    swapper: FusionMember,
    enhancer: FusionMember,
    private readonly strategy: FusedStrategy,
    private readonly files: ChainFiles,
    private readonly glue: { paste: string; download: string },
  ) {
    super(swapper, enhancer);
  }

  static async open(swapper: FusionMember, enhancer: FusionMember, strategy: FusedStrategy): Promise<DeviceFaceChain> {
    const ctx = swapper.ctx;
    const files = await faceChainFiles(refsOf(swapper, enhancer), { modelsDir: ctx.paths.models, cwd: ctx.paths.cwd, log: (m) => ctx.log.info(m) }, { deviceGlue: true, strategy });
    return new DeviceFaceChain(swapper, enhancer, strategy, files, await pasteGlueFiles(ctx.paths.models));
  }

  async open(inputs: Record<string, Record<string, unknown>>): Promise<void> {
    const ctx = this.swapper.ctx;
    await this.openSource(inputs);
    this.chain = await SessionChain.open(
      [
        // Every value of the core is read by a later step (the paste reads face, mask, frames_f).
        ...this.files.parts.map((p) => ({ name: p.name, file: p.file, deviceOutputs: p.outputs })),
        { name: 'paste', file: this.glue.paste, deviceOutputs: [GLUE.pasted] },
        { name: 'download', file: this.glue.download },
      ],
      { providers: ctx.providers, threads: ctx.threads, log: ctx.log },
    );
    ctx.log.info(
      `${this.swapper.id} + ${this.enhancer.id} run on ${this.chain.provider} ${this.strategy === 'chained' ? `as ${this.files.parts.length} sessions chained on the device` : 'as one model'}, crops and paste-back on the device: ${this.chain.providerReason}`,
    );
  }

  async process(batch: { inputs: Record<string, Record<string, unknown[]>> }): Promise<Record<string, Record<string, unknown[]>>> {
    const own = batch.inputs[this.swapper.id] ?? {};
    const settings = this.settings();
    const sessions = { chain: this.chain!, core: this.files.parts.map((p) => p.name) };
    const frames = await runFaceChainOnDevice(sessions, this.files.inputs, own['frames'] as Frame[], own['faces'] as Face[][], settings);
    return { [this.enhancer.id]: { frames } };
  }

  async dispose(): Promise<void> {
    await this.chain?.dispose();
  }
}
