/**
 * Paths that come from clients are resolved inside one of the server's folders only: no
 * absolute paths, no `..`, no NUL, and no symbolic link that leads out of the folder.
 */
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { ApiError } from './api-error.js';

function unsafe(path: string, why: string): ApiError {
  return new ApiError(400, 'FF_PATH_UNSAFE', `path "${path}" is not allowed: ${why}`);
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The real path of `path`, or of its deepest existing ancestor joined with the rest. */
function realpathOfExisting(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    if (parent === path) return path;
    return resolve(realpathOfExisting(parent), path.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
  }
}

/**
 * Resolves a client path relative to `root`, or throws FF_PATH_UNSAFE (400).
 * The file need not exist; its existing ancestors must not lead out through a link.
 */
export function resolveInside(root: string, clientPath: string): string {
  if (typeof clientPath !== 'string' || clientPath.length === 0) throw unsafe(String(clientPath), 'empty');
  if (clientPath.includes('\0')) throw unsafe(clientPath.replace(/\0/g, '\\0'), 'contains a NUL byte');
  if (isAbsolute(clientPath) || /^[A-Za-z]:[\\/]/.test(clientPath) || clientPath.startsWith('\\')) throw unsafe(clientPath, 'absolute paths are refused; give a path relative to the data folder');
  if (clientPath.split(/[\\/]/).includes('..')) throw unsafe(clientPath, '".." is refused');
  const realRoot = realpathOfExisting(resolve(root));
  const target = resolve(realRoot, clientPath);
  if (!isInside(realRoot, target)) throw unsafe(clientPath, 'it leads outside the data folder');
  if (!isInside(realRoot, realpathOfExisting(target))) throw unsafe(clientPath, 'a symbolic link leads outside the data folder');
  return target;
}

/** Like resolveInside, but answers whether it is safe instead of throwing. */
export function isSafeInside(root: string, clientPath: string): boolean {
  try {
    resolveInside(root, clientPath);
    return true;
  } catch {
    return false;
  }
}
