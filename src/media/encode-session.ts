/**
 * One Encoder run from open to commit: picks the encoder (hardware only when a test
 * encode passed), plans the command, writes frames, and renames the file into place.
 *
 * A hardware encoder that fails once real frames arrive (a size or format the test
 * encode did not cover, a session limit, a lost device) is replaced by the software
 * encoder with a warning. To make that possible without losing frames, the session holds
 * on to the frames given to a hardware encoder until it has proven itself (a bounded
 * window: 64 frames or 192 MiB); a failure after that is reported, not hidden.
 */
import { resolve } from 'node:path';
import type { AudioRef, Frame, FramesInfo } from '../model/port-values.js';
import { isFramefuseError } from '../errors.js';
import { chooseEncoder, type EncoderChoice, type HardwareChoice } from './choose-encoder.js';
import { containerFor, resolveCodec, type CodecChoice, type Container, type PixelFormatChoice, type Preset } from './encoder-catalog.js';
import { planEncode, type AudioMode, type AudioSource, type EncodePlan } from './encode-plan.js';
import { FrameEncoder, type EncodeResult } from './encode-frames.js';
import { getTools, type FfmpegTools } from './ffmpeg-tools.js';
import { mediaUserError } from './media-errors.js';
import { assertNotFolder, discardOutput, prepareOutput } from './output-file.js';
import { DEFAULT_OUTPUT_POLICY, type OutputPolicy } from '../files/output-policy.js';
import { graphTagValue } from './graph-tag.js';
import { probeAudioSource } from './probe.js';

export interface EncodeSessionOptions {
  /** Output file (absolute, or relative to the process cwd). */
  path: string;
  frames: FramesInfo;
  audio?: AudioRef | null;
  codec?: CodecChoice;
  quality?: number;
  preset?: Preset;
  pixelFormat?: PixelFormatChoice;
  fps?: number | null;
  audioMode?: AudioMode;
  hardware?: HardwareChoice;
  faststart?: boolean;
  keepTemp?: boolean;
  /** Overwrite or a free numbered name, and the files never to write (default: a free name). */
  policy?: OutputPolicy;
  tools?: FfmpegTools;
  signal?: AbortSignal;
  node?: string;
  log?: { info(message: string): void; warn(message: string): void };
}

export interface EncodeSessionResult extends EncodeResult {
  hardware: boolean;
}

const WINDOW_FRAMES = 64;
const WINDOW_BYTES = 192 * 1024 * 1024;

export class EncodeSession {
  private encoder: FrameEncoder;
  private choice: EncoderChoice;
  /** Frames kept for a replay while a hardware encoder is on probation; null once it has passed. */
  private window: Frame[] | null;
  private windowBytes = 0;

  private constructor(
    private readonly options: EncodeSessionOptions,
    private readonly tools: FfmpegTools,
    private readonly container: Container,
    private readonly audio: AudioSource | null,
    choice: EncoderChoice,
    encoder: FrameEncoder,
  ) {
    this.choice = choice;
    this.encoder = encoder;
    this.window = choice.hardware && choice.fallback ? [] : null;
  }

  static async open(options: EncodeSessionOptions): Promise<EncodeSession> {
    const tools = options.tools ?? getTools();
    const target = resolve(options.path);
    const node = options.node;
    await assertNotFolder(target, node);
    const container = containerFor(target, node);
    const codec = resolveCodec(options.codec ?? 'auto', target, node);
    const { width, height, fps } = options.frames;
    if (!(width > 0 && height > 0 && fps > 0)) {
      throw mediaUserError('FF_ENCODE_BAD_STREAM', `The Encoder got a stream of ${width}x${height} at ${fps} fps.`, { node, field: 'frames' });
    }
    const choice = await chooseEncoder(tools.ffmpeg.path, codec, options.hardware ?? 'auto', {
      ...(node === undefined ? {} : { node }),
      warn: (m) => options.log?.warn(m),
      info: (m) => options.log?.info(m),
      // FRAMEFUSE_VERBOSE=1 (`framefuse run --verbose`): the hardware encoders' test results.
      ...(process.env.FRAMEFUSE_VERBOSE === '1' ? { detail: (m: string) => options.log?.info(m) } : {}),
    });
    let audio: AudioSource | null = null;
    const ref = options.audio ?? null;
    if (ref && ref.streamIndex !== null && options.audioMode !== 'drop') {
      const source = await probeAudioSource(ref.path, ref.streamIndex, tools);
      if (source === null) {
        throw mediaUserError('FF_MEDIA_NOT_FOUND', `The audio source ${ref.path} (stream ${ref.streamIndex}) cannot be read any more.`, { node, field: 'audio' });
      }
      audio = { ref, codec: source.codec, videoOffset: source.videoOffset };
    }
    const encoder = await startEncoder(options, tools, container, audio, choice.encoder, target);
    return new EncodeSession(options, tools, container, audio, choice, encoder);
  }

  get encoderName(): string {
    return this.choice.encoder;
  }

  get pid(): number | undefined {
    return this.encoder.pid;
  }

  async write(frames: readonly Frame[]): Promise<void> {
    if (this.window) {
      for (const frame of frames) {
        this.window.push(frame);
        this.windowBytes += frame.data.byteLength;
      }
    }
    try {
      await this.encoder.write(frames);
    } catch (error) {
      if (!(await this.fallBack(error))) throw error;
    }
    if (this.window && (this.window.length > WINDOW_FRAMES || this.windowBytes > WINDOW_BYTES)) {
      this.window = null;
      this.windowBytes = 0;
    }
  }

  async finish(): Promise<EncodeSessionResult> {
    try {
      return { ...(await this.encoder.finish()), hardware: this.choice.hardware };
    } catch (error) {
      if (!(await this.fallBack(error))) throw error;
      return { ...(await this.encoder.finish()), hardware: false };
    }
  }

  async dispose(): Promise<void> {
    this.window = null;
    await this.encoder.dispose();
  }

  /** Replaces a failed hardware encoder by the software one and replays the window. */
  private async fallBack(error: unknown): Promise<boolean> {
    const window = this.window;
    if (!window || !this.choice.fallback || !isFramefuseError(error) || error.code !== 'FF_ENCODE_FAILED') return false;
    this.options.log?.warn(`${this.choice.encoder} failed on the real frames, re-encoding with ${this.choice.fallback} (software). ${error.message}`);
    await this.encoder.dispose();
    this.choice = { encoder: this.choice.fallback, hardware: false, fallback: null };
    this.window = null;
    this.encoder = await startEncoder(this.options, this.tools, this.container, this.audio, this.choice.encoder, resolve(this.options.path));
    await this.encoder.write(window);
    return true;
  }
}

async function startEncoder(
  options: EncodeSessionOptions,
  tools: FfmpegTools,
  container: Container,
  audio: AudioSource | null,
  encoder: string,
  target: string,
): Promise<FrameEncoder> {
  const output = await prepareOutput(target, options.policy ?? DEFAULT_OUTPUT_POLICY, options.node);
  let plan: EncodePlan;
  try {
    plan = planEncode(
    options.frames,
    {
      encoder,
      quality: options.quality ?? 65,
      preset: options.preset ?? 'medium',
      pixelFormat: options.pixelFormat ?? 'auto',
      fps: options.fps ?? null,
      audio: options.audioMode ?? 'copy',
      faststart: options.faststart ?? true,
      graph: graphTagValue(options.policy?.embedGraph, options.log),
    },
    container,
    audio,
    output.temp,
  );
  } catch (error) {
    await discardOutput(output);
    throw error;
  }
  if (plan.padded) {
    options.log?.warn(`Frames are ${options.frames.width}x${options.frames.height}; ${encoder} needs even sizes for this pixel format, so they are padded by one pixel.`);
  }
  return new FrameEncoder({
    tools,
    plan,
    output,
    frames: options.frames,
    encoder,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.node === undefined ? {} : { node: options.node }),
    keepTemp: options.keepTemp ?? false,
  });
}
