/**
 * What every built-in converter shares: a prepared model `<models>/<file>` is kept while
 * its stamp (`<models>/cache/<file>.source.json`: converter version, source package,
 * version and hashes) still matches, and rewritten otherwise; both files are written under
 * a temporary name and renamed, so a failure never leaves a half-written model. Concurrent
 * callers asking for the same model share one conversion.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { cacheDir } from './paths.js';
import { writeFileAtomic } from './write-atomic.js';

export interface PreparedModel {
  path: string;
  /** Whether it was (re)written now. */
  written: boolean;
  /** Conversion time in ms (0 when reused). */
  convertMs: number;
}

function stampPath(modelsDir: string, file: string): string {
  return join(cacheDir(modelsDir), `${file}.source.json`);
}

/**
 * Returns the prepared `file` when its stamp equals `stamp` (and `force` is off), else
 * runs `convert` and writes its bytes and the stamp.
 */
export async function prepareWithStamp(
  modelsDir: string,
  file: string,
  stamp: object,
  force: boolean,
  convert: () => Promise<Uint8Array>,
): Promise<PreparedModel> {
  const path = join(modelsDir, file);
  const wanted = `${JSON.stringify(stamp, null, 2)}\n`;
  // A missing or unreadable stamp counts as stale: the model is converted again.
  const current = await readFile(stampPath(modelsDir, file), 'utf8').then((text) => JSON.stringify(JSON.parse(text)), () => null);
  if (!force && existsSync(path) && current === JSON.stringify(stamp)) {
    return { path, written: false, convertMs: 0 };
  }
  const started = performance.now();
  const bytes = await convert();
  const convertMs = performance.now() - started;
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, bytes);
  await mkdir(cacheDir(modelsDir), { recursive: true });
  await writeFileAtomic(stampPath(modelsDir, file), wanted);
  return { path, written: true, convertMs };
}

const inFlight = new Map<string, Promise<string>>();

/** `prepare()` once per key at a time: concurrent callers get the same promise. */
export function sharedPreparation(key: string, prepare: () => Promise<string>): Promise<string> {
  let pending = inFlight.get(key);
  if (!pending) {
    pending = prepare();
    inFlight.set(key, pending);
    const forget = () => inFlight.delete(key);
    pending.then(forget, forget);
  }
  return pending;
}
