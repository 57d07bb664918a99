/**
 * The output file's life: a temporary file beside the target (same folder, so the final
 * rename is atomic and never crosses file systems), renamed into place only on success,
 * removed on failure or cancel unless kept on purpose.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { mediaUserError } from './media-errors.js';

export interface OutputFile {
  /** Where the finished file goes. */
  target: string;
  /** Where ffmpeg writes meanwhile. */
  temp: string;
}

/**
 * Checks that the target's folder can take a file — by creating the temporary file, the
 * only test that also holds for root, read-only mounts and full disks — and returns both paths.
 */
export async function prepareOutput(target: string, node?: string): Promise<OutputFile> {
  const dir = dirname(target);
  const where = { node, field: 'path' };
  await assertNotFolder(target, node);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw mediaUserError('FF_OUTPUT_NOT_WRITABLE', `Cannot create the output folder ${dir}: ${(error as Error).message}.`, { ...where, fix: 'Choose an output path in a folder you can write to.', cause: error });
  }
  const temp = join(dir, `.${basename(target, extname(target))}.${randomBytes(4).toString('hex')}.part${extname(target)}`);
  try {
    const handle = await open(temp, 'wx');
    await handle.close();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw mediaUserError('FF_OUTPUT_NOT_WRITABLE', `Cannot write into the output folder ${dir} (${code}).`, { ...where, fix: 'Choose an output path in a folder you can write to, or fix its permissions.', cause: error });
  }
  return { target, temp };
}

/** Refuses an output path that names an existing folder. */
export async function assertNotFolder(target: string, node?: string): Promise<void> {
  const existing = await stat(target).catch(() => null);
  if (existing?.isDirectory()) {
    throw mediaUserError('FF_OUTPUT_NOT_WRITABLE', `Output path ${target} is a folder.`, { node, field: 'path', fix: 'Give a file name, e.g. out.mp4.' });
  }
}

/** Moves the finished temporary file onto the target (replacing an older file atomically). */
export async function commitOutput(file: OutputFile): Promise<void> {
  await rename(file.temp, file.target);
}

export async function discardOutput(file: OutputFile): Promise<void> {
  await rm(file.temp, { force: true });
}
