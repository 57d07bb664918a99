/** Opening a detector with the batchify rewrite; a model whose rewrite cannot be proven runs one frame per session run. */
import { isFramefuseError } from '../../errors.js';
import { openModel, type ModelSession, type OpenModelOptions } from '../../runtime/model-session.js';

export async function openBatched(ref: string, options: OpenModelOptions): Promise<ModelSession> {
  try {
    return await openModel(ref, { ...options, batchify: true });
  } catch (error) {
    if (!isFramefuseError(error) || !error.code.startsWith('FF_BATCHIFY')) throw error;
    options.log?.warn(`${ref}: ${error.message}; running it one frame at a time`);
    return openModel(ref, { ...options, batchify: false });
  }
}
