/**
 * Finding a model's source bytes in node_modules and checking them against the hash the
 * converter knows.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { operationalError } from '../../errors.js';
import { sha256Bytes } from '../../models/file-hash.js';
import { extractPackedFile } from './packed-assets.js';
import type { TfliteSource } from './sources.js';

const require = createRequire(import.meta.url);

export interface SourceBytes {
  bytes: Uint8Array;
  /** The file read (for packed models, the data file), for messages. */
  path: string;
  /** How messages name the model: the file, or `data file#entry`. */
  label: string;
  packageVersion: string;
  sha256: string;
}

/** The package's folder: under `packagesDir` when given (a node_modules folder), else resolved from framefuse. */
export function packageDir(packageName: string, packagesDir?: string): string {
  if (packagesDir) return join(packagesDir, packageName);
  try {
    return dirname(require.resolve(`${packageName}/package.json`));
  } catch (cause) {
    throw operationalError('FF_MODEL_SOURCE_MISSING', `the package ${packageName} is not installed, so its models cannot be converted`, {
      fix: `run npm install (it is a dependency of framefuse), or npm install ${packageName}`,
      cause,
    });
  }
}

async function readSourceFile(path: string, packageName: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (cause) {
    throw operationalError('FF_MODEL_SOURCE_MISSING', `cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, {
      fix: `reinstall ${packageName} (npm ci)`,
      cause,
    });
  }
}

/**
 * Reads a model's bytes and checks their sha256.
 * @throws FF_MODEL_SOURCE_MISSING when the package or file is missing, FF_MODEL_SOURCE_CHANGED when the hash differs.
 */
export async function readCheckedSource(source: TfliteSource, packagesDir?: string): Promise<SourceBytes> {
  const dir = packageDir(source.packageName, packagesDir);
  const manifest = JSON.parse(new TextDecoder().decode(await readSourceFile(join(dir, 'package.json'), source.packageName))) as { version?: string };
  const path = join(dir, source.file);
  const raw = await readSourceFile(path, source.packageName);
  let bytes = raw;
  let label = path;
  if (source.packed) {
    const loaderPath = join(dir, source.packed.loader);
    const loader = new TextDecoder().decode(await readSourceFile(loaderPath, source.packageName));
    bytes = extractPackedFile(raw, loader, source.packed.entry, { data: path, loader: loaderPath });
    label = `${path}#${source.packed.entry.split('/').pop()}`;
  }
  const sha256 = sha256Bytes(bytes);
  if (sha256 !== source.sha256) {
    throw operationalError(
      'FF_MODEL_SOURCE_CHANGED',
      `${label} (${source.packageName}@${manifest.version ?? '?'}) is not the model the converter knows: sha256 ${sha256}, expected ${source.sha256}`,
      { fix: `reinstall the package version framefuse was built with (npm ci); a new model needs its decoder checked before its hash is added to src/importers/tflite/sources.ts` },
    );
  }
  return { bytes, path, label, packageVersion: manifest.version ?? 'unknown', sha256 };
}
