/**
 * The glue between the swapper and the enhancer of a composed face chain, as an ONNX
 * model of its own: the swapped 128 crop (blended with the original by the swap weight)
 * and the swap's box mask are warped into the ffhq_512 crop of the same face with
 * GridSample, and blended into the original 512 crop there.
 *
 * ```
 *   swapped, target ─ weight ─┐
 *   swap_mask ── Expand(N) ───┴ Concat(4 ch) ─ GridSample(grid) ─┬─ w (3 ch) ─┐
 *   theta ─ MatMul(base grid) ─ to [-1,1] ─ Reshape ─ grid       └─ mw (1 ch) ─┴─ pre = crop512 (1-mw) + w mw
 * ```
 *
 * The sampling grid is `base x theta^T`, base being every 512 pixel as (x, y, 1): AffineGrid
 * would say the same, but it has no CUDA kernel. theta maps 512-crop pixels to 128-crop
 * pixels; GridSample (align_corners 0) reads pixel p of a 128 side at (2p + 1)/128 - 1.
 */
import { GraphBuilder } from '../../onnx/builder.js';
import type { ModelProto } from '../../onnx/proto.js';

export const SWAP_CROP = 128;
export const FACE_CROP = 512;

/** Names of the glue's inputs and outputs. */
export const WARP_BLEND = {
  swapped: 'swapped',
  target: 'target',
  crop512: 'crop512',
  theta: 'theta',
  swapMask: 'swap_mask',
  swapWeight: 'swap_weight',
  pre: 'pre',
  wmw: 'swap_masked',
  mw: 'swap_mask512',
} as const;

/** (x, y, 1) for every pixel of a `size` crop, row-major: the constant half of the sampling grid. */
export function baseGrid(size: number): Float32Array {
  const base = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const o = (y * size + x) * 3;
      base[o] = x;
      base[o + 1] = y;
      base[o + 2] = 1;
    }
  }
  return base;
}

export function buildWarpBlendModel(opset = 17): ModelProto {
  const n = WARP_BLEND;
  const g = new GraphBuilder('face_chain_warp_blend', { opset: Math.max(16, opset) });
  const swapped = g.input(n.swapped, 'float32', ['N', 3, SWAP_CROP, SWAP_CROP]);
  const target = g.input(n.target, 'float32', ['N', 3, SWAP_CROP, SWAP_CROP]);
  const crop512 = g.input(n.crop512, 'float32', ['N', 3, FACE_CROP, FACE_CROP]);
  const theta = g.input(n.theta, 'float32', ['N', 2, 3]);
  const swapMask = g.input(n.swapMask, 'float32', [1, 1, SWAP_CROP, SWAP_CROP]);
  const weight = g.input(n.swapWeight, 'float32', [1]);

  // The swap weight: target (1 - w) + swapped w, as the node-by-node Swapper blends.
  const blended = g.node('Add', [target, g.node('Mul', [g.node('Sub', [swapped, target]), weight])]);
  // The mask rides along as a fourth channel, so one GridSample warps both.
  const batch = g.node('Slice', [g.node('Shape', [swapped]), g.int64s('n_start', [0]), g.int64s('n_end', [1])]);
  const maskShape = g.node('Concat', [batch, g.int64s('mask_chw', [1, SWAP_CROP, SWAP_CROP])], { axis: 0 });
  const withMask = g.node('Concat', [blended, g.node('Expand', [swapMask, maskShape])], { axis: 1 });

  const base = g.initializer('base_grid', baseGrid(FACE_CROP), [FACE_CROP * FACE_CROP, 3]);
  const pixels = g.node('MatMul', [base, g.node('Transpose', [theta], { perm: [0, 2, 1] })]);
  const normalized = g.node('Add', [g.node('Mul', [pixels, g.scalar('to_unit', 2 / SWAP_CROP)]), g.scalar('to_unit_bias', 1 / SWAP_CROP - 1)]);
  const grid = g.node('Reshape', [normalized, g.int64s('grid_shape', [-1, FACE_CROP, FACE_CROP, 2])]);
  // Opset 20 renamed GridSample's 'bilinear' to 'linear'.
  const mode = opset >= 20 ? 'linear' : 'bilinear';
  const warped = g.node('GridSample', [withMask, grid], { mode, padding_mode: 'zeros', align_corners: 0 });

  const channels = g.int64s('channel_axis', [1]);
  const w = g.node('Slice', [warped, g.int64s('w_start', [0]), g.int64s('w_end', [3]), channels]);
  const mw = g.node('Slice', [warped, g.int64s('m_start', [3]), g.int64s('m_end', [4]), channels]);
  const wmw = g.node('Mul', [w, mw]);
  const pre = g.node('Add', [g.node('Sub', [crop512, g.node('Mul', [crop512, mw])]), wmw]);
  g.output(pre, n.pre, 'float32', ['N', 3, FACE_CROP, FACE_CROP]);
  g.output(wmw, n.wmw, 'float32', ['N', 3, FACE_CROP, FACE_CROP]);
  g.output(mw, n.mw, 'float32', ['N', 1, FACE_CROP, FACE_CROP]);
  return g.toModel();
}
