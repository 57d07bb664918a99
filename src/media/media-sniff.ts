/**
 * A look at a file's first bytes, so that a text file or a still image named `clip.mp4`
 * gets told apart from a damaged video before ffmpeg's guesses muddy the message.
 *
 * Why our own and not file-type: we need four answers (text, still image, video
 * container, unknown), and "text" is the one file-type does not give (it detects binary
 * formats only); the ten signatures below are the whole need, without its three
 * dependencies, and a GIF is left to ffmpeg on purpose (it may be animated).
 */
import { open } from 'node:fs/promises';

export type SniffedKind = 'text' | 'image' | 'video-container' | 'unknown';

const IMAGE_MAGIC: readonly (readonly number[])[] = [
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x42, 0x4d], // BMP
  [0x49, 0x49, 0x2a, 0x00], // TIFF little-endian
  [0x4d, 0x4d, 0x00, 0x2a], // TIFF big-endian
];

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  return magic.every((b, i) => bytes[at + i] === b);
}

function looksLikeText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  let printable = 0;
  for (const b of bytes) {
    if (b === 0) return false;
    if (b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 128) printable++;
  }
  // Valid UTF-8 with no control characters beyond whitespace: a text file.
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, Math.max(0, bytes.length - 4)));
  } catch {
    return false;
  }
  return printable === bytes.length;
}

/** Classifies a file by its first 4 KiB. */
export async function sniffFile(path: string): Promise<SniffedKind> {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const bytes = buffer.subarray(0, bytesRead);
    if (startsWith(bytes, [0x66, 0x74, 0x79, 0x70], 4)) return 'video-container'; // ISO BMFF 'ftyp'
    if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) return 'video-container'; // Matroska / WebM
    if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x41, 0x56, 0x49], 8)) return 'video-container'; // AVI
    if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'image'; // WebP
    // GIFs may be animated: ffmpeg decides (a single-frame one is refused as an image by probe).
    if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'unknown';
    if (bytes[0] === 0x47 && bytes[188] === 0x47) return 'video-container'; // MPEG-TS
    if (startsWith(bytes, [0x00, 0x00, 0x01, 0xba])) return 'video-container'; // MPEG-PS
    for (const magic of IMAGE_MAGIC) if (startsWith(bytes, magic)) return 'image';
    if (looksLikeText(bytes)) return 'text';
    return 'unknown';
  } finally {
    await handle.close();
  }
}
