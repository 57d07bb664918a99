/**
 * Probing a media file: size, frame rate, frame count, duration, rotation and audio
 * streams, through ffprobe (by way of fluent-ffmpeg) or, without ffprobe, through the
 * banner of `ffmpeg -i`. Every way a file can be unusable becomes a user error with a
 * stable code that names the file: missing, empty, not a video, no video stream, damaged.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import ffmpegCommand from 'fluent-ffmpeg';
import type { FfprobeData, FfprobeStream } from 'fluent-ffmpeg';
import { getTools, type FfmpegTools } from './ffmpeg-tools.js';
import { nonRegularKind } from '../files/file-kind.js';
import { runToCompletion } from './ffmpeg-process.js';
import { mediaUserError, mediaOperationalError } from './media-errors.js';
import { sniffFile, type SniffedKind } from './media-sniff.js';
import {
  clockwiseFromDisplayMatrix,
  parseRational,
  rationalFor,
  type AudioStreamInfo,
  type MediaInfo,
  type VideoStreamInfo,
} from './media-info.js';
import { parseFfmpegBanner, parseFinalFrameCount } from './probe-ffmpeg-banner.js';

export interface ProbeOptions {
  tools?: FfmpegTools;
  /** Node id for error attribution. */
  node?: string;
  /** Parameter that named the file, for error attribution (default `path`). */
  field?: string;
  signal?: AbortSignal;
}

const STILL_IMAGE_CODECS = new Set(['png', 'mjpeg', 'bmp', 'tiff', 'webp', 'jpeg2000', 'gif', 'ppm', 'pgm', 'pam', 'targa', 'jpegls', 'sgi', 'exr']);

/** Probes `path` (resolved against the process cwd when relative). */
export async function probeMedia(path: string, options: ProbeOptions = {}): Promise<MediaInfo> {
  const file = resolve(path);
  const where = { node: options.node, field: options.field ?? 'path' } as const;
  let sizeBytes: number;
  try {
    const info = await stat(file);
    const kind = nonRegularKind(info);
    if (kind === 'a folder') {
      throw mediaUserError('FF_MEDIA_NOT_FOUND', `${file} is a folder, not a video file.`, { ...where, fix: 'Give the path of a video file.' });
    }
    if (kind) {
      // Checked before anything opens it: reading a FIFO would wait forever, /dev/zero never ends.
      throw mediaUserError('FF_MEDIA_NOT_FILE', `${file} is ${kind}, not a video file.`, { ...where, fix: 'Give the path of a video file.' });
    }
    sizeBytes = info.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw mediaUserError('FF_MEDIA_NOT_FOUND', `Input video ${file} does not exist.`, { ...where, fix: 'Check the path (relative paths are resolved against the working folder).' });
    }
    throw error;
  }
  if (sizeBytes === 0) {
    throw mediaUserError('FF_MEDIA_EMPTY', `Input video ${file} is an empty file (0 bytes).`, { ...where, fix: 'The file was probably not fully written or downloaded; give a complete video.' });
  }
  const sniffed = await sniffFile(file);
  if (sniffed === 'text') {
    throw mediaUserError('FF_MEDIA_NOT_VIDEO', `${file} is a text file, not a video.`, { ...where, fix: 'Give a video file (mp4, mov, mkv, webm, ...).' });
  }
  if (sniffed === 'image') {
    throw mediaUserError('FF_MEDIA_NOT_VIDEO', `${file} is a still image, not a video.`, { ...where, fix: 'Give a video file; a still image goes into an Image input.' });
  }
  const tools = options.tools ?? getTools();
  const info = tools.ffprobe
    ? await probeWithFfprobe(file, tools.ffprobe.path, sniffed, where)
    : await probeWithFfmpeg(file, tools.ffmpeg.path, sniffed, where, options.signal);
  info.sizeBytes = sizeBytes;
  if (info.video === null) {
    if (info.audio.length > 0) {
      throw mediaUserError('FF_MEDIA_NO_VIDEO_STREAM', `${file} has no video stream: it holds only audio (${info.audio.map((a) => a.codec).join(', ')}).`, { ...where, fix: 'Give a file with a video track.' });
    }
    throw mediaUserError('FF_MEDIA_NOT_VIDEO', `${file} has no video stream (container ${info.format}).`, { ...where, fix: 'Give a video file.' });
  }
  const video = info.video;
  if (video.codec === 'ansi' || info.format === 'tty') {
    throw mediaUserError('FF_MEDIA_NOT_VIDEO', `${file} is a text file, not a video.`, { ...where, fix: 'Give a video file (mp4, mov, mkv, webm, ...).' });
  }
  const isImageContainer = info.format === 'image2' || info.format.endsWith('_pipe');
  if ((isImageContainer || STILL_IMAGE_CODECS.has(video.codec)) && (video.frameCount ?? 1) <= 1) {
    throw mediaUserError('FF_MEDIA_NOT_VIDEO', `${file} is a still image (${video.codec}), not a video.`, { ...where, fix: 'Give a video file; a still image goes into an Image input.' });
  }
  if (video.width <= 0 || video.height <= 0 || !Number.isFinite(video.fps) || video.fps <= 0) {
    throw mediaUserError('FF_MEDIA_CORRUPT', `${file}: the video stream has no usable size or frame rate (${video.width}x${video.height}, ${video.fps} fps); the file is damaged. Decoding failed at frame 0.`, { ...where });
  }
  return info;
}

type Where = { node: string | undefined; field: string };

function openFailure(file: string, sniffed: SniffedKind, stderr: readonly string[], where: Where): Error {
  const text = stderr.join('\n');
  if (sniffed === 'video-container' || /moov atom not found|EBML header parsing failed|truncat/i.test(text) && sniffed !== 'unknown') {
    return mediaUserError('FF_MEDIA_CORRUPT', `${file} looks like a video but cannot be opened: it is truncated or damaged. Decoding failed at frame 0.`, {
      ...where,
      stderr,
      fix: 'Re-download or re-export the file; a recording cut off before it finished has no index (moov atom) and cannot be read.',
    });
  }
  return mediaUserError('FF_MEDIA_NOT_VIDEO', `${file} is not a video file ffmpeg can read.`, { ...where, stderr, fix: 'Give a video file (mp4, mov, mkv, webm, ...).' });
}

function num(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : null;
}

function ffprobe(file: string, ffprobePath: string): Promise<FfprobeData> {
  return new Promise((resolvePromise, reject) => {
    // fluent-ffmpeg keeps the ffprobe path in module state; setting it right before the
    // call is safe because the call reads it synchronously.
    ffmpegCommand.setFfprobePath(ffprobePath);
    ffmpegCommand.ffprobe(file, (error: unknown, data: FfprobeData) => (error ? reject(error) : resolvePromise(data)));
  });
}

async function probeWithFfprobe(file: string, ffprobePath: string, sniffed: SniffedKind, where: Where): Promise<MediaInfo> {
  let data: FfprobeData;
  try {
    data = await ffprobe(file, ffprobePath);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/spawn|ENOENT|EACCES/.test(message) && !/exited with code/.test(message)) {
      throw mediaOperationalError('FF_FFMPEG_NOT_FOUND', `ffprobe at ${ffprobePath} could not be started: ${message}`, { fix: 'Set FFPROBE_PATH to a working ffprobe, or FFPROBE_PATH=none to probe with ffmpeg.' });
    }
    throw openFailure(file, sniffed, message.split('\n').slice(1), where);
  }
  const streams = data.streams ?? [];
  const videoStream = streams.find((s) => s.codec_type === 'video' && !(s.disposition?.attached_pic === 1));
  const audio: AudioStreamInfo[] = streams
    .filter((s) => s.codec_type === 'audio')
    .map((s) => ({
      index: s.index,
      codec: s.codec_name ?? 'unknown',
      channels: num(s.channels),
      sampleRate: num(s.sample_rate),
      duration: num(s.duration),
    }));
  const format = String(data.format?.format_name ?? 'unknown');
  const duration = num(data.format?.duration);
  const info: MediaInfo = {
    path: file,
    format,
    duration,
    startTime: num(data.format?.start_time) ?? 0,
    sizeBytes: 0,
    video: null,
    audio,
    probedWith: 'ffprobe',
  };
  if (videoStream) {
    info.video = videoFromFfprobe(videoStream, duration, info.startTime);
    if (info.video.frameCount === null && !/_pipe$|^image2$/.test(format)) {
      const counted = await countPackets(ffprobePath, file, videoStream.index);
      if (counted !== null) {
        info.video.frameCount = counted;
        info.video.frameCountExact = true;
      }
    }
  }
  return info;
}

function videoFromFfprobe(s: FfprobeStream, formatDuration: number | null, formatStart: number): VideoStreamInfo {
  const avg = parseRational(s.avg_frame_rate);
  const nominal = parseRational(s.r_frame_rate);
  const useAvg = Number.isFinite(avg) && avg > 0;
  const fps = useAvg ? avg : nominal;
  const extra = s as FfprobeStream & { rotation?: unknown; tags?: Record<string, unknown> };
  let rotation: 0 | 90 | 180 | 270 = 0;
  const matrix = num(extra.rotation);
  if (matrix !== null) rotation = clockwiseFromDisplayMatrix(matrix);
  else if (num(extra.tags?.rotate) !== null) rotation = clockwiseFromDisplayMatrix(-(num(extra.tags?.rotate) ?? 0));
  const codedWidth = num(s.width) ?? 0;
  const codedHeight = num(s.height) ?? 0;
  const swap = rotation === 90 || rotation === 270;
  const frames = num(s.nb_frames);
  const duration = num(s.duration) ?? formatDuration;
  return {
    index: s.index,
    codec: s.codec_name ?? 'unknown',
    width: swap ? codedHeight : codedWidth,
    height: swap ? codedWidth : codedHeight,
    codedWidth,
    codedHeight,
    rotation,
    fps,
    fpsRational: useAvg ? String(s.avg_frame_rate) : s.r_frame_rate ? String(s.r_frame_rate) : rationalFor(fps),
    variableFrameRate: Number.isFinite(avg) && Number.isFinite(nominal) && avg > 0 && Math.abs(avg - nominal) > 0.01 * nominal,
    frameCount: frames !== null && frames > 0 ? frames : null,
    frameCountExact: frames !== null && frames > 0,
    duration,
    startTime: num(s.start_time) ?? formatStart,
    pixelFormat: s.pix_fmt ?? null,
    colorSpace: typeof s.color_space === 'string' && s.color_space !== 'unknown' ? s.color_space : null,
  };
}

async function countPackets(ffprobePath: string, file: string, index: number): Promise<number | null> {
  const result = await runToCompletion(ffprobePath, [
    '-v', 'error', '-count_packets', '-select_streams', String(index),
    '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', file,
  ]);
  const n = Number(result.stdout.trim().split(/\s+/)[0]);
  return result.exit.code === 0 && Number.isInteger(n) && n > 0 ? n : null;
}

async function probeWithFfmpeg(file: string, ffmpegPath: string, sniffed: SniffedKind, where: Where, signal?: AbortSignal): Promise<MediaInfo> {
  // `-c copy -f null` demuxes every packet without decoding: the final report gives an
  // exact packet count, which ffmpeg's banner alone does not.
  const result = await runToCompletion(
    ffmpegPath,
    ['-hide_banner', '-nostdin', '-nostats', '-i', file, '-map', '0:v:0?', '-c', 'copy', '-f', 'null', '-'],
    signal ? { signal } : {},
  );
  if (result.startError) {
    throw mediaOperationalError('FF_FFMPEG_NOT_FOUND', `ffmpeg at ${ffmpegPath} could not be started: ${result.startError.message}`, { fix: 'Set FFMPEG_PATH to a working ffmpeg.' });
  }
  const stderr = result.stderr.join('\n');
  const banner = parseFfmpegBanner(stderr);
  if (banner.format === null) throw openFailure(file, sniffed, result.stderr, where);
  const video = banner.video[0] ?? null;
  if (video) {
    const counted = result.exit.code === 0 ? parseFinalFrameCount(stderr) : null;
    if (counted !== null && counted > 0) {
      video.frameCount = counted;
      video.frameCountExact = true;
    } else if (video.duration !== null) {
      video.frameCount = Math.round(video.duration * video.fps);
    }
  }
  return {
    path: file,
    format: banner.format,
    duration: banner.duration,
    startTime: banner.startTime,
    sizeBytes: 0,
    video,
    audio: banner.audio,
    probedWith: 'ffmpeg',
  };
}

export interface AudioSourceInfo {
  /** Codec of the audio stream (decides whether it can be stream-copied). */
  codec: string;
  /**
   * Where the file's first video frame sits on the file's clock (0 for audio-only files).
   * An AudioRef that starts there covers the audio from the file's start: it may be copied
   * whole, with the video offset by this much, exactly as in the source.
   */
  videoOffset: number;
}

/** What the Encoder needs to know about the audio it muxes back; null when the stream is not there. */
export async function probeAudioSource(file: string, streamIndex: number, tools: FfmpegTools = getTools()): Promise<AudioSourceInfo | null> {
  if (tools.ffprobe) {
    const result = await runToCompletion(tools.ffprobe.path, ['-v', 'error', '-show_entries', 'stream=index,codec_type,codec_name,start_time:stream_disposition=attached_pic:format=start_time', '-of', 'json', file]);
    if (result.exit.code !== 0) return null;
    const data = JSON.parse(result.stdout) as {
      streams?: { index: number; codec_type?: string; codec_name?: string; start_time?: string; disposition?: { attached_pic?: number } }[];
      format?: { start_time?: string };
    };
    const streams = data.streams ?? [];
    const audio = streams.find((s) => s.index === streamIndex && s.codec_type === 'audio');
    if (!audio?.codec_name) return null;
    const video = streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
    const start = num(data.format?.start_time) ?? 0;
    const videoStart = video ? num(video.start_time) : null;
    return { codec: audio.codec_name, videoOffset: videoStart === null ? 0 : Math.max(0, videoStart - start) };
  }
  const result = await runToCompletion(tools.ffmpeg.path, ['-hide_banner', '-nostdin', '-i', file]);
  const banner = parseFfmpegBanner(result.stderr.join('\n'));
  const audio = banner.audio.find((s) => s.index === streamIndex);
  // The banner gives no per-stream start times: the video is taken to start with the file.
  return audio ? { codec: audio.codec, videoOffset: 0 } : null;
}
