/**
 * The numerical proof behind freeSpatialDims, with seeded random images:
 *
 * 1. Same size: at the source size (640x640) the rewritten model gives the source model's
 *    outputs within `atol` (measured on YuNet: bit-identical).
 * 2. Smaller canvas: on an image cropped to h x w (384x640, and 640x384), each output has
 *    one cell per (h/s) x (w/s) grid cell of its stride s, row-major, and every cell far
 *    enough from the bottom and right edges equals the source model's cell on the same
 *    image zero-padded to the source size, within `atol + rtol * |ref|`.
 *
 * Why only "far enough": a convolution zero-pads its feature maps at the canvas edge,
 * while on the padded canvas it reads the features of the padding (no longer zero after
 * a bias). The difference creeps inwards by the receptive field: on YuNet cut to 384 rows,
 * the first cell rows off by more than 1e-5 start at 160 px (stride 32), 168 px (8) and
 * 176 px (16), so the default margin is 224 px; every cell above it is bit-identical
 * (measured: 0 difference over four seeds). Cells nearer the cut edge are not claimed
 * equal; whether faces found there match is for the detector tests to show.
 */
import ort from './ort.js';
import { userError } from '../errors.js';
import { freeSpatialDims, type FreeSpatialReport } from './free-spatial-dims.js';
import { encodeModel } from './model-io.js';
import type { ModelProto } from './proto.js';
import { seededRandom } from './random-feeds.js';

export interface FreeSpatialProofOptions {
  /** Smaller canvases [height, width] to check; default the source size cut by 256 px along each axis in turn. */
  sizes?: [number, number][];
  /** Pixels from the cut bottom and right edges whose cells are not compared. Default 224. */
  margin?: number;
  /** Default 1e-5. */
  atol?: number;
  /** Default 1e-5: the smaller canvas's kernels may sum in another order. */
  rtol?: number;
  /** Range of the random pixel values. Default [0, 255] (raw pixels, as YuNet takes them). */
  range?: [number, number];
  seed?: number;
}

export interface FreeSpatialProof {
  sourceSize: [number, number];
  sizes: [number, number][];
  margin: number;
  atol: number;
  rtol: number;
  /** Worst |rewritten - source| at the source size. */
  sameSizeMaxAbsDiff: number;
  /** Worst |rewritten - source| over the compared cells of the smaller canvases. */
  croppedMaxAbsDiff: number;
  /** Cells compared on the smaller canvases, over all outputs. */
  comparedCells: number;
}

type Run = Record<string, ort.Tensor>;

function fail(reason: string, report: FreeSpatialReport): never {
  throw userError('FF_FREE_SPATIAL_UNPROVEN', `the free-size rewrite could not be proven: ${reason}`, {
    fix: `rewrites tried: ${report.rewrites.join('; ')}. The model runs on its own square canvas instead`,
  });
}

/** An output [1, cells, k] of the source model as its stride on the source canvas. */
function strideOf(tensor: ort.Tensor, height: number, width: number): { stride: number; k: number } | undefined {
  const k = Number(tensor.dims.at(-1));
  const cells = tensor.data.length / k;
  const stride = Math.round(Math.sqrt((height * width) / cells));
  return stride > 0 && (height / stride) * (width / stride) === cells ? { stride, k } : undefined;
}

/** Checks a freeSpatialDims rewrite numerically; throws FF_FREE_SPATIAL_UNPROVEN naming the first cell that differs. */
export async function proveFreeSpatial(source: ModelProto, report: FreeSpatialReport, options: FreeSpatialProofOptions = {}): Promise<FreeSpatialProof> {
  const { height: H, width: W } = report;
  const sizes = options.sizes ?? [[H - 256, W], [H, W - 256]];
  const margin = options.margin ?? 224;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-5;
  const [lo, hi] = options.range ?? [0, 255];
  const random = seededRandom(options.seed ?? 4321);
  const sessionOptions = { executionProviders: ['cpu'], intraOpNumThreads: 1, logSeverityLevel: 3 as const };
  const original = await ort.InferenceSession.create(encodeModel(source), sessionOptions);
  let rewritten: ort.InferenceSession;
  try {
    rewritten = await ort.InferenceSession.create(encodeModel(report.model), sessionOptions);
  } catch (error) {
    await original.release();
    fail(`the rewritten model does not load (${(error as Error).message.split('\n')[0]})`, report);
  }
  const run = async (session: ort.InferenceSession, data: Float32Array, h: number, w: number): Promise<Run> => {
    try {
      return await session.run({ [report.input]: new ort.Tensor('float32', data, [1, 3, h, w]) });
    } catch (error) {
      fail(`a ${w}x${h} image fails to run (${(error as Error).message.split('\n')[0]})`, report);
    }
  };
  let sameSizeMaxAbsDiff = 0;
  let croppedMaxAbsDiff = 0;
  let comparedCells = 0;
  try {
    const full = Float32Array.from({ length: 3 * H * W }, () => lo + (hi - lo) * random());
    const want = await run(original, full, H, W);
    const got = await run(rewritten, full, H, W);
    for (const [name, ref] of Object.entries(want)) {
      const have = got[name]?.data as Float32Array | undefined;
      if (!have || have.length !== ref.data.length) fail(`output ${name} has ${have?.length ?? 0} values at ${W}x${H}, the source ${ref.data.length}`, report);
      const expected = ref.data as Float32Array;
      for (let i = 0; i < expected.length; i++) {
        const diff = Math.abs(have[i]! - expected[i]!);
        if (!(diff <= atol)) fail(`output ${name} at ${W}x${H}: value ${i} is ${have[i]}, the source gives ${expected[i]}`, report);
        sameSizeMaxAbsDiff = Math.max(sameSizeMaxAbsDiff, diff);
      }
    }
    for (const [h, w] of sizes) {
      // The cropped image, and the same image zero-padded at the bottom and right to the source size.
      const crop = Float32Array.from({ length: 3 * h * w }, () => lo + (hi - lo) * random());
      const padded = new Float32Array(3 * H * W);
      for (let c = 0; c < 3; c++) for (let y = 0; y < h; y++) padded.set(crop.subarray((c * h + y) * w, (c * h + y + 1) * w), (c * H + y) * W);
      const reference = await run(original, padded, H, W);
      const outputs = await run(rewritten, crop, h, w);
      for (const [name, ref] of Object.entries(reference)) {
        const grid = strideOf(ref, H, W);
        if (!grid) fail(`output ${name} [${ref.dims.join(',')}] is not one row per cell of a ${W}x${H} grid`, report);
        const { stride: s, k } = grid;
        const cols = w / s;
        const rows = h / s;
        const have = outputs[name]?.data as Float32Array | undefined;
        if (!have || have.length !== rows * cols * k) fail(`output ${name} has ${have?.length ?? 0} values at ${w}x${h}; a ${cols}x${rows} grid needs ${rows * cols * k}`, report);
        const expected = ref.data as Float32Array;
        // The margin applies along a cut axis only: along the other, both canvases end alike.
        const lastY = h < H ? h - margin : h;
        const lastX = w < W ? w - margin : w;
        for (let row = 0; (row + 1) * s <= lastY; row++) {
          for (let col = 0; (col + 1) * s <= lastX; col++) {
            comparedCells++;
            for (let j = 0; j < k; j++) {
              const a = have[(row * cols + col) * k + j]!;
              const b = expected[(row * (W / s) + col) * k + j]!;
              const diff = Math.abs(a - b);
              if (!(diff <= atol + rtol * Math.abs(b))) fail(`output ${name} at ${w}x${h}: cell (${row}, ${col}) value ${j} is ${a}, the padded ${W}x${H} image gives ${b}`, report);
              croppedMaxAbsDiff = Math.max(croppedMaxAbsDiff, diff);
            }
          }
        }
      }
    }
  } finally {
    await original.release();
    await rewritten.release();
  }
  return { sourceSize: [H, W], sizes, margin, atol, rtol, sameSizeMaxAbsDiff, croppedMaxAbsDiff, comparedCells };
}

/** freeSpatialDims + proveFreeSpatial: a rewrite that is returned has been checked. */
export async function freeSpatialProven(model: ModelProto, options: FreeSpatialProofOptions = {}): Promise<FreeSpatialReport & { proof: FreeSpatialProof }> {
  const report = freeSpatialDims(model);
  return { ...report, proof: await proveFreeSpatial(model, report, options) };
}
