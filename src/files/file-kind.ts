/**
 * What a path names when it is not a regular file, in words a user recognises: `/dev/zero`
 * is a character device and a FIFO a named pipe, not "an empty file", and neither can be
 * read as a video or written as an output.
 */
import type { Stats } from 'node:fs';

/** 'a folder', 'a character device', ...; null for a regular file. */
export function nonRegularKind(stats: Stats): string | null {
  if (stats.isFile()) return null;
  if (stats.isDirectory()) return 'a folder';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}
