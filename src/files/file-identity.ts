/**
 * Which file a path names, independent of how it is written: `a/../b`, a symbolic link and
 * a hard link to the same file all have one identity (device and inode). Output checks
 * compare identities, so no spelling of an input's path lets a run write over it.
 */
import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FileIdentity } from './output-policy.js';

export type { FileIdentity };

/** The identity of the file `path` names (following links), or null when there is none. */
export async function fileIdentity(path: string): Promise<FileIdentity | null> {
  try {
    const s = await stat(path, { bigint: true });
    return { dev: String(s.dev), ino: String(s.ino) };
  } catch {
    return null;
  }
}

export function fileIdentitySync(path: string): FileIdentity | null {
  const s = statSync(path, { bigint: true, throwIfNoEntry: false });
  return s ? { dev: String(s.dev), ino: String(s.ino) } : null;
}

export function sameFile(a: FileIdentity | null, b: FileIdentity | null): boolean {
  return a !== null && b !== null && a.dev === b.dev && a.ino === b.ino;
}
