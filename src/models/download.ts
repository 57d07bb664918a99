/**
 * HTTP download into `<dest>.part` with resume: a dropped connection continues with a
 * Range request from the bytes already on disk, and a later run resumes a .part left by
 * an interrupted one.
 */
import { createWriteStream } from 'node:fs';
import { rm, stat, truncate } from 'node:fs/promises';
import { operationalError } from '../errors.js';

export interface DownloadProgress {
  url: string;
  received: number;
  /** Total size when the server says it. */
  total: number | null;
}

export interface DownloadOptions {
  onProgress?: (progress: DownloadProgress) => void;
  /** Hears about retries and restarts. */
  onMessage?: (message: string) => void;
  signal?: AbortSignal;
  /** Attempts after a dropped connection. Default 5. */
  retries?: number;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** Downloads `url` into `part` (resuming what is there). Returns the final size. */
export async function downloadToPart(url: string, part: string, options: DownloadOptions = {}): Promise<number> {
  const retries = options.retries ?? 5;
  let lastError: unknown;
  for (let attempt = 0; attempt <= retries; attempt++) {
    const have = await sizeOf(part);
    try {
      const done = await fetchOnce(url, part, have, options);
      if (done !== undefined) return done;
    } catch (error) {
      if (options.signal?.aborted) throw error;
      if ((error as { code?: string }).code === 'FF_DOWNLOAD_FAILED') throw error;
      lastError = error;
      const now = await sizeOf(part);
      options.onMessage?.(`connection to ${url} dropped at ${now} bytes (${(error as Error).message}); resuming`);
    }
  }
  throw operationalError('FF_DOWNLOAD_FAILED', `downloading ${url} failed after ${retries + 1} attempts: ${(lastError as Error)?.message ?? 'unknown error'}`, {
    fix: 'check the network and run the same command again: the partial download is kept and resumed',
    cause: lastError,
  });
}

async function fetchOnce(url: string, part: string, have: number, options: DownloadOptions): Promise<number | undefined> {
  const headers: Record<string, string> = have > 0 ? { range: `bytes=${have}-` } : {};
  const init: RequestInit = { headers, redirect: 'follow' };
  if (options.signal) init.signal = options.signal;
  const response = await fetch(url, init);
  if (response.status === 416 && have > 0) {
    // Range not satisfiable: the .part is already whole (or longer than the file: start over).
    const total = Number(/\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1] ?? NaN);
    if (total === have) return have;
    await rm(part, { force: true });
    return undefined;
  }
  if (!response.ok || !response.body) {
    throw operationalError('FF_DOWNLOAD_FAILED', `${url} answered HTTP ${response.status} ${response.statusText}`, {
      fix: 'the address may have moved; check models/manifest.json',
    });
  }
  let start = 0;
  if (response.status === 206) {
    start = have;
  } else if (have > 0) {
    options.onMessage?.(`${url} does not resume downloads; starting again`);
    await truncate(part, 0);
  }
  const length = Number(response.headers.get('content-length') ?? NaN);
  const total = Number.isFinite(length) ? start + length : null;
  let received = start;
  const out = createWriteStream(part, { flags: start > 0 ? 'a' : 'w' });
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      received += chunk.length;
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
      options.onProgress?.({ url, received, total });
    }
  } finally {
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
  if (total !== null && received < total) throw new Error(`the connection closed after ${received} of ${total} bytes`);
  return received;
}
