/**
 * The graph inside an output: the Encoder writes the run's graph document as the file's
 * `framefuse_graph` metadata tag (mp4/mov with `-movflags +use_metadata_tags`, mkv/webm as a
 * plain tag), and `readEmbeddedGraph` reads it back through ffmpeg's ffmetadata output (so
 * it needs no ffprobe). ComfyUI's habit: an output opens the graph that made it.
 */
import { spawn } from 'node:child_process';
import { getTools } from './ffmpeg-tools.js';

export const GRAPH_TAG = 'framefuse_graph';

/**
 * Largest graph embedded: ffmpeg takes the tag on its command line, and Linux limits one
 * argument to 128 KiB. A larger graph is left out with a warning (the run still writes).
 */
export const MAX_EMBEDDED_GRAPH_BYTES = 120 * 1024;

/** The value to embed, or null (nothing to embed, or too large: said once in the log). */
export function graphTagValue(json: string | undefined, log?: { warn(message: string): void }): string | null {
  if (!json) return null;
  if (Buffer.byteLength(json) > MAX_EMBEDDED_GRAPH_BYTES) {
    log?.warn(`The graph (${Math.round(Buffer.byteLength(json) / 1024)} KiB as JSON) is larger than ${MAX_EMBEDDED_GRAPH_BYTES / 1024} KiB, so it is not embedded in the output.`);
    return null;
  }
  return json;
}

/** The tags of a media file's container, read with `ffmpeg -f ffmetadata` (keys lower-cased). */
export async function readFormatTags(path: string, signal?: AbortSignal): Promise<Map<string, string>> {
  const ffmpeg = getTools().ffmpeg.path;
  const text = await new Promise<string>((resolve, reject) => {
    const child = spawn(ffmpeg, ['-hide_banner', '-nostdin', '-v', 'error', '-i', path, '-f', 'ffmetadata', '-'], { stdio: ['ignore', 'pipe', 'pipe'], ...(signal ? { signal } : {}) });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(Buffer.concat(out).toString('utf8')) : reject(new Error(err.trim() || `ffmpeg exited with ${code}`))));
  });
  return parseFfmetadata(text);
}

/** ffmetadata: `key=value` lines before the first [SECTION], with `=;#\` and newlines escaped by a backslash. */
export function parseFfmetadata(text: string): Map<string, string> {
  const tags = new Map<string, string>();
  // Logical lines: a backslash before a newline continues the value.
  const lines: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      current += c + text[++i]!;
    } else if (c === '\n') {
      lines.push(current);
      current = '';
    } else current += c;
  }
  if (current) lines.push(current);
  for (const line of lines) {
    if (line.startsWith('[')) break; // stream and chapter sections: not the container's tags
    if (line.startsWith(';') || line.startsWith('#') || line === '') continue;
    const eq = unescapedIndex(line, '=');
    if (eq < 0) continue;
    tags.set(unescape(line.slice(0, eq)).toLowerCase(), unescape(line.slice(eq + 1)));
  }
  return tags;
}

function unescapedIndex(line: string, char: string): number {
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === char) return i;
  }
  return -1;
}

const unescape = (text: string) => text.replace(/\\(.)/gs, '$1');

/** The graph JSON embedded in a media file, or null when it has none. */
export async function readEmbeddedGraph(path: string, signal?: AbortSignal): Promise<string | null> {
  return (await readFormatTags(path, signal)).get(GRAPH_TAG) ?? null;
}
