/**
 * A share link that carries the graph itself: the document's JSON, deflated
 * (CompressionStream) and base64url-encoded in the URL fragment (`#graph=`), which never
 * reaches a server. Opened with the same loader as a file (parseGraphText), so a bad or
 * tampered link gives the loader's problems. Links are refused above SHARE_LIMIT characters:
 * browsers and chat tools cut long URLs; share such a graph as a file.
 */
import { parseGraphText, serializeGraph, type LoadResult } from '../../src/model/parse-document.ts';
import type { GraphDocument } from './types.ts';

export const SHARE_PREFIX = '#graph=';
/** The longest fragment a link may carry. */
export const SHARE_LIMIT = 32_000;

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, limit: number): Promise<Uint8Array> {
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(stream).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new Error(`the graph in the link is larger than ${Math.round(limit / 1024)} KB unpacked`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const toBase64Url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const fromBase64Url = (text: string) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

/** The link, or why there is none (too large). */
export async function shareLink(doc: GraphDocument, base: string): Promise<{ url: string } | { error: string }> {
  const packed = await pipe(new TextEncoder().encode(serializeGraph(doc)), new CompressionStream('deflate-raw'), Number.MAX_SAFE_INTEGER);
  const fragment = `${SHARE_PREFIX}${toBase64Url(packed)}`;
  if (fragment.length > SHARE_LIMIT) return { error: `the graph packs to ${fragment.length} characters, more than a link may carry (${SHARE_LIMIT}): export it as a file instead` };
  return { url: `${base}${fragment}` };
}

/** Reads the graph a link's fragment carries, with the loader's problems when it is not one. */
export async function readShareFragment(fragment: string): Promise<LoadResult> {
  try {
    if (fragment.length > SHARE_LIMIT) throw new Error(`the link is longer than ${SHARE_LIMIT} characters`);
    const bytes = await pipe(fromBase64Url(fragment.slice(SHARE_PREFIX.length)), new DecompressionStream('deflate-raw'), 2_000_000);
    return parseGraphText(new TextDecoder().decode(bytes));
  } catch (error) {
    return { document: null, problems: [{ code: 'FF_SHARE_LINK', severity: 'error', message: `this share link is damaged (${(error as Error).message}): ask for the link again, or for the graph as a file` }], migrated: [] };
  }
}
