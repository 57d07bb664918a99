/** Graph files are named by the client; a name is a plain file name ending in .json, inside the graphs folder. */
import { z } from 'zod';
import { ApiError } from './api-error.js';
import { describeZodIssue } from '../src/model/zod-issue.js';
import { resolveInside } from '../src/files/confined-path.js';

export const zGraphFileName = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.()-]*$/, 'may use letters, digits, spaces and _ . ( ) - only, and must start with a letter or digit');

/** `anonymize` or `anonymize.json` -> `anonymize.json`, inside `dir`. */
export function graphFile(dir: string, name: string): { name: string; path: string } {
  const parsed = zGraphFileName.safeParse(name);
  if (!parsed.success) throw new ApiError(400, 'FF_BAD_NAME', `bad graph name "${name}": it ${parsed.error.issues[0] ? describeZodIssue(parsed.error.issues[0]) : 'is not valid'}`);
  const file = name.endsWith('.json') ? name : `${name}.json`;
  if (file === 'graph.schema.json') throw new ApiError(400, 'FF_BAD_NAME', 'graph.schema.json is the JSON Schema of graphs, not a graph');
  return { name: file, path: resolveInside(dir, file) };
}
