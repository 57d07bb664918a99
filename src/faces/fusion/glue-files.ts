/**
 * The paste-back and download glue (device-glue.ts) as files in the models cache: they
 * depend on no model, so they are written once per glue version and shared by every chain.
 */
import { cacheDir } from '../../models/paths.js';
import { encodeModel } from '../../onnx/model-io.js';
import { cachedRewrite } from '../../onnx/rewrite-cache.js';
import { buildDownloadGlue, buildPasteGlue } from './device-glue.js';

export const GLUE_VERSION = 'face-glue-v1';

export async function pasteGlueFiles(modelsDir: string): Promise<{ paste: string; download: string }> {
  const dir = cacheDir(modelsDir);
  const paste = await cachedRewrite(dir, { sources: [], operation: `${GLUE_VERSION}-paste` }, async () => ({ bytes: encodeModel(buildPasteGlue()) }));
  const download = await cachedRewrite(dir, { sources: [], operation: `${GLUE_VERSION}-download` }, async () => ({ bytes: encodeModel(buildDownloadGlue()) }));
  return { paste: paste.path, download: download.path };
}
