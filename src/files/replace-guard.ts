/**
 * The one check before a finished output replaces an existing file (overwrite on): not a
 * file the run reads, however its path is spelled, and not a file in a protected folder.
 */
import { isInside, realpathOfExisting } from './confined-path.js';
import { fileIdentity, sameFile } from './file-identity.js';
import { OUTPUT_IS_INPUT, type OutputPolicy } from './output-policy.js';
import { userError } from '../errors.js';

/**
 * Throws when replacing `target` would destroy a file the policy protects: a file the run
 * reads (FF_OUTPUT_IS_INPUT), or an existing file in a protected folder (FF_OUTPUT_PROTECTED).
 * A target that does not exist yet is always fine.
 */
export async function assertMayReplace(target: string, policy: OutputPolicy, where: { node?: string; field?: string } = {}): Promise<void> {
  const identity = await fileIdentity(target);
  if (identity === null) return;
  const details = { ...(where.node === undefined ? {} : { node: where.node }), field: where.field ?? 'path' };
  if (policy.readFiles.some((read) => sameFile(read, identity))) {
    throw userError(OUTPUT_IS_INPUT, `the output ${target} is a file this run reads (the same file, by its real path or a link); writing it would destroy the input`, {
      ...details,
      fix: 'give the output another name',
    });
  }
  const real = realpathOfExisting(target);
  const folder = policy.protectedFolders.find((dir) => isInside(realpathOfExisting(dir), real));
  if (folder !== undefined) {
    throw userError('FF_OUTPUT_PROTECTED', `the output ${target} would replace an existing file in ${folder}, which runs never overwrite`, {
      ...details,
      fix: 'give the output a new name, or write it to the outputs folder',
    });
  }
}
