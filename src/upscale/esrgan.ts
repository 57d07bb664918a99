/**
 * Upscaling RGB images with an ESRGAN model (the converted ESRGAN-slim: NCHW, RGB 0..255
 * in and out, any size). Images are cut into overlapping tiles of one shape, the tiles of
 * every image are run in batches, and each tile's core is written back, so a frame of
 * any size fits in bounded memory and the result shows no seams.
 *
 * @example
 * ```ts
 * const path = await ensurePrepared('esrgan_x2', ctx.paths.models);
 * const model = await openModel(path, { threads: ctx.threads });
 * const [big] = await upscaleImages(model, [frame]);
 * ```
 */
import type { ModelSession } from '../runtime/model-session.js';
import type { Image } from '../model/port-values.js';
import { tileSpans } from './tile-grid.js';
import type { TileSpan } from './tile-grid.js';

export interface UpscaleOptions {
  /** Window side in input pixels. Default 160. */
  tile?: number;
  /**
   * Context kept around each tile's core, in input pixels. Default 12: ESRGAN-slim's
   * receptive radius is about 10 input pixels, so cores match a whole-image run.
   */
  overlap?: number;
  /** Tiles per session run. Default 4. */
  batchSize?: number;
}

/** What upscaling needs of a session. */
export type UpscaleSession = Pick<ModelSession, 'inputs' | 'run'>;

interface Tile {
  image: number;
  x: TileSpan;
  y: TileSpan;
}

function readTile(image: Image, tile: Tile, target: Float32Array, offset: number): void {
  const { windowStart: x0, windowLength: w } = tile.x;
  const { windowStart: y0, windowLength: h } = tile.y;
  const plane = w * h;
  for (let y = 0; y < h; y++) {
    let source = ((y0 + y) * image.width + x0) * 3;
    const row = offset + y * w;
    for (let x = 0; x < w; x++, source += 3) {
      target[row + x] = image.data[source]!;
      target[row + plane + x] = image.data[source + 1]!;
      target[row + 2 * plane + x] = image.data[source + 2]!;
    }
  }
}

function writeCore(out: Image, tile: Tile, result: Float32Array, offset: number, scale: number): void {
  const ow = tile.x.windowLength * scale;
  const plane = ow * tile.y.windowLength * scale;
  const dx = (tile.x.coreStart - tile.x.windowStart) * scale;
  const dy = (tile.y.coreStart - tile.y.windowStart) * scale;
  const cw = (tile.x.coreEnd - tile.x.coreStart) * scale;
  const ch = (tile.y.coreEnd - tile.y.coreStart) * scale;
  for (let y = 0; y < ch; y++) {
    let target = ((tile.y.coreStart * scale + y) * out.width + tile.x.coreStart * scale) * 3;
    const row = offset + (dy + y) * ow + dx;
    for (let x = 0; x < cw; x++, target += 3) {
      // Uint8Array stores clamp nothing (they wrap), hence the explicit clamp; round to nearest.
      for (let c = 0; c < 3; c++) out.data[target + c] = Math.min(255, Math.max(0, Math.round(result[row + c * plane + x]!)));
    }
  }
}

/**
 * Each image upscaled by the model's factor (read from its first output: 2 for x2).
 * `result[i]` is `images[i]` upscaled.
 */
export async function upscaleImages(session: UpscaleSession, images: readonly Image[], options: UpscaleOptions = {}): Promise<Image[]> {
  const tileSize = options.tile ?? 160;
  const overlap = options.overlap ?? 12;
  const batchSize = Math.max(1, options.batchSize ?? 4);
  const inputName = session.inputs[0]?.name ?? 'input';
  images.forEach((image, i) => {
    if (image.width < 1 || image.height < 1 || image.data.length !== image.width * image.height * 3) {
      throw new Error(`image ${i} is ${image.width}x${image.height} with ${image.data.length} bytes; expected a non-empty RGB24 image`);
    }
  });
  // Tiles grouped by window shape: all the tiles of one image share it, and so do frames of one size.
  const groups = new Map<string, Tile[]>();
  images.forEach((image, index) => {
    for (const y of tileSpans(image.height, tileSize, overlap)) {
      for (const x of tileSpans(image.width, tileSize, overlap)) {
        const key = `${x.windowLength}x${y.windowLength}`;
        groups.set(key, [...(groups.get(key) ?? []), { image: index, x, y }]);
      }
    }
  });
  const outputs: (Image | undefined)[] = images.map(() => undefined);
  for (const tiles of groups.values()) {
    const w = tiles[0]!.x.windowLength;
    const h = tiles[0]!.y.windowLength;
    for (let start = 0; start < tiles.length; start += batchSize) {
      const batch = tiles.slice(start, start + batchSize);
      const data = new Float32Array(batch.length * 3 * w * h);
      batch.forEach((tile, i) => readTile(images[tile.image]!, tile, data, i * 3 * w * h));
      const result = Object.values(await session.run({ [inputName]: { data, dims: [batch.length, 3, h, w] } }))[0];
      if (!result || !(result.data instanceof Float32Array) || result.dims.length !== 4) throw new Error('the upscaler returned no float32 NCHW output');
      const scale = (result.dims[2] ?? 0) / h;
      if (!Number.isInteger(scale) || scale < 1 || (result.dims[3] ?? 0) !== w * scale || result.dims[1] !== 3) {
        throw new Error(`the upscaler turned [${batch.length},3,${h},${w}] into [${result.dims.join(',')}]; expected an integer factor and 3 channels`);
      }
      const per = 3 * w * h * scale * scale;
      batch.forEach((tile, i) => {
        const source = images[tile.image]!;
        let out = outputs[tile.image];
        if (!out) {
          out = { width: source.width * scale, height: source.height * scale, data: new Uint8Array(source.width * scale * source.height * scale * 3) };
          outputs[tile.image] = out;
        }
        writeCore(out, tile, result.data as Float32Array, i * per, scale);
      });
    }
  }
  return outputs.map((o, i) => {
    if (!o) throw new Error(`image ${i} was not upscaled`);
    return o;
  });
}
