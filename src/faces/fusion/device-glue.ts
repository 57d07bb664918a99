/**
 * The face chain's per-pixel host work as ONNX glue, for stages on a GPU: the frames go to
 * the device once (8-bit), the face crops are cut there, and the finished faces are
 * pasted back there, so nothing per-pixel is left to the host and a frame comes back once.
 * On the CPU provider the host's own loops stay (they are faster there: no float copies of
 * whole frames).
 *
 * ```
 *  frames u8 [F,H,W,3] ─ Cast ─┬──────────────────────────────────────────> frames_f [F,H,W,3]
 *                              └─ frames side by side [1,3,H,F*W] ─ GridSample ─> target [N,3,128,128], crop512 [N,3,512,512]
 *  per face: crop pixel -> frame pixel (theta), clamped to its frame, shifted to its frame's column
 *
 *  paste (once per slot: the j-th face of each frame):
 *  frames_f ─┐   face, mask [N,·,512,512] ─ Gather(slot_face) ─ GridSample(frame grid x slot_theta) ─> value, alpha
 *            └────────────────────────── frames_f + alpha (value - frames_f) ──> frames_f
 *
 *  download: frames_f ─ round, clamp ─ Cast u8 ─> frames u8 [F,H,W,3]
 * ```
 * Sampling matches the host's: crops are bilinear at integer crop pixels with the frame's
 * border replicated (GridSample align_corners=1 on the clamped coordinate), paste-back is
 * bilinear in the crop, rounded once at the end (the host rounds after every face, so
 * overlapping faces may differ by a level).
 */
import { GraphBuilder } from '../../onnx/builder.js';
import type { ModelProto } from '../../onnx/proto.js';
import { onnx } from '../../onnx/proto.js';
import { baseGrid, FACE_CROP, SWAP_CROP } from './warp-blend-model.js';
import { chainRanges } from './chain-ranges.js';

/** Names of the glue's inputs and outputs, as the chain and the host use them. */
export const GLUE = {
  frames: 'frames',
  cropTheta128: 'crop_theta128',
  cropTheta512: 'crop_theta512',
  cropShift: 'crop_shift',
  cropLimit: 'crop_limit',
  cropNorm: 'crop_norm',
  target: 'target',
  crop512: 'crop512',
  framesF: 'frames_f',
  face: 'face',
  mask: 'mask',
  slotFace: 'slot_face',
  slotOn: 'slot_on',
  slotTheta: 'slot_theta',
  pasted: 'pasted',
  framesOut: 'frames_out',
} as const;

const GRID_OPSET = 17;

/** Frames in, the 128 and 512 crops of every face out, and the frames as planar floats for the paste. */
export function buildCropGlue(): ModelProto {
  const { swap } = chainRanges();
  const n = GLUE;
  const g = new GraphBuilder('face_crop_glue', { opset: GRID_OPSET });
  const frames = g.input(n.frames, 'uint8', ['F', 'H', 'W', 3]);
  const theta128 = g.input(n.cropTheta128, 'float32', ['N', 2, 3]);
  const theta512 = g.input(n.cropTheta512, 'float32', ['N', 2, 3]);
  const shift = g.input(n.cropShift, 'float32', ['N', 1, 2]);
  const limit = g.input(n.cropLimit, 'float32', [2]);
  const norm = g.input(n.cropNorm, 'float32', [2]);

  const fx = g.node('Cast', [frames], { to: onnx.TensorProto.DataType.FLOAT });
  g.output(g.node('Identity', [fx]), n.framesF, 'float32', ['F', 'H', 'W', 3]);
  // Every frame side by side in one image [1,3,H,F*W], so one GridSample serves the faces of all frames.
  const height = g.node('Slice', [g.node('Shape', [frames]), g.int64s('h_start', [1]), g.int64s('h_end', [2])]);
  const tiled = g.node('Reshape', [g.node('Transpose', [fx], { perm: [3, 1, 0, 2] }), g.node('Concat', [g.int64s('one_three', [1, 3]), height, g.int64s('rest', [-1])], { axis: 0 })]);

  const crop = (size: number, theta: string, out: string) => {
    const base = g.initializer(g.uniqueName(`base${size}`), baseGrid(size), [size * size, 3]);
    const pixels = g.node('MatMul', [base, g.node('Transpose', [theta], { perm: [0, 2, 1] })]);
    const clamped = g.node('Min', [g.node('Max', [pixels, g.scalar(g.uniqueName('zero'), 0)]), limit]);
    const grid = g.node('Sub', [g.node('Mul', [g.node('Add', [clamped, shift]), norm]), g.scalar(g.uniqueName('one'), 1)]);
    const sampled = g.node('GridSample', [tiled, g.node('Reshape', [grid, g.int64s(g.uniqueName('grid_shape'), [1, -1, size, 2])])], {
      mode: 'bilinear',
      padding_mode: 'border',
      align_corners: 1,
    });
    const perFace = g.node('Transpose', [g.node('Reshape', [sampled, g.int64s(g.uniqueName('crop_shape'), [3, -1, size, size])])], { perm: [1, 0, 2, 3] });
    g.output(g.node('Mul', [perFace, g.scalar(g.uniqueName('unit'), (swap[1] - swap[0]) / 255)]), out, 'float32', ['N', 3, size, size]);
  };
  crop(SWAP_CROP, theta128, n.target);
  crop(FACE_CROP, theta512, n.crop512);
  return g.toModel();
}

/** One paste slot: the j-th face of every frame blended into it through its mask. */
export function buildPasteGlue(): ModelProto {
  const { swap } = chainRanges();
  const n = GLUE;
  const g = new GraphBuilder('face_paste_glue', { opset: GRID_OPSET });
  const frames = g.input(n.framesF, 'float32', ['F', 'H', 'W', 3]);
  const face = g.input(n.face, 'float32', ['N', 3, FACE_CROP, FACE_CROP]);
  const mask = g.input(n.mask, 'float32', ['N', 1, FACE_CROP, FACE_CROP]);
  const slotFace = g.input(n.slotFace, 'int64', ['F']);
  const slotOn = g.input(n.slotOn, 'float32', ['F', 1, 1, 1]);
  const slotTheta = g.input(n.slotTheta, 'float32', ['F', 2, 3]);

  const layers = g.node('Concat', [g.node('Mul', [face, g.scalar('levels', 255 / (swap[1] - swap[0]))]), mask], { axis: 1 });
  const mine = g.node('Gather', [layers, slotFace], { axis: 0 });
  // (x, y, 1) for every frame pixel, built from the frame's own size.
  const shape = g.node('Shape', [frames]);
  const h = g.node('Slice', [shape, g.int64s('h_at', [1]), g.int64s('h_to', [2])]);
  const w = g.node('Slice', [shape, g.int64s('w_at', [2]), g.int64s('w_to', [3])]);
  const hw = g.node('Concat', [h, w], { axis: 0 });
  const scalarOf = (v: string) => g.node('Squeeze', [v, g.int64s(g.uniqueName('axis0'), [0])]);
  const zero = g.initializer('range_start', new BigInt64Array([0n]), [], 'int64');
  const step = g.initializer('range_step', new BigInt64Array([1n]), [], 'int64');
  const toFloat = (v: string) => g.node('Cast', [v], { to: onnx.TensorProto.DataType.FLOAT });
  const xs = toFloat(g.node('Range', [zero, scalarOf(w), step]));
  const ys = toFloat(g.node('Range', [zero, scalarOf(h), step]));
  const xx = g.node('Expand', [g.node('Unsqueeze', [xs, g.int64s('row_axis', [0])]), hw]);
  const yy = g.node('Expand', [g.node('Unsqueeze', [ys, g.int64s('col_axis', [1])]), hw]);
  const ones = g.node('Expand', [g.scalar('one', 1), hw]);
  const last = g.int64s('last_axis', [2]);
  const base = g.node('Concat', [g.node('Unsqueeze', [xx, last]), g.node('Unsqueeze', [yy, last]), g.node('Unsqueeze', [ones, last])], { axis: 2 });
  const pixels = g.node('MatMul', [g.node('Reshape', [base, g.int64s('base_shape', [-1, 3])]), g.node('Transpose', [slotTheta], { perm: [0, 2, 1] })]);
  const grid = g.node('Reshape', [pixels, g.node('Concat', [g.int64s('any_frames', [-1]), hw, g.int64s('two', [2])], { axis: 0 })]);
  // Sampled as [F,4,H,W], blended as the frames are laid out, [F,H,W,4]: 8-bit transposes
  // would run on the CPU, float ones run on the device.
  const sampled = g.node('Transpose', [g.node('GridSample', [mine, grid], { mode: 'bilinear', padding_mode: 'zeros', align_corners: 1 })], { perm: [0, 2, 3, 1] });
  const channels = g.int64s('channel_axis', [3]);
  const value = g.node('Slice', [sampled, g.int64s('v_at', [0]), g.int64s('v_to', [3]), channels]);
  const alpha = g.node('Mul', [g.node('Slice', [sampled, g.int64s('a_at', [3]), g.int64s('a_to', [4]), channels]), slotOn]);
  g.output(g.node('Add', [frames, g.node('Mul', [alpha, g.node('Sub', [value, frames])])]), n.pasted, 'float32', ['F', 'H', 'W', 3]);
  return g.toModel();
}

/** Planar float frames back to 8-bit RGB, rounded as the host rounds (half up) and clamped. */
export function buildDownloadGlue(): ModelProto {
  const n = GLUE;
  const g = new GraphBuilder('face_download_glue', { opset: GRID_OPSET });
  const frames = g.input(n.framesF, 'float32', ['F', 'H', 'W', 3]);
  const rounded = g.node('Clip', [g.node('Floor', [g.node('Add', [frames, g.scalar('half', 0.5)])]), g.scalar('lo', 0), g.scalar('hi', 255)]);
  const bytes = g.node('Cast', [rounded], { to: onnx.TensorProto.DataType.UINT8 });
  g.output(bytes, n.framesOut, 'uint8', ['F', 'H', 'W', 3]);
  return g.toModel();
}
