/**
 * The composed face chain on disk: both parts batchified (proven, cached), composed, and
 * cached under `<models>/cache/face-crop-chain-v1-<key>.onnx`, keyed by the parts' sha256
 * and the rewrites applied to them, so a second run (or a second stage) pays nothing.
 */
import { cacheDir, resolveModel } from '../../models/paths.js';
import { encodeModel, readModel } from '../../onnx/model-io.js';
import { cachedRewrite, readRewriteInfo } from '../../onnx/rewrite-cache.js';
import { modelVariant } from '../../runtime/model-variant.js';
import { composeFaceChain, type ChainInputs } from './compose-chain.js';

export const CHAIN_OPERATION = 'face-crop-chain-v1';

export interface ChainFile {
  path: string;
  inputs: ChainInputs;
  /** True when the composed file came from the cache. */
  hit: boolean;
}

export async function composedChainFile(
  refs: { swapper: string; enhancer: string },
  where: { modelsDir: string; cwd: string; log?: (message: string) => void },
): Promise<ChainFile> {
  const dir = cacheDir(where.modelsDir);
  const variant = async (ref: string) => {
    const { path } = await resolveModel(ref, where.modelsDir, where.cwd);
    return modelVariant(path, { batchify: true, cacheDir: dir, ...(where.log ? { log: where.log } : {}) });
  };
  const swapper = await variant(refs.swapper);
  const enhancer = await variant(refs.enhancer);
  let inputs: ChainInputs | undefined;
  const key = { sources: [swapper.sourceHash, enhancer.sourceHash], operation: `${CHAIN_OPERATION}:${swapper.applied.join('+')}|${enhancer.applied.join('+')}` };
  const produce = async () => {
    const chain = composeFaceChain(await readModel(swapper.path), await readModel(enhancer.path));
    inputs = chain.inputs;
    return { bytes: encodeModel(chain.model), details: { inputs: chain.inputs, parts: [swapper.path, enhancer.path] } };
  };
  const result = await cachedRewrite(dir, key, produce);
  if (!inputs) {
    const info = (await readRewriteInfo(result.path)) as { details?: { inputs?: ChainInputs } } | undefined;
    inputs = info?.details?.inputs;
  }
  if (!inputs) {
    // A sidecar lost or from another version: compose again to learn the names (same bytes).
    await produce();
  }
  where.log?.(`${result.hit ? 'using the cached' : 'composed a new'} face chain model (${result.path})`);
  return { path: result.path, inputs: inputs!, hit: result.hit };
}
