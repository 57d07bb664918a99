/** The folders a server reads and writes: graphs, uploads and outputs, inside one data root. */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultPaths } from '../src/run/paths.js';

export interface DataFolders {
  /** Relative paths in graphs (a Decoder's path) resolve against it; runs use it as cwd. */
  root: string;
  graphs: string;
  uploads: string;
  outputs: string;
  models: string;
}

export interface DataFolderOptions {
  root: string;
  graphs?: string;
  models?: string;
}

export function dataFolders(options: DataFolderOptions): DataFolders {
  const root = resolve(options.root);
  const folders: DataFolders = {
    root,
    graphs: resolve(root, options.graphs ?? 'graphs'),
    uploads: resolve(root, 'uploads'),
    outputs: resolve(root, 'outputs'),
    // Models are shared by every data root: the project's models/ unless told otherwise.
    models: options.models ? resolve(root, options.models) : defaultPaths().models,
  };
  for (const dir of [folders.graphs, folders.uploads, folders.outputs]) mkdirSync(dir, { recursive: true });
  return folders;
}
