/**
 * Paths that come from clients are resolved inside one folder only: no absolute paths, no
 * `..`, no NUL, and no symbolic link that leads out of the folder. The server confines every
 * file a request or a graph names (by its declared role) to its data folder with this.
 *
 * Every refusal has the same shape and says nothing about what lies outside the folder
 * (whether a file there exists, what a link points at): a client learns only that its
 * path is not allowed, and why in terms of the path it wrote.
 */
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { userError, type FramefuseError } from '../errors.js';

export const PATH_UNSAFE = 'FF_PATH_UNSAFE';

function unsafe(path: string, why: string): FramefuseError {
  return userError(PATH_UNSAFE, `path "${path}" is not allowed: ${why}`, { fix: 'give a path relative to the data folder, without ".."' });
}

export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The real path of `path`, or of its deepest existing ancestor joined with the rest. */
export function realpathOfExisting(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    if (parent === path) return path;
    return resolve(realpathOfExisting(parent), path.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
  }
}

/**
 * Resolves a client path relative to `root`, or throws FF_PATH_UNSAFE (a user error).
 * The file need not exist; its existing ancestors must not lead out through a link.
 */
export function resolveInside(root: string, clientPath: string): string {
  if (typeof clientPath !== 'string' || clientPath.length === 0) throw unsafe(String(clientPath), 'it is empty');
  if (clientPath.includes('\0')) throw unsafe(clientPath.replace(/\0/g, '\\0'), 'it contains a NUL byte');
  if (isAbsolute(clientPath) || /^[A-Za-z]:[\\/]/.test(clientPath) || clientPath.startsWith('\\')) throw unsafe(clientPath, 'it is outside the data folder');
  if (clientPath.split(/[\\/]/).includes('..')) throw unsafe(clientPath, 'it is outside the data folder');
  const realRoot = realpathOfExisting(resolve(root));
  const target = resolve(realRoot, clientPath);
  if (!isInside(realRoot, target) || !isInside(realRoot, realpathOfExisting(target))) throw unsafe(clientPath, 'it is outside the data folder');
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
