/**
 * YuNet for any canvas size: the shipped file is exported for 640x640 only, but the
 * network is fully convolutional, so it is rewritten once to take [N,3,H,W] (see
 * src/onnx/free-spatial-dims.ts), proven against the source file, and cached under
 * `<models>/cache`. 16:9 video then runs on a 640x384 canvas instead of 640x640 (40% less
 * work in the pipeline's slowest stage).
 */
import { readFile } from 'node:fs/promises';
import { isFramefuseError } from '../../errors.js';
import { sha256File } from '../../models/file-hash.js';
import type { NodeLog } from '../../node-api/define-node.js';
import { freeSpatialProven } from '../../onnx/free-spatial-proof.js';
import { inspectModel } from '../../onnx/inspect.js';
import { decodeModel, encodeModel } from '../../onnx/model-io.js';
import { cachedRewrite } from '../../onnx/rewrite-cache.js';

/** Bump when the rewrite or its proof changes, so old cache entries are not reused. */
export const FREE_SIZE_OPERATION = 'free-spatial-v1';

/**
 * The file to open for `file` (and the source's sha256): the file itself when its height and width are already
 * free, its proven free-size rewrite (made on first use, then from `cacheDir`), or null
 * when the model cannot be rewritten; it then runs on its own square canvas, said in an
 * info line.
 */
export async function freeSizeYunetFile(file: string, cacheDir: string, log?: Pick<NodeLog, 'info'>): Promise<{ path: string; sourceHash: string } | null> {
  const bytes = await readFile(file);
  const model = decodeModel(bytes, file);
  const dims = inspectModel(model).inputs[0]?.dims;
  const sourceHash = await sha256File(file);
  if (typeof dims?.[2] !== 'number' && typeof dims?.[3] !== 'number') return { path: file, sourceHash };
  try {
    const result = await cachedRewrite(cacheDir, { sources: [sourceHash], operation: FREE_SIZE_OPERATION }, async () => {
      const report = await freeSpatialProven(model);
      return { bytes: encodeModel(report.model), details: { rewrites: report.rewrites, proof: report.proof } };
    });
    log?.info(`${file}: ${result.hit ? 'using the cached' : 'made and proved a'} free-size rewrite (${result.path})`);
    return { path: result.path, sourceHash };
  } catch (error) {
    if (!isFramefuseError(error) || !error.code.startsWith('FF_FREE_SPATIAL')) throw error;
    log?.info(`${file}: ${error.message}; detecting on its ${dims?.[3]}x${dims?.[2]} canvas`);
    return null;
  }
}
