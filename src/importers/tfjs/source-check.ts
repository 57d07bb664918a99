/**
 * Checking a package's model files against the hashes the converter knows, before any of
 * them is parsed: a changed file is named, not misread.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { operationalError } from '../../errors.js';
import { sha256Bytes } from '../../models/file-hash.js';
import type { PackageInfo } from './package-dir.js';

/**
 * Hashes every file in `known` (paths inside the package -> sha256) and compares.
 * @throws FF_MODEL_SOURCE_CHANGED for an unknown package version or a file whose hash
 * differs, FF_MODEL_SOURCE_MISSING for a file that cannot be read.
 */
export async function checkKnownFiles(name: string, pkg: PackageInfo, knownByVersion: Record<string, Record<string, string>>): Promise<Record<string, string>> {
  const known = knownByVersion[pkg.version];
  if (!known) {
    throw operationalError('FF_MODEL_SOURCE_CHANGED', `${name}@${pkg.version} (in ${pkg.dir}) is not a version the converter was checked against (it knows ${Object.keys(knownByVersion).join(', ')})`, {
      fix: `install the known version (npm install ${name}@${Object.keys(knownByVersion).at(-1) ?? ''}); a new version needs its output checked against TF.js before its hashes are added to src/importers/tfjs/esrgan-slim.ts`,
    });
  }
  const hashes: Record<string, string> = {};
  for (const [relative, expected] of Object.entries(known)) {
    const path = join(pkg.dir, relative);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(path));
    } catch (cause) {
      throw operationalError('FF_MODEL_SOURCE_MISSING', `cannot read ${path} (${name}@${pkg.version}): ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, {
        fix: `reinstall ${name} (npm ci)`,
        cause,
      });
    }
    const sha256 = sha256Bytes(bytes);
    if (sha256 !== expected) {
      throw operationalError('FF_MODEL_SOURCE_CHANGED', `${path} (${name}@${pkg.version}) is not the file the converter knows: sha256 ${sha256}, expected ${expected}`, {
        fix: `reinstall ${name} (npm ci); the file was modified or damaged`,
      });
    }
    hashes[relative] = sha256;
  }
  return hashes;
}
