/**
 * From the Encoder's settings, the incoming stream and the source's audio to the exact
 * ffmpeg command that reads raw RGB24 frames on stdin and writes the output file. Pure,
 * like the decode plan: the hardware choice and the audio probe are made before.
 */
import type { AudioRef, FramesInfo } from '../model/port-values.js';
import { encoderArgs, type Container, type PixelFormatChoice, type Preset } from './encoder-catalog.js';
import { rationalFor } from './media-info.js';
import { GRAPH_TAG } from './graph-tag.js';

export type AudioMode = 'copy' | 'reencode' | 'drop';

export interface EncodeSettings {
  /** ffmpeg encoder name (`libx264`, `h264_nvenc`, ...). */
  encoder: string;
  quality: number;
  preset: Preset;
  pixelFormat: PixelFormatChoice;
  /** Output frame rate; null keeps the stream's. */
  fps: number | null;
  audio: AudioMode;
  faststart: boolean;
  /** The graph document as JSON, written as the file's `framefuse_graph` tag (mp4/mov: a custom tag); null writes none. */
  graph?: string | null;
}

/** The source audio as the plan needs it: the reference and its codec. */
export interface AudioSource {
  ref: AudioRef;
  codec: string;
  /** Where the source's first video frame sits on its clock (see probeAudioSource). */
  videoOffset: number;
}

export interface EncodePlan {
  args: string[];
  /** How the audio ends up in the file. */
  audio: 'copied' | 'reencoded' | 'none';
  /** Whether frames were padded by a pixel to reach the even size 4:2:0 / 4:2:2 needs. */
  padded: boolean;
  outputFps: number;
}

export function planEncode(
  frames: FramesInfo,
  settings: EncodeSettings,
  container: Container,
  audio: AudioSource | null,
  outputPath: string,
): EncodePlan {
  const spec = encoderArgs(settings.encoder, settings.quality, settings.preset, settings.pixelFormat);
  const inRate = rationalFor(frames.fps);
  const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-y', ...spec.global];

  let audioOut: EncodePlan['audio'] = 'none';
  const useAudio = audio !== null && audio.ref.streamIndex !== null && settings.audio !== 'drop';
  const audioInput: string[] = [];
  let videoOffset = 0;
  if (useAudio) {
    const { start, end } = audio.ref;
    // Untrimmed: the audio is taken whole and the video keeps its offset from the file's
    // start, as in the source. Trimmed: the audio is cut to the video's range and
    // re-encoded, since stream copy can only cut at packet edges.
    const trimmed = end !== null || Math.abs(start - audio.videoOffset) > 1e-6;
    const copyable = container.audioCopy === null || container.audioCopy.includes(audio.codec);
    audioOut = settings.audio === 'copy' && copyable && !trimmed ? 'copied' : 'reencoded';
    if (trimmed) {
      if (start > 0) audioInput.push('-ss', start.toFixed(6));
      if (end !== null) audioInput.push('-t', (end - start).toFixed(6));
    } else {
      videoOffset = audio.videoOffset;
    }
    audioInput.push('-i', audio.ref.path);
  }
  if (videoOffset > 0) args.push('-itsoffset', videoOffset.toFixed(6));
  args.push('-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${frames.width}x${frames.height}`, '-framerate', inRate, '-i', 'pipe:0', ...audioInput);

  args.push('-map', '0:v:0');
  if (useAudio && audio) args.push('-map', `1:${audio.ref.streamIndex}`);

  // 4:2:0 and 4:2:2 need an even width (and 4:2:0 an even height): pad by one pixel
  // rather than fail or lose a row.
  const subsampled = /420|422|nv12/.test(spec.pixelFormat);
  const padW = subsampled && frames.width % 2 === 1;
  const padH = /420|nv12/.test(spec.pixelFormat) && frames.height % 2 === 1;
  const filters: string[] = [];
  if (padW || padH) filters.push(`pad=${frames.width + (padW ? 1 : 0)}:${frames.height + (padH ? 1 : 0)}:0:0`);
  if (spec.yuv) filters.push('scale=out_color_matrix=bt709:out_range=tv', `format=${spec.pixelFormat}`);
  else filters.push(`format=${spec.pixelFormat}`);
  filters.push(...spec.filters);
  const outputFps = settings.fps ?? frames.fps;
  if (settings.fps !== null && Math.abs(settings.fps - frames.fps) > 1e-6) filters.push(`fps=${rationalFor(settings.fps)}`);
  args.push('-vf', filters.join(','));
  args.push(...spec.codec);
  if (spec.filters.length === 0) args.push('-pix_fmt', spec.pixelFormat);
  if (spec.yuv) args.push('-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv');

  if (audioOut === 'copied') args.push('-c:a', 'copy');
  else if (audioOut === 'reencoded') args.push('-c:a', container.audioEncoder, '-b:a', container.audioBitrate);
  else args.push('-an');

  const movflags = [settings.faststart && container.faststart ? '+faststart' : ''];
  if (settings.graph) {
    args.push('-metadata', `${GRAPH_TAG}=${settings.graph}`);
    // mp4/mov keep only their known tags unless told to keep custom ones.
    if (container.faststart) movflags.push('+use_metadata_tags');
  }
  if (movflags.join('')) args.push('-movflags', movflags.join(''));
  args.push('-f', container.muxer, outputPath);
  return { args, audio: audioOut, padded: padW || padH, outputFps };
}
