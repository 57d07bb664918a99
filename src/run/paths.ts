/** Default folders for nodes: relative paths resolve against the working folder; models as the model manager finds them. */
import { defaultModelsDir } from '../models/paths.js';
import type { NodePaths } from '../node-api/define-node.js';

export function defaultPaths(): NodePaths {
  return { cwd: process.cwd(), models: defaultModelsDir() };
}
