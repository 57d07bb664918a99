/**
 * Finished files never replace existing ones unless asked: `out.mp4` taken means
 * `out-1.mp4`, then `out-2.mp4`, ... The name is taken at the moment the file is moved into
 * place, with link(2), which fails when the name exists: two writers racing for one name
 * each end up with their own, and nothing is ever overwritten by accident.
 */
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

/** `dir/out.mp4` for n = 0, `dir/out-n.mp4` after. */
export function numberedName(target: string, n: number): string {
  if (n === 0) return target;
  const ext = extname(target);
  return join(dirname(target), `${basename(target, ext)}-${n}${ext}`);
}

const MAX_NUMBER = 100_000;

/** Errors that mean "this file system has no hard links", not "the name is taken". */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK', 'EXDEV']);

/**
 * Moves `temp` (in the same folder) to `target` or the first free numbered name beside it,
 * and returns the path it now has. Never replaces an existing file.
 */
export async function moveToFreeName(temp: string, target: string): Promise<string> {
  for (let n = 0; n < MAX_NUMBER; n++) {
    const candidate = numberedName(target, n);
    try {
      await link(temp, candidate);
      await unlink(temp);
      return candidate;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') continue;
      if (!NO_HARD_LINKS.has(code)) throw error;
      // No hard links here: reserve the name with an exclusive create, then move over our
      // own reservation. A reader may see an empty file for that moment, never a lost one.
      try {
        await (await open(candidate, 'wx')).close();
      } catch (reserveError) {
        if ((reserveError as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw reserveError;
      }
      await rename(temp, candidate);
      return candidate;
    }
  }
  throw new Error(`no free name for ${target} after ${MAX_NUMBER} tries`);
}
