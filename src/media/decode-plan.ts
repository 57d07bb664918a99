/**
 * From a probed file and the Decoder's parameters to the exact ffmpeg command that decodes
 * it to raw RGB24 on stdout, and the stream facts (size, fps, frame count) that follow.
 * Pure: no process is started here, so every case is testable by reading the arguments.
 */
import type { AudioRef, FramesInfo } from '../model/port-values.js';
import { mediaUserError } from './media-errors.js';
import { rationalFor, type MediaInfo } from './media-info.js';

export type TrimUnit = 'frames' | 'seconds';
export type ColorMatrixChoice = 'auto' | 'bt601' | 'bt709';

export interface DecodeOptions {
  /** First frame (inclusive), in `unit`s. */
  start?: number;
  /** End (exclusive), in `unit`s; null = to the end. */
  end?: number | null;
  unit?: TrimUnit;
  /** Output frame rate; null keeps the source's. */
  fps?: number | null;
  /** Target size; give one side to keep the aspect ratio, none to keep the size. */
  width?: number | null;
  height?: number | null;
  /** YCbCr matrix for the conversion to RGB; `auto` uses the file's tag, else guesses from the size as players do. */
  colorMatrix?: ColorMatrixChoice;
  /** `fail` stops at the first decode error and reports the frame; `conceal` decodes through damage. */
  onCorrupt?: 'fail' | 'conceal';
  node?: string;
}

export interface DecodePlan {
  input: string;
  args: string[];
  frames: FramesInfo;
  audio: AudioRef;
  /** Start of the trim in seconds from the first video frame (0 = untrimmed). */
  startSeconds: number;
  endSeconds: number | null;
  /** Frames the stream should give, as the container states them (a guide for progress, not a promise). */
  expectedFrames: number | null;
  /** Seconds of video the range should give by the stream's stated duration; null when unknown. */
  expectedSeconds: number | null;
  frameBytes: number;
  onCorrupt: 'fail' | 'conceal';
}

const even = (n: number) => Math.max(2, 2 * Math.round(n / 2));

export function planDecode(info: MediaInfo, options: DecodeOptions = {}): DecodePlan {
  const video = info.video;
  if (!video) throw new Error('planDecode needs a probed file with a video stream');
  const where = { node: options.node };
  const unit = options.unit ?? 'frames';
  const srcFps = video.fps;
  const toSeconds = (v: number) => (unit === 'frames' ? v / srcFps : v);
  const start = options.start ?? 0;
  const end = options.end ?? null;
  const duration = video.duration ?? info.duration;
  const total = video.frameCount;

  if (start < 0 || !Number.isFinite(start)) {
    throw mediaUserError('FF_TRIM_OUT_OF_RANGE', `Trim start ${start} must be 0 or more.`, { ...where, field: 'start' });
  }
  if (end !== null && end <= start) {
    throw mediaUserError('FF_TRIM_OUT_OF_RANGE', `Trim end ${end} must be after start ${start} (${unit}).`, { ...where, field: 'end' });
  }
  const sourceLength = unit === 'frames' ? total : duration;
  if (sourceLength !== null && start >= sourceLength) {
    throw mediaUserError('FF_TRIM_OUT_OF_RANGE', `Trim start ${start} ${unit} is past the end of ${info.path}, which has ${sourceLength} ${unit}.`, {
      ...where,
      field: 'start',
      fix: `Use a start below ${sourceLength}.`,
    });
  }

  const keepRate = options.fps === null || options.fps === undefined || Math.abs(options.fps - srcFps) < 1e-6;
  const outFps = keepRate ? srcFps : (options.fps as number);
  const outRational = keepRate ? video.fpsRational : rationalFor(outFps);
  // Frame-exact mode: constant-rate input, kept rate, exact count. Then frame N of the
  // output is frame start+N of the source, and nothing is duplicated or dropped.
  const frameExact = keepRate && !video.variableFrameRate;

  // Seeks and audio ranges are on the file's clock, where the first video frame may sit a
  // little after 0 (audio priming in Matroska, MPEG-TS offsets): frame N is at offset + N / fps.
  const videoOffset = Math.max(0, video.startTime - info.startTime);
  let startSeconds = toSeconds(start);
  let endSeconds = end === null ? null : toSeconds(end);
  if (duration !== null && endSeconds !== null && endSeconds > duration) endSeconds = null;
  let expectedFrames: number | null;
  let seekSeconds = startSeconds > 0 ? videoOffset + startSeconds : 0;
  if (frameExact) {
    const startFrame = Math.round(startSeconds * srcFps);
    let endFrame = endSeconds === null ? total : Math.round(endSeconds * srcFps);
    if (total !== null && endFrame !== null && endFrame > total) endFrame = total;
    startSeconds = startFrame / srcFps;
    endSeconds = endSeconds === null ? null : (endFrame ?? 0) / srcFps;
    expectedFrames = endFrame === null ? null : endFrame - startFrame;
    // Half a frame early, so timestamp rounding can never drop the first wanted frame;
    // the frame before it still falls before the seek point and is discarded.
    seekSeconds = startFrame > 0 ? videoOffset + (startFrame - 0.5) / srcFps : 0;
  } else {
    const stop = endSeconds ?? duration;
    expectedFrames = stop === null ? null : Math.max(0, Math.round((stop - startSeconds) * outFps));
  }
  if (expectedFrames === 0) {
    throw mediaUserError('FF_MEDIA_EMPTY', `The trim ${start}..${end ?? 'end'} (${unit}) of ${info.path} holds no frames.`, { ...where, field: 'end' });
  }

  let width = video.width;
  let height = video.height;
  const wantW = options.width ?? null;
  const wantH = options.height ?? null;
  if (wantW !== null && wantH !== null) [width, height] = [wantW, wantH];
  else if (wantW !== null) [width, height] = [wantW, even((wantW * video.height) / video.width)];
  else if (wantH !== null) [width, height] = [even((wantH * video.width) / video.height), wantH];

  const matrix = chooseMatrix(options.colorMatrix ?? 'auto', video.colorSpace, video.width, video.height);
  const filters: string[] = [];
  if (!frameExact) filters.push(`fps=${outRational}`);
  // One explicit scale does the resize and the YCbCr->RGB conversion with a known matrix;
  // ffmpeg's automatic rotation filters run before it, so sizes here are upright sizes.
  filters.push(`scale=${width}:${height}:flags=bicubic:in_color_matrix=${matrix}`, 'format=rgb24');

  const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error'];
  if ((options.onCorrupt ?? 'fail') === 'fail') args.push('-xerror');
  if (seekSeconds > 0) args.push('-ss', seekSeconds.toFixed(6));
  args.push('-i', info.path, '-map', `0:${video.index}`, '-an', '-sn', '-dn', '-vf', filters.join(','));
  if (endSeconds !== null && expectedFrames !== null) args.push('-frames:v', String(expectedFrames));
  args.push('-vsync', frameExact ? 'passthrough' : 'cfr', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1');

  const audioStream = info.audio[0] ?? null;
  return {
    input: info.path,
    args,
    frames: { width, height, fps: outFps, frameCount: expectedFrames },
    audio: {
      path: info.path,
      streamIndex: audioStream ? audioStream.index : null,
      start: videoOffset + startSeconds,
      end: endSeconds === null ? null : videoOffset + endSeconds,
    },
    startSeconds,
    endSeconds,
    expectedFrames,
    expectedSeconds: expectedSecondsOf(startSeconds, endSeconds, duration),
    frameBytes: width * height * 3,
    onCorrupt: options.onCorrupt ?? 'fail',
  };
}

function expectedSecondsOf(start: number, end: number | null, duration: number | null): number | null {
  if (duration === null || !Number.isFinite(duration)) return null;
  return Math.max(0, Math.min(end ?? duration, duration) - start);
}

function chooseMatrix(choice: ColorMatrixChoice, tag: string | null, width: number, height: number): string {
  if (choice !== 'auto') return choice;
  if (tag === 'bt709') return 'bt709';
  if (tag === 'bt470bg' || tag === 'smpte170m' || tag === 'bt601') return 'bt601';
  if (tag === 'bt2020nc' || tag === 'bt2020c') return 'bt2020';
  // Untagged: HD is almost always BT.709 and SD BT.601, the guess players make too.
  return width >= 1280 || height >= 720 ? 'bt709' : 'bt601';
}
