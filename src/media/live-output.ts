/**
 * A live output through ffmpeg: raw RGB24 frames in on stdin, published to an RTMP, SRT,
 * RTSP or UDP URL, or written to a v4l2 loopback device (a virtual camera). Writing never
 * waits: when ffmpeg has not taken the previous frame yet, the new one is dropped (and
 * counted), so a slow network never holds the pipeline up.
 */
import { userError } from '../errors.js';
import { FfmpegProcess } from './ffmpeg-process.js';
import { getTools } from './ffmpeg-tools.js';
import { mediaOperationalError } from './media-errors.js';

export type LiveOutputKind = 'rtmp' | 'srt' | 'rtsp' | 'udp' | 'v4l2';

export function liveOutputKind(url: string): LiveOutputKind {
  if (url.startsWith('/dev/video')) return 'v4l2';
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'rtmp' || scheme === 'rtmps') return 'rtmp';
  if (scheme === 'srt' || scheme === 'rtsp' || scheme === 'udp') return scheme;
  throw userError('FF_STREAM_URL', `a Stream cannot publish to "${url}"`, { field: 'url', fix: 'use rtmp://, srt://, rtsp://, udp:// or a v4l2 loopback device (/dev/video10)' });
}

export function liveOutputArgs(url: string, frames: { width: number; height: number; fps: number }, bitrateKbps: number): string[] {
  const kind = liveOutputKind(url);
  const input = ['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-video_size', `${frames.width}x${frames.height}`, '-framerate', String(frames.fps), '-i', 'pipe:0'];
  if (kind === 'v4l2') return ['-hide_banner', '-loglevel', 'error', ...input, '-pix_fmt', 'yuv420p', '-f', 'v4l2', url];
  const h264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p', '-b:v', `${bitrateKbps}k`, '-g', String(Math.max(1, Math.round(frames.fps)))];
  const container = { rtmp: 'flv', srt: 'mpegts', udp: 'mpegts', rtsp: 'rtsp' }[kind];
  return ['-hide_banner', '-loglevel', 'error', ...input, ...h264, '-f', container, url];
}

export class LiveOutput {
  private readonly proc: FfmpegProcess;
  dropped = 0;
  written = 0;

  constructor(
    readonly url: string,
    frames: { width: number; height: number; fps: number },
    bitrateKbps: number,
    private readonly node: string,
  ) {
    this.proc = new FfmpegProcess(getTools().ffmpeg.path, liveOutputArgs(url, frames, bitrateKbps), { stdin: true });
  }

  /** Writes a frame unless ffmpeg is still busy with the last one (then it is dropped). */
  write(data: Uint8Array): void {
    if (this.proc.exit !== null) {
      throw mediaOperationalError('FF_STREAM_FAILED', `publishing to ${this.url} stopped (ffmpeg exited with ${this.proc.exit.code ?? this.proc.exit.signal})`, { node: this.node, field: 'url', stderr: this.proc.stderr() });
    }
    if (this.proc.stdin.writableNeedDrain) {
      this.dropped++;
      return;
    }
    this.proc.stdin.write(data);
    this.written++;
  }

  /** Ends the stream: ffmpeg gets the end of its input and flushes; stopped if it takes too long. */
  async close(graceMs = 2000): Promise<void> {
    if (this.proc.exit !== null) return;
    this.proc.stdin.end();
    const timer = setTimeout(() => void this.proc.stop(500), graceMs);
    try {
      await this.proc.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    await this.proc.stop(500);
  }
}
