/**
 * What the API says never shows where the server keeps its files: the data folder, the
 * models folder and framefuse's own folder are written as relative paths (`uploads/a.mp4`,
 * `models/x.onnx`, `<framefuse>/...`) in every error, problem and log it returns.
 */
import { realpathSync } from 'node:fs';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Problem } from '../src/model/problem.js';
import type { DataFolders } from './data-folders.js';

/** framefuse's own folder (dist/server -> ../../). */
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/[\\/]$/, '');

function spellings(path: string): string[] {
  const all = new Set([path.replace(/[\\/]$/, '')]);
  try {
    all.add(realpathSync(path).replace(/[\\/]$/, ''));
  } catch {
    // not there (yet): the written spelling is enough
  }
  return [...all];
}

/** Longest folders first, so the data folder wins over a project root that contains it. */
function replacements(folders: Pick<DataFolders, 'root' | 'models'>): [string, string][] {
  const pairs: [string, string][] = [];
  for (const path of spellings(folders.models)) pairs.push([path + sep, 'models/'], [path, 'models']);
  for (const path of spellings(folders.root)) pairs.push([path + sep, ''], [path, '.']);
  for (const path of spellings(PROJECT_ROOT)) pairs.push([path + sep, '<framefuse>/'], [path, '<framefuse>']);
  return pairs.sort((a, b) => b[0].length - a[0].length);
}

export function redactPaths(text: string, folders: Pick<DataFolders, 'root' | 'models'>): string {
  let out = text;
  for (const [from, to] of replacements(folders)) out = out.split(from).join(to);
  return out;
}

export function redactProblems(problems: readonly Problem[], folders: Pick<DataFolders, 'root' | 'models'>): Problem[] {
  return problems.map((p) => ({ ...p, message: redactPaths(p.message, folders) }));
}
