/**
 * sha256 values recorded the first time a downloaded model passed its published check
 * (trust on first use), for manifest entries whose sha256 is still null. Kept in
 * `<models>/cache/verified.json`, out of version control.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './write-atomic.js';

export interface VerifiedRecord {
  sha256: string;
  size: number;
  verifiedAt: string;
  /** How the first check was made: the manifest's CRC32, the published .hash file, or none available. */
  checkedBy: 'manifest-sha256' | 'crc32' | 'hash-file' | 'unchecked';
}

export function verifiedPath(modelsDir: string): string {
  return join(modelsDir, 'cache', 'verified.json');
}

export async function readVerified(modelsDir: string): Promise<Record<string, VerifiedRecord>> {
  try {
    return JSON.parse(await readFile(verifiedPath(modelsDir), 'utf8')) as Record<string, VerifiedRecord>;
  } catch {
    return {};
  }
}

export async function recordVerified(modelsDir: string, id: string, record: VerifiedRecord): Promise<void> {
  const all = await readVerified(modelsDir);
  all[id] = record;
  const path = verifiedPath(modelsDir);
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, JSON.stringify(all, null, 2) + '\n');
}
