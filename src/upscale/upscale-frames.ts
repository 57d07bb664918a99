/**
 * Frame upscaling (the Enhancer's frame mode): whole frames upscaled by a super-resolution
 * model, tiled with overlap (esrgan.ts) so any frame size runs in bounded memory, then
 * blended with the frame enlarged bilinearly (FaceFusion's frame enhancer blend). It
 * lives here, not under src/faces, because it never looks at a face: it is whole-frame
 * super-resolution, beside the tiler it drives.
 */
import type { Frame } from '../model/port-values.js';
import type { ModelSession } from '../runtime/model-session.js';
import type { Feeds, Outputs } from '../runtime/tensors.js';
import { fixedBatchOf } from '../onnx/value-info.js';
import { upscaleImages, type UpscaleSession } from './esrgan.js';
import type { FrameModelSpec } from './frame-models.js';

/**
 * upscaleImages speaks ESRGAN-slim's 0..255; a model whose values are pixels / `std`
 * (Real-ESRGAN: 255, so 0..1) is wrapped so its input is divided and its output
 * multiplied by `std`.
 */
export function inPixelRange(session: Pick<ModelSession, 'inputs' | 'run'>, std: number): UpscaleSession {
  if (std === 1) return session;
  return {
    inputs: session.inputs,
    run: async (feeds: Feeds): Promise<Outputs> => {
      const scaled: Feeds = {};
      for (const [name, t] of Object.entries(feeds)) scaled[name] = { ...t, data: (t.data as Float32Array).map((v) => v / std) };
      const outputs = await session.run(scaled);
      const back: Outputs = {};
      for (const [name, t] of Object.entries(outputs)) back[name] = { ...t, data: (t.data as Float32Array).map((v) => v * std) };
      return back;
    },
  };
}

/** The model's scale factor, from one run on a small blank input (so open() can announce the output size). */
export async function probeScale(session: UpscaleSession): Promise<number> {
  const input = session.inputs[0];
  const side = 16;
  const outputs = await session.run({ [input?.name ?? 'input']: { data: new Float32Array(3 * side * side), dims: [1, 3, side, side] } });
  const out = Object.values(outputs)[0];
  const scale = (out?.dims[2] ?? 0) / side;
  if (!out || out.dims.length !== 4 || !Number.isInteger(scale) || scale < 1 || out.dims[3] !== side * scale) {
    throw new Error(`the frame model turned [1,3,${side},${side}] into [${out?.dims.join(',') ?? 'nothing'}]; expected [1,3,s*${side},s*${side}]`);
  }
  return scale;
}

/** Bilinear enlargement by an integer factor, pixel centres aligned (half-pixel). */
export function enlargeBilinear(frame: Frame, scale: number): Frame {
  const w = frame.width * scale;
  const h = frame.height * scale;
  const out = new Uint8Array(w * h * 3);
  const src = frame.data;
  const maxX = frame.width - 1;
  const maxY = frame.height - 1;
  for (let y = 0; y < h; y++) {
    const sy = Math.min(maxY, Math.max(0, (y + 0.5) / scale - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(maxY, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < w; x++) {
      const sx = Math.min(maxX, Math.max(0, (x + 0.5) / scale - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(maxX, x0 + 1);
      const fx = sx - x0;
      const o = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) {
        const top = src[(y0 * frame.width + x0) * 3 + c]! * (1 - fx) + src[(y0 * frame.width + x1) * 3 + c]! * fx;
        const bottom = src[(y1 * frame.width + x0) * 3 + c]! * (1 - fx) + src[(y1 * frame.width + x1) * 3 + c]! * fx;
        out[o + c] = top * (1 - fy) + bottom * fy + 0.5;
      }
    }
  }
  return { width: w, height: h, data: out };
}

/** Every frame upscaled; `blend` 0..1 mixes the model's result with the bilinear enlargement. */
export async function upscaleFrames(session: Pick<ModelSession, 'inputs' | 'run'>, frames: readonly Frame[], spec: FrameModelSpec, blend: number): Promise<Frame[]> {
  const fixed = fixedBatchOf(session.inputs[0]?.dims);
  const upscaled = await upscaleImages(inPixelRange(session, spec.std), frames, { tile: spec.tile, overlap: spec.overlap, batchSize: fixed ?? 4 });
  if (blend >= 1) return upscaled;
  return upscaled.map((up, i) => {
    const base = enlargeBilinear(frames[i]!, up.width / frames[i]!.width);
    for (let j = 0; j < up.data.length; j++) up.data[j] = base.data[j]! * (1 - blend) + up.data[j]! * blend + 0.5;
    return up;
  });
}
