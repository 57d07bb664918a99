/** Default folders: relative paths resolve against the working folder; models live in the project's models/. */
import { fileURLToPath } from 'node:url';
import type { NodePaths } from '../nodes/define-node.js';

/** The repository's models/ folder (dist/src/run -> ../../../models). */
export const PROJECT_MODELS_DIR = fileURLToPath(new URL('../../../models/', import.meta.url));

export function defaultPaths(): NodePaths {
  return { cwd: process.cwd(), models: process.env.FRAMEFUSE_MODELS_DIR ?? PROJECT_MODELS_DIR };
}
