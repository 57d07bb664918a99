/**
 * MediaPipe's web solutions pack their models into one .data file; the loader script
 * beside it (Emscripten's file packager output) lists each packed file as
 * {"filename": ..., "start": ..., "end": ...}. We read that list rather than hard-coding
 * offsets, so a repacked package still resolves (and its hash check still applies).
 */
import { operationalError } from '../../errors.js';

export interface PackedEntry {
  filename: string;
  start: number;
  end: number;
}

/** The packed files listed by a loader script's text. */
export function parsePackedAssetList(loaderText: string): PackedEntry[] {
  const entries: PackedEntry[] = [];
  const pattern = /"filename"\s*:\s*"([^"]+)"\s*,\s*"start"\s*:\s*(\d+)\s*,\s*"end"\s*:\s*(\d+)/g;
  for (const m of loaderText.matchAll(pattern)) entries.push({ filename: m[1] ?? '', start: Number(m[2]), end: Number(m[3]) });
  return entries;
}

/**
 * The bytes of one packed file.
 * @throws FF_MODEL_SOURCE_CHANGED when the loader does not list it or its range lies outside the data.
 */
export function extractPackedFile(data: Uint8Array, loaderText: string, entry: string, names: { data: string; loader: string }): Uint8Array {
  const listed = parsePackedAssetList(loaderText);
  const found = listed.find((e) => e.filename === entry);
  if (!found) {
    throw operationalError('FF_MODEL_SOURCE_CHANGED', `${names.loader} does not list ${entry} (it lists ${listed.length} files: ${listed.map((e) => e.filename.split('/').pop()).join(', ') || 'none'})`, {
      fix: 'reinstall the package (npm ci); if its version changed, framefuse needs an update for it',
    });
  }
  if (found.start < 0 || found.end > data.byteLength || found.end <= found.start) {
    throw operationalError('FF_MODEL_SOURCE_CHANGED', `${names.data} is ${data.byteLength} bytes, but ${names.loader} places ${entry} at bytes ${found.start}..${found.end}`, {
      fix: 'reinstall the package (npm ci): the data file looks cut short or replaced',
    });
  }
  return data.subarray(found.start, found.end);
}
