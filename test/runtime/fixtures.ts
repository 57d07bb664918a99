/** Generated model files for the runtime tests, written into a fresh temp folder. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeModel } from '../../src/onnx/model-io.js';
import { buildSwapperLikeModel } from '../../src/onnx/synthetic-models.js';

export async function modelsFolder(): Promise<{ dir: string; fixed: string; dynamic: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ff-runtime-'));
  const fixed = join(dir, 'swapper_fixed.onnx');
  const dynamic = join(dir, 'swapper_dynamic.onnx');
  await writeFile(fixed, encodeModel(buildSwapperLikeModel({ channels: 8, convs: 4, size: 32, fixedBatch: true })));
  await writeFile(dynamic, encodeModel(buildSwapperLikeModel({ channels: 8, convs: 4, size: 32, fixedBatch: false })));
  return { dir, fixed, dynamic };
}

export function swapperFeeds(n: number, seed = 1): { target: { data: Float32Array; dims: number[] }; source: { data: Float32Array; dims: number[] } } {
  let s = seed;
  const next = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  return {
    target: { data: Float32Array.from({ length: n * 3 * 32 * 32 }, next), dims: [n, 3, 32, 32] },
    source: { data: Float32Array.from({ length: n * 512 }, next), dims: [n, 512] },
  };
}
