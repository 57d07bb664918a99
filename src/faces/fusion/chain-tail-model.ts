/**
 * The end of a composed face chain: the enhancer's blend and the one mask the host pastes
 * through. Node by node, the frame gets the swap through the swap mask ms, then the
 * enhanced face E through the enhancer's mask me:
 *   F2 = F (1-ms)(1-me) + S ms (1-me) + E me.
 * Pasting once, F (1-M) + X M, gives the same frame with
 *   M = 1 - (1-ms)(1-me),   X = (S ms (1-me) + E me) / M,
 * so the chain outputs X (`face`, RGB 0..1) and M (`mask`) in ffhq_512 space. Where the
 * enhancer's mask fades out but the swap's does not (chin, cheeks), the swap still shows,
 * as it does node by node.
 */
import { GraphBuilder } from '../../onnx/builder.js';
import type { ModelProto } from '../../onnx/proto.js';
import { FACE_CROP, WARP_BLEND } from './warp-blend-model.js';
import { chainRanges } from './chain-ranges.js';

export const CHAIN_TAIL = {
  enhanced: 'enhanced',
  faceMask: 'face_mask',
  blend: 'blend',
  face: 'face',
  mask: 'mask',
} as const;

export function buildChainTailModel(opset = 17): ModelProto {
  const t = CHAIN_TAIL;
  const g = new GraphBuilder('face_chain_tail', { opset });
  const dims = ['N', 3, FACE_CROP, FACE_CROP];
  const enhanced = g.input(t.enhanced, 'float32', dims);
  const pre = g.input(WARP_BLEND.pre, 'float32', dims);
  const wmw = g.input(WARP_BLEND.wmw, 'float32', dims);
  const mw = g.input(WARP_BLEND.mw, 'float32', ['N', 1, FACE_CROP, FACE_CROP]);
  const me = g.input(t.faceMask, 'float32', [1, 1, FACE_CROP, FACE_CROP]);
  const blend = g.input(t.blend, 'float32', [1]);
  const one = g.scalar('one', 1);

  // Enhancers give their range ([-1,1]) and may overshoot: clamp, then back to the swap's (0..1).
  const { swap, enhance } = chainRanges();
  const toSwap = (swap[1] - swap[0]) / (enhance[1] - enhance[0]);
  const clipped = g.node('Clip', [enhanced, g.scalar('lo', enhance[0]), g.scalar('hi', enhance[1])]);
  const e01 = g.node('Add', [g.node('Mul', [clipped, g.scalar('half', toSwap)]), g.scalar('half_bias', swap[0] - enhance[0] * toSwap)]);
  const e = g.node('Add', [pre, g.node('Mul', [g.node('Sub', [e01, pre]), blend])]);
  const m = g.node('Sub', [g.node('Add', [mw, me]), g.node('Mul', [mw, me])]);
  const numerator = g.node('Add', [g.node('Mul', [wmw, g.node('Sub', [one, me])]), g.node('Mul', [e, me])]);
  const face = g.node('Div', [numerator, g.node('Max', [m, g.scalar('eps', 1e-6)])]);
  g.output(face, t.face, 'float32', dims);
  g.output(m, t.mask, 'float32', ['N', 1, FACE_CROP, FACE_CROP]);
  return g.toModel();
}
