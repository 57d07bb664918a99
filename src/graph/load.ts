/**
 * Reading a graph file from disk; what is read is parsed by src/model/parse-document.ts.
 */
import { readFile } from 'node:fs/promises';
import { problem } from '../model/problem.js';
import { parseGraphText, type LoadResult } from '../model/parse-document.js';

export async function loadGraphFile(path: string): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a graph file' : (error as Error).message;
    return { document: null, problems: [problem('FF_FILE_NOT_FOUND', message)], migrated: [] };
  }
  return parseGraphText(text);
}
