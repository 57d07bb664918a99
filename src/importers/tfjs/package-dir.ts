/**
 * Where an npm package lives. Packages with an `exports` map (like @upscalerjs/esrgan-slim)
 * do not export package.json, so the folder is found from the resolved entry point by
 * walking up to the package.json that carries the package's name.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { operationalError } from '../../errors.js';

const require = createRequire(import.meta.url);

export interface PackageInfo {
  dir: string;
  version: string;
}

function readVersion(dir: string, name: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
    return manifest.name === name ? (manifest.version ?? 'unknown') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The installed package: under `packagesDir` (a node_modules folder) when given, else as
 * framefuse resolves it.
 * @throws FF_MODEL_SOURCE_MISSING when it is not installed.
 */
export function findPackage(name: string, packagesDir?: string): PackageInfo {
  const missing = (cause?: unknown) =>
    operationalError('FF_MODEL_SOURCE_MISSING', `the package ${name} is not installed${packagesDir ? ` in ${packagesDir}` : ''}, so its models cannot be converted`, {
      fix: `run npm install (it is a dependency of framefuse), or npm install ${name}`,
      ...(cause === undefined ? {} : { cause }),
    });
  if (packagesDir) {
    const dir = join(packagesDir, name);
    const version = existsSync(dir) ? readVersion(dir, name) : undefined;
    if (version === undefined) throw missing();
    return { dir, version };
  }
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch (cause) {
    throw missing(cause);
  }
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const version = readVersion(dir, name);
    if (version !== undefined) return { dir, version };
  }
  throw missing();
}
