/**
 * Partial files: what a writer fills before the finished file is moved into place. The
 * name says which process owns it (`.out.ff<pid>-<random>.part.mp4`), so a later run can
 * prove that a partial file left by a killed process is dead and remove it, and
 * `framefuse doctor` can list them. Each process also keeps a list of the partial files it
 * is writing, so a hard exit (a second Ctrl-C) can remove them synchronously.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

const PART_NAME = /^\.(.+)\.ff(\d+)-[0-9a-f]{8}\.part(\.[A-Za-z0-9]+)?$/;

/** A fresh partial file's path beside `target`, owned by this process. */
export function partFileFor(target: string): string {
  const ext = extname(target);
  return join(dirname(target), `.${basename(target, ext)}.ff${process.pid}-${randomBytes(4).toString('hex')}.part${ext}`);
}

/** The pid that owns a partial file, from its name; null for any other name. */
export function partFileOwner(name: string): number | null {
  const match = PART_NAME.exec(basename(name));
  return match ? Number(match[2]) : null;
}

const live = new Set<string>();

/** Registers a partial file this process is writing. */
export function trackPartFile(path: string): void {
  live.add(path);
}

export function untrackPartFile(path: string): void {
  live.delete(path);
}

/** Removes every partial file this process is still writing, synchronously (for a hard exit). */
export function removeTrackedPartFilesSync(): void {
  for (const path of live) rmSync(path, { force: true });
  live.clear();
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When process `pid` started, in ms since the epoch, from Linux's /proc (start time in
 * clock ticks since boot; USER_HZ is 100 on every Linux architecture). Null elsewhere.
 */
function processStartMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    const boot = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    return Number.isFinite(ticks) && Number.isFinite(boot) ? boot * 1000 + ticks * 10 : null;
  } catch {
    return null;
  }
}

/**
 * True when the partial file's owner is provably gone: no process has its pid, or the
 * process that has it now started after the file was last written (the pid was reused).
 * A file of this process, or of a process that may still be writing it, is never stale.
 */
export async function isStalePartFile(path: string): Promise<boolean> {
  const owner = partFileOwner(path);
  if (owner === null || owner === process.pid) return false;
  if (!processExists(owner)) return true;
  const started = processStartMs(owner);
  if (started === null) return false;
  const info = await stat(path).catch(() => null);
  return info !== null && started > info.mtimeMs + 2000;
}

/** The stale partial files in `dir` (not recursive). */
export async function findStalePartFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const stale: string[] = [];
  for (const name of names) {
    if (partFileOwner(name) === null) continue;
    const path = join(dir, name);
    if (await isStalePartFile(path)) stale.push(path);
  }
  return stale;
}

/** Removes the stale partial files in `dir` and returns their paths. */
export async function removeStalePartFiles(dir: string): Promise<string[]> {
  const stale = await findStalePartFiles(dir);
  for (const path of stale) await rm(path, { force: true });
  return stale;
}

/** Folders a search for partial files skips: dependencies, builds, version control. */
const SKIPPED = new Set(['node_modules', '.git', 'dist']);

/** The stale partial files in `root` and its subfolders, `depth` levels down. */
export async function findStalePartFilesUnder(root: string, depth = 3): Promise<string[]> {
  const found = await findStalePartFiles(root);
  if (depth <= 0) return found;
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.isDirectory() && !SKIPPED.has(entry.name)) found.push(...(await findStalePartFilesUnder(join(root, entry.name), depth - 1)));
  }
  return found;
}
