/**
 * A live input for ffmpeg: what kind a Camera URL is (a v4l2 device, an RTSP/RTMP/SRT/UDP
 * stream, or a file played at its native rate) and the arguments that read it as raw RGB24
 * frames of one fixed size, with as little buffering as ffmpeg allows.
 */
import { resolve } from 'node:path';
import { userError } from '../errors.js';

export type LiveInputKind = 'v4l2' | 'rtsp' | 'rtmp' | 'srt' | 'udp' | 'file';

/** The kind of a Camera URL: by its scheme, a /dev/video path, else a file path. */
export function liveInputKind(url: string): LiveInputKind {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return url.startsWith('/dev/video') ? 'v4l2' : 'file';
  if (scheme === 'file') return 'file';
  if (scheme === 'rtsp' || scheme === 'rtsps') return 'rtsp';
  if (scheme === 'rtmp' || scheme === 'rtmps') return 'rtmp';
  if (scheme === 'srt' || scheme === 'udp') return scheme;
  throw userError('FF_CAMERA_URL_SCHEME', `a Camera cannot read "${scheme}://" URLs`, {
    field: 'url',
    fix: 'use a device path (/dev/video0), rtsp://, rtmp://, srt://, udp://, or a video file path',
  });
}

export interface LiveInputOptions {
  url: string;
  width: number;
  height: number;
  /** Frame rate asked of a device; streams and files keep their own. */
  fps: number;
  /** Files: start again at the end, for ever (demos, benchmarks). */
  loop: boolean;
  /** Files: a relative path resolves against this folder (the run's working folder). */
  cwd: string;
}

/** ffmpeg arguments that read the input and write raw RGB24 frames of width x height to stdout. */
export function liveInputArgs(o: LiveInputOptions): string[] {
  const kind = liveInputKind(o.url);
  const lowDelay = ['-fflags', 'nobuffer', '-flags', 'low_delay'];
  const input: string[] = (() => {
    switch (kind) {
      case 'v4l2':
        return ['-f', 'v4l2', '-framerate', String(o.fps), '-video_size', `${o.width}x${o.height}`, '-i', o.url];
      case 'rtsp':
        return [...lowDelay, '-rtsp_transport', 'tcp', '-i', o.url];
      case 'file':
        // -re: read at the file's own rate, as a camera would deliver it.
        return ['-re', ...(o.loop ? ['-stream_loop', '-1'] : []), '-i', resolve(o.cwd, o.url.replace(/^file:\/\//i, ''))];
      default:
        return [...lowDelay, '-i', o.url];
    }
  })();
  const fit = `scale=${o.width}:${o.height}:force_original_aspect_ratio=decrease,pad=${o.width}:${o.height}:(ow-iw)/2:(oh-ih)/2`;
  return ['-hide_banner', '-loglevel', 'error', '-nostdin', ...input, '-an', '-sn', '-vf', fit, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'];
}


export { cameraSourceKind } from '../model/camera-source.js';
