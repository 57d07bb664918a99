/**
 * Composes a swapper and a face enhancer into one model with composeModels, in three
 * steps (each part keeps its own names under a prefix):
 *
 * ```
 *  target, source ─> [ swapper ] ─ output ─┐
 *                 crop512, theta, swap_mask, swap_weight ─> [ warp-blend ] ─ pre, swap_masked, swap_mask512
 *                                               pre ─ glue: x*2-1 ─> [ enhancer ] ─ enhanced ─┐
 *                                       face_mask, blend, pre, swap_masked, swap_mask512 ─> [ tail ] ─> face, mask
 * ```
 *
 * Both parts must already take any batch (batchified). Extra enhancer inputs (CodeFormer's
 * `weight`) stay inputs of the composed model under their own names.
 */
import { userError } from '../../errors.js';
import { composeModels } from '../../onnx/compose.js';
import { remapRange } from '../../onnx/glue.js';
import { defaultOpset, inspectModel } from '../../onnx/inspect.js';
import type { ModelProto } from '../../onnx/proto.js';
import type { TensorInfo } from '../../onnx/value-info.js';
import { buildChainTailModel, CHAIN_TAIL } from './chain-tail-model.js';
import { buildWarpBlendModel, WARP_BLEND } from './warp-blend-model.js';

/** Input names of the composed chain, as the fused instance feeds them. */
export interface ChainInputs {
  target: string;
  source: string;
  /** Enhancer inputs besides the image (CodeFormer's fidelity), with their declared type and dims. */
  extra: TensorInfo[];
}

export interface ComposedChain {
  model: ModelProto;
  inputs: ChainInputs;
}

function refuse(message: string): never {
  throw userError('FF_COMPOSE_REFUSED', `cannot compose the face chain: ${message}`);
}

export function composeFaceChain(swapper: ModelProto, enhancer: ModelProto): ComposedChain {
  const s = inspectModel(swapper);
  const e = inspectModel(enhancer);
  const target = s.inputs.find((i) => i.dims?.length === 4);
  const source = s.inputs.find((i) => i.dims?.length === 2);
  const swapped = s.outputs[0];
  if (!target || !source || !swapped || s.inputs.length !== 2) refuse(`the swapper's signature is not inswapper's (inputs ${s.inputs.map((i) => i.name).join(', ')})`);
  const image = e.inputs.find((i) => i.dims?.length === 4 && i.dims[1] === 3);
  const enhanced = e.outputs[0];
  if (!image || !enhanced || e.outputs.length !== 1) refuse(`the enhancer does not take one [N,3,512,512] image and give one (inputs ${e.inputs.map((i) => i.name).join(', ')})`);
  const extra = e.inputs.filter((i) => i !== image);
  const taken = new Set<string>([...s.inputs.map((i) => i.name), ...Object.values(WARP_BLEND), ...Object.values(CHAIN_TAIL)]);
  for (const x of extra) if (taken.has(x.name)) refuse(`the enhancer's input "${x.name}" has a name the chain already uses`);

  const opset = Math.max(17, defaultOpset(swapper), defaultOpset(enhancer));
  const swapAndWarp = composeModels(swapper, buildWarpBlendModel(opset), {
    wiring: { [WARP_BLEND.swapped]: swapped.name, [WARP_BLEND.target]: target.name },
    prefixes: { a: 'swap.', b: 'warp.' },
    name: 'swap+warp',
  });
  const throughEnhancer = composeModels(swapAndWarp, enhancer, {
    glue: ({ g, a }) => ({ [image.name]: remapRange(g, a[WARP_BLEND.pre]!, [0, 1], [-1, 1]) }),
    keepOutputs: [WARP_BLEND.pre, WARP_BLEND.wmw, WARP_BLEND.mw],
    prefixes: { a: 'sw.', b: 'enh.' },
    name: 'swap+warp+enhance',
  });
  const model = composeModels(throughEnhancer, buildChainTailModel(opset), {
    wiring: {
      [CHAIN_TAIL.enhanced]: enhanced.name,
      [WARP_BLEND.pre]: WARP_BLEND.pre,
      [WARP_BLEND.wmw]: WARP_BLEND.wmw,
      [WARP_BLEND.mw]: WARP_BLEND.mw,
    },
    prefixes: { a: 'chain.', b: 'tail.' },
    name: 'face_crop_chain',
  });
  return { model, inputs: { target: target.name, source: source.name, extra } };
}
