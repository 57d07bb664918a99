/**
 * An upload is what its name says only if it decodes as that: a video must probe as one
 * (a video stream ffmpeg reads), an image must decode. Random bytes, an ELF binary or a
 * text file named `.mp4` are refused, with a message about the file the client sent and
 * nothing about where the server keeps it.
 */
import { isFramefuseError } from '../src/errors.js';
import { loadImage } from '../src/media/load-image.js';
import { sniffFile } from '../src/media/media-sniff.js';
import { probeMedia } from '../src/media/probe.js';
import { ApiError } from './api-error.js';
import type { UploadKind } from './upload-types.js';

const VIDEO_REASONS: Record<string, string> = {
  FF_MEDIA_NOT_VIDEO: 'ffmpeg cannot read it as a video',
  FF_MEDIA_CORRUPT: 'it looks like a video but is damaged or cut short',
  FF_MEDIA_NO_VIDEO_STREAM: 'it holds only audio',
  FF_MEDIA_EMPTY: 'it is empty',
};

function refuse(name: string, what: string, why: string): ApiError {
  return new ApiError(415, 'FF_UNSUPPORTED_TYPE', `"${name}" is not ${what}: ${why}`);
}

/** Throws 415 FF_UNSUPPORTED_TYPE unless the file at `path` (named `name` by the client) is a readable `kind`. */
export async function checkUploadContent(path: string, kind: UploadKind, name: string, signal?: AbortSignal): Promise<void> {
  const sniffed = await sniffFile(path);
  if (kind === 'video') {
    if (sniffed === 'text' || sniffed === 'image') throw refuse(name, 'a video', `its content is ${sniffed === 'text' ? 'text' : 'a still image'}`);
    try {
      await probeMedia(path, { ...(signal ? { signal } : {}) });
    } catch (error) {
      if (!isFramefuseError(error) || error.kind !== 'user') throw error;
      throw refuse(name, 'a video', VIDEO_REASONS[error.code] ?? 'ffmpeg cannot read it as a video');
    }
    return;
  }
  if (sniffed !== 'image') throw refuse(name, 'an image', `its content is ${sniffed === 'video-container' ? 'a video' : sniffed === 'text' ? 'text' : 'not an image format'}`);
  try {
    await loadImage(path, { ...(signal ? { signal } : {}) });
  } catch (error) {
    if (!isFramefuseError(error) || error.kind !== 'user') throw error;
    throw refuse(name, 'an image', 'it does not decode (damaged or cut short)');
  }
}
