/**
 * What the Encoder can write: codecs, the ffmpeg encoders behind them (hardware first,
 * software last), containers and the codecs each accepts, and the one 0..100 quality
 * scale mapped onto each encoder's own knob (crf, cq, global_quality, qp, profile).
 */
import { mediaUserError } from './media-errors.js';

export const CODECS = ['auto', 'h264', 'hevc', 'vp9', 'prores'] as const;
export type CodecChoice = (typeof CODECS)[number];
export type Codec = Exclude<CodecChoice, 'auto'>;

export const PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'] as const;
export type Preset = (typeof PRESETS)[number];

export const PIXEL_FORMATS = ['auto', 'yuv420p', 'yuv422p', 'yuv444p', 'yuv420p10le', 'yuv422p10le', 'yuv444p10le', 'rgb24'] as const;
export type PixelFormatChoice = (typeof PIXEL_FORMATS)[number];

export const SOFTWARE_ENCODER: Record<Codec, string> = {
  h264: 'libx264',
  hevc: 'libx265',
  vp9: 'libvpx-vp9',
  prores: 'prores_ks',
};

/** Hardware encoders in the order they are tried. */
export const HARDWARE_ENCODERS: Record<Codec, readonly string[]> = {
  h264: ['h264_nvenc', 'h264_qsv', 'h264_vaapi'],
  hevc: ['hevc_nvenc', 'hevc_qsv', 'hevc_vaapi'],
  vp9: [],
  prores: [],
};

export interface Container {
  /** ffmpeg muxer name (`-f`). */
  muxer: string;
  videoCodecs: readonly Codec[];
  /** Audio codecs (ffmpeg codec names) the container takes as they are; null = nearly all. */
  audioCopy: readonly string[] | null;
  /** Encoder and bitrate used when the audio must be re-encoded. */
  audioEncoder: string;
  audioBitrate: string;
  /** Supports `-movflags +faststart` (index at the front, for playback while downloading). */
  faststart: boolean;
}

const MP4_AUDIO = ['aac', 'mp3', 'ac3', 'eac3', 'alac'];

export const CONTAINERS: Record<string, Container> = {
  '.mp4': { muxer: 'mp4', videoCodecs: ['h264', 'hevc', 'vp9'], audioCopy: MP4_AUDIO, audioEncoder: 'aac', audioBitrate: '192k', faststart: true },
  '.m4v': { muxer: 'mp4', videoCodecs: ['h264', 'hevc', 'vp9'], audioCopy: MP4_AUDIO, audioEncoder: 'aac', audioBitrate: '192k', faststart: true },
  '.mov': { muxer: 'mov', videoCodecs: ['h264', 'hevc', 'prores'], audioCopy: [...MP4_AUDIO, 'pcm_s16le', 'pcm_s24le'], audioEncoder: 'aac', audioBitrate: '192k', faststart: true },
  '.mkv': { muxer: 'matroska', videoCodecs: ['h264', 'hevc', 'vp9', 'prores'], audioCopy: null, audioEncoder: 'aac', audioBitrate: '192k', faststart: false },
  '.webm': { muxer: 'webm', videoCodecs: ['vp9'], audioCopy: ['opus', 'vorbis'], audioEncoder: 'libopus', audioBitrate: '128k', faststart: false },
};

export function containerFor(path: string, node?: string): Container {
  const dot = path.lastIndexOf('.');
  const ext = dot < 0 ? '' : path.slice(dot).toLowerCase();
  const container = CONTAINERS[ext];
  if (!container) {
    throw mediaUserError('FF_OUTPUT_FORMAT_UNSUPPORTED', `Cannot write ${path}: the extension "${ext || '(none)'}" is not a supported container.`, {
      node,
      field: 'path',
      fix: `End the output path with one of ${Object.keys(CONTAINERS).join(', ')}.`,
    });
  }
  return container;
}

/** Picks the codec: the one asked for (checked against the container), or the container's natural one. */
export function resolveCodec(choice: string, path: string, node?: string): Codec {
  const container = containerFor(path, node);
  if (choice === 'auto') return container.videoCodecs[0] ?? 'h264';
  if (!(CODECS as readonly string[]).includes(choice)) {
    throw mediaUserError('FF_CODEC_UNSUPPORTED', `Unknown codec "${choice}".`, {
      node,
      field: 'codec',
      fix: `Use one of ${CODECS.join(', ')}.`,
    });
  }
  const codec = choice as Codec;
  if (!container.videoCodecs.includes(codec)) {
    throw mediaUserError('FF_CODEC_UNSUPPORTED', `Codec ${codec} cannot be written into ${path} (${container.muxer}).`, {
      node,
      field: 'codec',
      fix: `For ${container.muxer} use ${container.videoCodecs.join(', ')}, or change the file extension (.mkv takes every codec).`,
    });
  }
  return codec;
}

/** Maps 0..100 (100 = best) onto a "lower is better" scale from `worst` to `best`. */
export function qualityToScale(quality: number, worst: number, best: number): number {
  const q = Math.min(100, Math.max(0, quality));
  return Math.round(worst + ((best - worst) * q) / 100);
}

export interface EncoderArgs {
  /** Options that must come before the first `-i` (hardware device setup). */
  global: string[];
  /** Filters appended after the colour conversion (hardware upload). */
  filters: string[];
  /** `-c:v` and its settings. */
  codec: string[];
  /** Pixel format the encoder is fed. */
  pixelFormat: string;
  /** Whether frames are converted to YCbCr (then a colour matrix is applied and tagged). */
  yuv: boolean;
}

const VP9_SPEED: Record<Preset, [string, number]> = {
  ultrafast: ['realtime', 8],
  superfast: ['realtime', 6],
  veryfast: ['good', 5],
  faster: ['good', 4],
  fast: ['good', 3],
  medium: ['good', 2],
  slow: ['good', 1],
  slower: ['good', 0],
  veryslow: ['best', 0],
};

const NVENC_PRESET: Record<Preset, string> = {
  ultrafast: 'fast',
  superfast: 'fast',
  veryfast: 'fast',
  faster: 'fast',
  fast: 'fast',
  medium: 'medium',
  slow: 'slow',
  slower: 'slow',
  veryslow: 'slow',
};

/** The arguments for one ffmpeg encoder at a quality, preset and pixel format. */
export function encoderArgs(encoder: string, quality: number, preset: Preset, pixelFormat: PixelFormatChoice): EncoderArgs {
  const lossless = quality >= 100;
  const fmt = (fallback: string) => (pixelFormat === 'auto' ? fallback : pixelFormat);
  switch (encoder) {
    case 'libx264': {
      if (pixelFormat === 'rgb24') {
        // RGB in, RGB coded: with quality 100 this is bit-exact (libx264rgb at qp 0).
        return { global: [], filters: [], codec: ['-c:v', 'libx264rgb', '-preset', preset, ...(lossless ? ['-qp', '0'] : ['-crf', String(qualityToScale(quality, 51, 0))])], pixelFormat: 'rgb24', yuv: false };
      }
      return { global: [], filters: [], codec: ['-c:v', 'libx264', '-preset', preset, ...(lossless ? ['-qp', '0'] : ['-crf', String(qualityToScale(quality, 51, 0))])], pixelFormat: fmt('yuv420p'), yuv: true };
    }
    case 'libx265': {
      const params = ['log-level=error', ...(lossless ? ['lossless=1'] : [])].join(':');
      const pix = pixelFormat === 'rgb24' ? 'gbrp' : fmt('yuv420p');
      return { global: [], filters: [], codec: ['-c:v', 'libx265', '-preset', preset, ...(lossless ? [] : ['-crf', String(qualityToScale(quality, 51, 0))]), '-x265-params', params, ...(pix === 'gbrp' ? [] : ['-tag:v', 'hvc1'])], pixelFormat: pix, yuv: pix !== 'gbrp' };
    }
    case 'libvpx-vp9': {
      const [deadline, speed] = VP9_SPEED[preset];
      const pix = pixelFormat === 'rgb24' ? 'gbrp' : fmt('yuv420p');
      return {
        global: [],
        filters: [],
        codec: ['-c:v', 'libvpx-vp9', ...(lossless ? ['-lossless', '1'] : ['-crf', String(qualityToScale(quality, 63, 0)), '-b:v', '0']), '-deadline', deadline, '-cpu-used', String(speed), '-row-mt', '1'],
        pixelFormat: pix,
        yuv: pix !== 'gbrp',
      };
    }
    case 'prores_ks': {
      const profile = quality < 25 ? 0 : quality < 50 ? 1 : quality < 80 ? 2 : 3;
      const pix = pixelFormat === 'yuv444p10le' ? 'yuv444p10le' : 'yuv422p10le';
      return { global: [], filters: [], codec: ['-c:v', 'prores_ks', '-profile:v', String(pix === 'yuv444p10le' ? 4 : profile), '-vendor', 'apl0'], pixelFormat: pix, yuv: true };
    }
    case 'h264_nvenc':
    case 'hevc_nvenc':
      // cq 0 means "automatic" to nvenc, so the best quality maps to 1.
      return { global: [], filters: [], codec: ['-c:v', encoder, '-preset', NVENC_PRESET[preset], '-rc', 'vbr', '-cq', String(qualityToScale(quality, 51, 1)), '-b:v', '0'], pixelFormat: fmt('yuv420p'), yuv: true };
    case 'h264_qsv':
    case 'hevc_qsv':
      return { global: [], filters: [], codec: ['-c:v', encoder, '-preset', preset === 'ultrafast' || preset === 'superfast' ? 'veryfast' : preset, '-global_quality', String(qualityToScale(quality, 51, 1))], pixelFormat: 'nv12', yuv: true };
    case 'h264_vaapi':
    case 'hevc_vaapi':
      return {
        global: ['-vaapi_device', process.env.FRAMEFUSE_VAAPI_DEVICE ?? '/dev/dri/renderD128'],
        filters: ['hwupload'],
        codec: ['-c:v', encoder, '-qp', String(qualityToScale(quality, 51, 1))],
        pixelFormat: 'nv12',
        yuv: true,
      };
    default:
      throw new Error(`no argument mapping for encoder ${encoder}`);
  }
}
