/**
 * Letterboxing on the device, for detectors on a GPU: the frames go in as they are (8-bit
 * RGB, [F,H,W,3]) and the model gets its canvas from ONNX glue linked in front of it
 * (resize to the placement, pad right and bottom, channel order, normalization), so no
 * per-pixel work is left to the host and a frame crosses to the device once, as bytes.
 *
 * ```
 *  frames u8 [F,H,W,3] ─ Cast ─ Transpose ─ Resize(lb_size, bilinear, half-pixel) ─ Pad(lb_pads) ─ order, (p - mean) * scale ─> [detector] ─> its outputs
 * ```
 * Sampling is the host's (geometry/letterbox-planes.ts): bilinear at pixel centres, edges clamped,
 * the picture at the canvas's top-left corner, the padding normalized like pixels of 0.
 */
import { sha256File } from '../../models/file-hash.js';
import { GraphBuilder } from '../../onnx/builder.js';
import { inspectModel } from '../../onnx/inspect.js';
import { linkChain } from '../../onnx/model-chain.js';
import { encodeModel, readModel } from '../../onnx/model-io.js';
import { onnx } from '../../onnx/proto.js';
import { cachedRewrite } from '../../onnx/rewrite-cache.js';
import type { TensorInfo } from '../../onnx/value-info.js';
import { openModel, type ModelSession, type OpenModelOptions } from '../../runtime/model-session.js';
import type { Feeds } from '../../runtime/tensors.js';
import type { Frame } from '../../model/port-values.js';
import { letterboxFor, uniformScale, type Letterbox, type PixelNormalization } from '../geometry/index.js';

export const LETTERBOX = { frames: 'frames', size: 'lb_size', pads: 'lb_pads', canvas: 'canvas' } as const;

/** Bump when the glue changes, so cached detectors are rebuilt. */
export const LETTERBOX_OPERATION = 'device-letterbox-v1';

/** The scale as the glue and its cache key write it: one number when every plane shares it, else one per plane. */
function scaleOf(norm: PixelNormalization): number | number[] {
  return uniformScale(norm) ?? norm.std.map((s) => 1 / s);
}

export function buildLetterboxGlue(norm: PixelNormalization): GraphBuilder {
  const g = new GraphBuilder('device_letterbox', { opset: 17 });
  const frames = g.input(LETTERBOX.frames, 'uint8', ['F', 'H', 'W', 3]);
  const size = g.input(LETTERBOX.size, 'int64', [4]);
  const pads = g.input(LETTERBOX.pads, 'int64', [8]);
  const planar = g.node('Transpose', [g.node('Cast', [frames], { to: onnx.TensorProto.DataType.FLOAT })], { perm: [0, 3, 1, 2] });
  const scaled = g.node('Resize', [planar, '', '', size], { mode: 'linear', coordinate_transformation_mode: 'half_pixel' });
  const padded = g.node('Pad', [scaled, pads], { mode: 'constant' });
  // Frames are RGB: BGR models take the planes reversed. The mean is per plane of the model's order.
  const ordered = norm.order === 'bgr' ? g.node('Concat', [2, 1, 0].map((c) => g.node('Slice', [padded, g.int64s(`c${c}_at`, [c]), g.int64s(`c${c}_to`, [c + 1]), g.int64s(`c${c}_axis`, [1])])), { axis: 1 }) : padded;
  const scale = scaleOf(norm);
  const normalized =
    norm.mean.every((m) => m === 0) && scale === 1
      ? ordered
      : g.node('Mul', [
          g.node('Sub', [ordered, g.initializer('mean', Float32Array.from(norm.mean), [1, 3, 1, 1])]),
          typeof scale === 'number' ? g.scalar('scale', scale) : g.initializer('scale', Float32Array.from(scale), [1, 3, 1, 1]),
        ]);
  g.output(normalized, LETTERBOX.canvas, 'float32', ['F', 3, 'CH', 'CW']);
  return g;
}

/** A detector session that takes frames, and what its own image input was (for the canvas size). */
export interface LetterboxedSession extends ModelSession {
  readonly letterbox: { image: TensorInfo; norm: PixelNormalization };
}

export function isLetterboxed(session: object): session is LetterboxedSession {
  return 'letterbox' in session;
}

/**
 * Opens `file` (already rewritten for any batch: the caller's variant) with the letterbox
 * linked in front of its image input. The linked file is cached by the model's sha256, the
 * normalization and the glue's version.
 */
export async function openLetterboxed(file: string, norm: PixelNormalization, options: OpenModelOptions & { cacheDir: string; sourceFile?: string }): Promise<LetterboxedSession> {
  const model = await readModel(file);
  const image = inspectModel(model).inputs[0];
  if (!image) throw new Error(`${file} has no input`);
  const key = { sources: [await sha256File(file)], operation: `${LETTERBOX_OPERATION}:${norm.order}:${norm.mean.join(',')}:${scaleOf(norm)}` };
  const linked = await cachedRewrite(options.cacheDir, key, async () => ({
    bytes: encodeModel(
      linkChain({
        name: 'letterboxed_detector',
        parts: [
          { name: 'letterbox', model: buildLetterboxGlue(norm).toModel() },
          { name: 'detect', model, from: { [image.name]: `letterbox/${LETTERBOX.canvas}` } },
        ],
        outputs: Object.fromEntries(inspectModel(model).outputs.map((o) => [o.name, `detect/${o.name}`])),
      }),
    ),
  }));
  const { cacheDir: _cache, sourceFile, ...rest } = options;
  // One run per call: the placement inputs describe the whole batch, so it cannot be sliced.
  const session = await openModel(linked.path, { ...rest, batchify: false, runBatch: Infinity });
  options.log?.info(`${sourceFile ?? file}: letterboxing on the device (${linked.hit ? 'cached' : 'linked'} ${linked.path})`);
  return Object.assign(session, { letterbox: { image, norm } });
}

/** The feeds for a batch of frames of one size on a letterboxed session, and where each frame sits on the canvas. */
export function letterboxedFeeds(frames: readonly Frame[], canvas: { width: number; height: number }): { feeds: Feeds; boxes: Letterbox[] } {
  const first = frames[0]!;
  const box = letterboxFor(first.width, first.height, canvas.width, canvas.height);
  const bytes = first.width * first.height * 3;
  const data = new Uint8Array(frames.length * bytes);
  frames.forEach((frame, i) => {
    if (frame.width !== first.width || frame.height !== first.height) throw new Error('letterboxedFeeds takes frames of one size');
    data.set(frame.data, i * bytes);
  });
  return {
    feeds: {
      [LETTERBOX.frames]: { data, dims: [frames.length, first.height, first.width, 3], type: 'uint8' },
      [LETTERBOX.size]: { data: BigInt64Array.from([frames.length, 3, box.height, box.width].map(BigInt)), dims: [4], type: 'int64' },
      [LETTERBOX.pads]: { data: BigInt64Array.from([0, 0, 0, 0, 0, 0, canvas.height - box.height, canvas.width - box.width].map(BigInt)), dims: [8], type: 'int64' },
    },
    boxes: frames.map(() => box),
  };
}

/** Consecutive runs of frames of the same size (a letterboxed run takes one size). */
export function sameSizeRuns<T extends Pick<Frame, 'width' | 'height'>>(frames: readonly T[]): { start: number; frames: T[] }[] {
  const runs: { start: number; frames: T[] }[] = [];
  frames.forEach((frame, i) => {
    const last = runs.at(-1);
    if (last && last.frames[0]!.width === frame.width && last.frames[0]!.height === frame.height) last.frames.push(frame);
    else runs.push({ start: i, frames: [frame] });
  });
  return runs;
}
