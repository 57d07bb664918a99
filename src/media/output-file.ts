/**
 * The output file's life: a partial file beside the target (same folder, so the final move
 * is atomic and never crosses file systems, named after the process that owns it), moved
 * into place only on success, removed on failure or cancel unless kept on purpose. The
 * finished file takes a free name (`out-1.mp4` when `out.mp4` exists) unless the policy
 * says overwrite, and never replaces a file the run reads.
 */
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, extname, join } from 'node:path';
import { moveToFreeName } from '../files/free-name.js';
import type { OutputPolicy } from '../files/output-policy.js';
import { assertMayReplace } from '../files/replace-guard.js';
import { partFileFor, removeStalePartFiles, trackPartFile, untrackPartFile } from '../files/part-files.js';
import { mediaUserError } from './media-errors.js';

export interface OutputFile {
  /** Where the finished file goes (or the first free numbered name beside it). */
  target: string;
  /** Where ffmpeg writes meanwhile. */
  temp: string;
  policy: OutputPolicy;
  node: string | undefined;
}

/**
 * Checks that the target's folder can take a file — by creating the partial file, the
 * only test that also holds for root, read-only mounts and full disks — and returns both
 * paths. Partial files in that folder left by processes that are gone are removed first.
 */
export async function prepareOutput(target: string, policy: OutputPolicy, node?: string): Promise<OutputFile> {
  const dir = dirname(target);
  const where = { node, field: 'path' };
  await assertNotFolder(target, node);
  if (policy.overwrite) await assertMayReplace(target, policy, where);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw mediaUserError('FF_OUTPUT_NOT_WRITABLE', `Cannot create the output folder ${dir}: ${(error as Error).message}.`, { ...where, fix: 'Choose an output path in a folder you can write to.', cause: error });
  }
  await removeStalePartFiles(dir);
  const temp = partFileFor(target);
  try {
    const handle = await open(temp, 'wx');
    trackPartFile(temp);
    await handle.close();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw mediaUserError('FF_OUTPUT_NOT_WRITABLE', `Cannot write into the output folder ${dir} (${code}).`, { ...where, fix: 'Choose an output path in a folder you can write to, or fix its permissions.', cause: error });
  }
  return { target, temp, policy, node };
}

/** Refuses an output path that names an existing folder. */
export async function assertNotFolder(target: string, node?: string): Promise<void> {
  const existing = await stat(target).catch(() => null);
  if (existing?.isDirectory()) {
    throw mediaUserError('FF_OUTPUT_NOT_WRITABLE', `Output path ${target} is a folder.`, { node, field: 'path', fix: 'Give a file name, e.g. out.mp4.' });
  }
}

/** Moves the finished partial file into place and returns the path it was written to. */
export async function commitOutput(file: OutputFile): Promise<string> {
  let written: string;
  if (file.policy.overwrite) {
    // Checked again: the target may have become an input's link since the run opened.
    await assertMayReplace(file.target, file.policy, { node: file.node });
    await rename(file.temp, file.target);
    written = file.target;
  } else {
    written = await moveToFreeName(file.temp, file.target);
  }
  untrackPartFile(file.temp);
  return written;
}

/** Keeps a failed output for inspection as `.NAME.kept-XXXXXXXX.EXT`, a name no stale-file cleanup touches. */
export async function keepOutput(file: OutputFile): Promise<string> {
  const ext = extname(file.target);
  const kept = join(dirname(file.target), `.${basename(file.target, ext)}.kept-${randomBytes(4).toString('hex')}${ext}`);
  await rename(file.temp, kept);
  untrackPartFile(file.temp);
  return kept;
}

export async function discardOutput(file: OutputFile): Promise<void> {
  await rm(file.temp, { force: true });
  untrackPartFile(file.temp);
}
