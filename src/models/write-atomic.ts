/** Writes a file under a temporary name and renames it, so readers never see half of it. */
import { rename, writeFile } from 'node:fs/promises';

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = `${path}.framefuse-tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  await writeFile(temp, data);
  await rename(temp, path);
}
