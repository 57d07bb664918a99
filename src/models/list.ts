/** `framefuse models list`: which manifest models are here, their size and license. */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest } from './manifest.js';

export interface ModelListing {
  id: string;
  task: string;
  file: string;
  present: boolean;
  /** Bytes on disk when present, else the manifest's size (null when unknown). */
  size: number | null;
  license: string;
  /** How a missing model is obtained: downloaded, or converted from an npm package. */
  origin: 'download' | 'prepare';
}

export async function listModels(manifest: Manifest, modelsDir: string): Promise<ModelListing[]> {
  return Promise.all(
    manifest.models.map(async (m) => {
      const size = await stat(join(modelsDir, m.file)).then((s) => s.size, () => null);
      return { id: m.id, task: m.task, file: m.file, present: size !== null, size: size ?? m.size, license: m.license, origin: m.preparedFrom ? 'prepare' : 'download' };
    }),
  );
}
