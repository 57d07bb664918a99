/**
 * The face chain on disk: both models batchified (proven, cached), then either linked into
 * one model (composed) or written part by part (chained, for sessions that keep the values
 * between them on the device), all cached under `<models>/cache`, keyed by the models'
 * sha256, the rewrites applied to them, the glue (host or device) and the strategy, so a
 * second run (or a second stage) pays nothing.
 */
import { cacheDir, resolveModel } from '../../models/paths.js';
import { chainParts, linkChain } from '../../onnx/model-chain.js';
import { encodeModel, readModel } from '../../onnx/model-io.js';
import { cachedRewrite, readRewriteInfo, type RewriteKey } from '../../onnx/rewrite-cache.js';
import { modelVariant } from '../../runtime/model-variant.js';
import { faceChainSpec, type ChainInputs, type FaceChainSpec } from './compose-chain.js';

export const CHAIN_OPERATION = 'face-crop-chain-v2';

/** How a fused face chain runs: one linked model, or one session per part with the values kept on the device. */
export type ChainStrategy = 'composed' | 'chained';

/** One part of a chained face chain, as a file. */
export interface ChainPartFile {
  name: string;
  file: string;
  inputs: string[];
  outputs: string[];
}

export interface ChainFiles {
  /** One file per session: a single one when composed. */
  parts: ChainPartFile[];
  inputs: ChainInputs;
  /** True when every file came from the cache. */
  hit: boolean;
}

interface PartDetails {
  name: string;
  inputs: string[];
  outputs: string[];
  chain: ChainInputs;
}

export async function faceChainFiles(
  refs: { swapper: string; enhancer: string },
  where: { modelsDir: string; cwd: string; log?: (message: string) => void },
  options: { deviceGlue: boolean; strategy: ChainStrategy },
): Promise<ChainFiles> {
  const dir = cacheDir(where.modelsDir);
  const variant = async (ref: string) => {
    const { path } = await resolveModel(ref, where.modelsDir, where.cwd);
    return modelVariant(path, { batchify: true, cacheDir: dir, ...(where.log ? { log: where.log } : {}) });
  };
  const swapper = await variant(refs.swapper);
  const enhancer = await variant(refs.enhancer);
  const base = `${CHAIN_OPERATION}:${options.deviceGlue ? 'device' : 'host'}-glue:${swapper.applied.join('+')}|${enhancer.applied.join('+')}`;
  const key = (part: string): RewriteKey => ({ sources: [swapper.sourceHash, enhancer.sourceHash], operation: `${base}:${options.strategy}:${part}` });

  let built: FaceChainSpec | undefined;
  const spec = async () => (built ??= faceChainSpec(await readModel(swapper.path), await readModel(enhancer.path), { deviceGlue: options.deviceGlue }));

  if (options.strategy === 'composed') {
    let details: PartDetails | undefined;
    const produce = async () => {
      const chain = await spec();
      const inputs = chainParts(chain.spec);
      details = { name: 'chain', inputs: [...new Set(inputs.flatMap((p) => p.inputs))].filter((v) => !inputs.some((p) => p.outputs.includes(v))), outputs: Object.keys(chain.spec.outputs), chain: chain.inputs };
      return { bytes: encodeModel(linkChain(chain.spec)), details };
    };
    const result = await cachedRewrite(dir, key('linked'), produce);
    details ??= await detailsOf(result.path, produce);
    where.log?.(`${result.hit ? 'using the cached' : 'composed a new'} face chain model (${result.path})`);
    return { parts: [{ name: 'chain', file: result.path, inputs: details.inputs, outputs: details.outputs }], inputs: details.chain, hit: result.hit };
  }

  // Chained: every part its own file. Names come from the spec, so it is built once if any part is missing.
  const names = options.deviceGlue ? ['crop', 'swap', 'warp', 'pre', 'enhance', 'tail'] : ['swap', 'warp', 'pre', 'enhance', 'tail'];
  const parts: ChainPartFile[] = [];
  let chainInputs: ChainInputs | undefined;
  let hit = true;
  for (const name of names) {
    let details: PartDetails | undefined;
    const produce = async () => {
      const chain = await spec();
      const part = chainParts(chain.spec).find((p) => p.name === name);
      if (!part) throw new Error(`the face chain has no part ${name}`);
      details = { name, inputs: part.inputs, outputs: part.outputs, chain: chain.inputs };
      return { bytes: encodeModel(part.model), details };
    };
    const result = await cachedRewrite(dir, key(name), produce);
    hit &&= result.hit;
    details ??= await detailsOf(result.path, produce);
    chainInputs = details.chain;
    parts.push({ name, file: result.path, inputs: details.inputs, outputs: details.outputs });
  }
  where.log?.(`${hit ? 'using the cached' : 'wrote new'} face chain parts (${parts.length} sessions, values kept on the device)`);
  return { parts, inputs: chainInputs!, hit };
}

/** The sidecar's details, or the producer's again when the sidecar is lost (same bytes). */
async function detailsOf(path: string, produce: () => Promise<{ details: PartDetails }>): Promise<PartDetails> {
  const info = (await readRewriteInfo(path)) as { details?: PartDetails } | undefined;
  if (info?.details?.inputs && info.details.chain) return info.details;
  return (await produce()).details;
}
