/**
 * The face chain as a model chain (onnx/model-chain.ts): a swapper and a face enhancer
 * with the glue between them, which runs linked into one model (composed) or as one
 * session per part with the values kept on the device (chained).
 *
 * ```
 *  [ crop ]  frames ─> target, crop512, frames_f          (device glue only: on a GPU)
 *  [ swap ]  target, source ─> output
 *  [ warp ]  swap output, target, crop512, theta, swap_mask, swap_weight ─> pre, swap_masked, swap_mask512
 *  [ pre ]   pre ─ x*2-1 ─> y
 *  [ enhance ] y (+ CodeFormer's weight) ─> output
 *  [ tail ]  enhanced, pre, swap_masked, swap_mask512, face_mask, blend ─> face, mask
 * ```
 * Both models must already take any batch (batchified). Extra enhancer inputs (CodeFormer's
 * `weight`) stay chain inputs under their own names. Without the crop part the host cuts
 * the crops (the CPU provider's way); with it, the frames go in whole (device-glue.ts).
 */
import { userError } from '../../errors.js';
import { GraphBuilder } from '../../onnx/builder.js';
import { remapRange } from '../../onnx/glue.js';
import { defaultOpset, inspectModel } from '../../onnx/inspect.js';
import type { ChainSpec } from '../../onnx/model-chain.js';
import type { ModelProto } from '../../onnx/proto.js';
import type { TensorInfo } from '../../onnx/value-info.js';
import { buildChainTailModel, CHAIN_TAIL } from './chain-tail-model.js';
import { buildCropGlue, GLUE } from './device-glue.js';
import { buildWarpBlendModel, WARP_BLEND } from './warp-blend-model.js';
import { chainRanges } from './chain-ranges.js';

/** The chain's own inputs besides the fixed ones, as the fused instance feeds them. */
export interface ChainInputs {
  /** Enhancer inputs besides the image (CodeFormer's fidelity), with their declared type and dims. */
  extra: TensorInfo[];
}

export interface FaceChainSpec {
  spec: ChainSpec;
  inputs: ChainInputs;
}

/** The chain's input names (the swapper's own names are mapped onto these). */
export const CHAIN_IN = { target: 'target', source: 'source' } as const;

function refuse(message: string): never {
  throw userError('FF_COMPOSE_REFUSED', `cannot compose the face chain: ${message}`);
}

/** [-1,1] <- [0,1] (the manifest's ranges): the swap, blended in the 512 crop, as the enhancer takes it. */
function preGlue(opset: number): ModelProto {
  const g = new GraphBuilder('face_chain_pre', { opset });
  const x = g.input('x', 'float32', ['N', 3, 512, 512]);
  const { swap, enhance } = chainRanges();
  g.output(remapRange(g, x, swap, enhance), 'y', 'float32', ['N', 3, 512, 512]);
  return g.toModel();
}

export function faceChainSpec(swapper: ModelProto, enhancer: ModelProto, options: { deviceGlue: boolean }): FaceChainSpec {
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
  const taken = new Set<string>([...Object.values(CHAIN_IN), ...Object.values(WARP_BLEND), ...Object.values(CHAIN_TAIL), ...Object.values(GLUE)]);
  for (const x of extra) if (taken.has(x.name)) refuse(`the enhancer's input "${x.name}" has a name the chain already uses`);

  const opset = Math.max(17, defaultOpset(swapper), defaultOpset(enhancer));
  const cut = options.deviceGlue;
  const crops = { target: cut ? `crop/${GLUE.target}` : CHAIN_IN.target, crop512: cut ? `crop/${GLUE.crop512}` : WARP_BLEND.crop512 };
  const spec: ChainSpec = {
    name: cut ? 'face_crop_chain_device' : 'face_crop_chain',
    parts: [
      ...(cut ? [{ name: 'crop', model: buildCropGlue() }] : []),
      { name: 'swap', model: swapper, from: { [target.name]: crops.target, [source.name]: CHAIN_IN.source } },
      {
        name: 'warp',
        model: buildWarpBlendModel(opset),
        from: { [WARP_BLEND.swapped]: `swap/${swapped.name}`, [WARP_BLEND.target]: crops.target, [WARP_BLEND.crop512]: crops.crop512 },
      },
      { name: 'pre', model: preGlue(opset), from: { x: `warp/${WARP_BLEND.pre}` } },
      { name: 'enhance', model: enhancer, from: { [image.name]: 'pre/y' } },
      {
        name: 'tail',
        model: buildChainTailModel(opset),
        from: {
          [CHAIN_TAIL.enhanced]: `enhance/${enhanced.name}`,
          [WARP_BLEND.pre]: `warp/${WARP_BLEND.pre}`,
          [WARP_BLEND.wmw]: `warp/${WARP_BLEND.wmw}`,
          [WARP_BLEND.mw]: `warp/${WARP_BLEND.mw}`,
        },
      },
    ],
    outputs: {
      [CHAIN_TAIL.face]: `tail/${CHAIN_TAIL.face}`,
      [CHAIN_TAIL.mask]: `tail/${CHAIN_TAIL.mask}`,
      ...(cut ? { [GLUE.framesF]: `crop/${GLUE.framesF}` } : {}),
    },
  };
  return { spec, inputs: { extra } };
}
