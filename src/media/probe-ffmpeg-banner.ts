/**
 * Probing without ffprobe: parses the stream summary that `ffmpeg -i FILE` prints to
 * stderr. Coarser than ffprobe (rates are rounded, no frame count), but enough to decode.
 */
import { clockwiseFromDisplayMatrix, rationalFor, type AudioStreamInfo, type VideoStreamInfo } from './media-info.js';

export interface BannerInfo {
  format: string | null;
  duration: number | null;
  startTime: number;
  video: VideoStreamInfo[];
  /** Video streams that are attached pictures (cover art), not video. */
  attachedPictures: number;
  audio: AudioStreamInfo[];
}

function parseClock(text: string): number | null {
  const m = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

function channelCount(layout: string): number | null {
  const named: Record<string, number> = { mono: 1, stereo: 2, '2.1': 3, quad: 4, '4.0': 4, '5.0': 5, '5.1': 6, '6.1': 7, '7.1': 8 };
  const base = layout.replace(/\(.*\)$/, '');
  if (named[base] !== undefined) return named[base];
  const m = /^(\d+) channels/.exec(layout);
  return m ? Number(m[1]) : null;
}

/** Parses the banner of `ffmpeg -hide_banner -i FILE` (stderr). */
export function parseFfmpegBanner(stderr: string): BannerInfo {
  const lines = stderr.split(/\r?\n/);
  const info: BannerInfo = { format: null, duration: null, startTime: 0, video: [], attachedPictures: 0, audio: [] };
  let current: VideoStreamInfo | null = null;
  for (const line of lines) {
    // Everything after the input section describes outputs, not the file.
    if (/^(Output #|Stream mapping:)/.test(line)) break;
    const input = /^Input #0, (.+), from '/.exec(line);
    if (input) info.format = input[1] ?? null;
    const duration = /^\s+Duration: ([^,]+), (?:start: (-?[\d.]+), )?/.exec(line);
    if (duration) {
      info.duration = parseClock(duration[1] ?? '');
      info.startTime = duration[2] === undefined ? 0 : Number(duration[2]);
      continue;
    }
    const stream = /^\s+Stream #0:(\d+)(?:\[0x[0-9a-f]+\])?(?:\([^)]*\))?: (Video|Audio|Subtitle|Data|Attachment): (.*)$/.exec(line);
    if (stream) {
      current = null;
      const index = Number(stream[1]);
      const body = stream[3] ?? '';
      const codec = /^([\w-]+)/.exec(body)?.[1] ?? 'unknown';
      if (stream[2] === 'Video') {
        if (body.includes('(attached pic)')) {
          info.attachedPictures++;
          continue;
        }
        const size = /(?:^|[ ,])([1-9]\d*)x([1-9]\d*)(?=[ ,]|$)/.exec(body);
        const fpsText = /, ([\d.]+k?) fps/.exec(body)?.[1];
        const tbrText = /, ([\d.]+k?) tbr/.exec(body)?.[1];
        const toNumber = (t: string | undefined) => (t === undefined ? NaN : t.endsWith('k') ? Number(t.slice(0, -1)) * 1000 : Number(t));
        const fps = Number.isFinite(toNumber(fpsText)) ? toNumber(fpsText) : toNumber(tbrText);
        const tbr = toNumber(tbrText);
        const pixelFormat = /^[\w-]+(?: \([^)]*\))*(?: \([^)]*\))?, ([a-z0-9_]+)/.exec(body)?.[1] ?? null;
        const colorSpace = /\((?:tv|pc), (\w+)/.exec(body)?.[1] ?? null;
        const width = size ? Number(size[1]) : 0;
        const height = size ? Number(size[2]) : 0;
        current = {
          index,
          codec,
          width,
          height,
          codedWidth: width,
          codedHeight: height,
          rotation: 0,
          fps,
          fpsRational: rationalFor(fps),
          variableFrameRate: Number.isFinite(tbr) && Number.isFinite(fps) && Math.abs(tbr - fps) > 0.01,
          frameCount: null,
          frameCountExact: false,
          duration: info.duration,
          startTime: info.startTime,
          pixelFormat,
          colorSpace: colorSpace === 'progressive' ? null : colorSpace,
        };
        info.video.push(current);
      } else if (stream[2] === 'Audio') {
        const rate = /, (\d+) Hz/.exec(body);
        const layout = /, \d+ Hz, ([^,]+)/.exec(body)?.[1];
        info.audio.push({
          index,
          codec,
          channels: layout === undefined ? null : channelCount(layout.trim()),
          sampleRate: rate ? Number(rate[1]) : null,
          duration: info.duration,
        });
      }
      continue;
    }
    const matrix = /displaymatrix: rotation of (-?[\d.]+) degrees/.exec(line);
    if (matrix && current) setRotation(current, clockwiseFromDisplayMatrix(Number(matrix[1])));
  }
  return info;
}

function setRotation(video: VideoStreamInfo, rotation: 0 | 90 | 180 | 270): void {
  video.rotation = rotation;
  const swap = rotation === 90 || rotation === 270;
  video.width = swap ? video.codedHeight : video.codedWidth;
  video.height = swap ? video.codedWidth : video.codedHeight;
}

/** The frame count in the final `frame=  N` report of an ffmpeg run. */
export function parseFinalFrameCount(stderr: string): number | null {
  const all = [...stderr.matchAll(/frame=\s*(\d+)/g)];
  const last = all.at(-1);
  return last ? Number(last[1]) : null;
}

