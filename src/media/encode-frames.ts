/**
 * A running encode: one ffmpeg process reading raw RGB24 frames on stdin and writing a
 * temporary file beside the target. `write` resolves only when ffmpeg has taken the bytes
 * into its pipe, so a slow encoder slows the caller (backpressure) and a frame's buffer is
 * no longer in use once `write` returns (it may then be transferred or reused).
 */
import { stat } from 'node:fs/promises';
import { cancelledError } from '../errors.js';
import type { Frame, FramesInfo } from '../model/port-values.js';
import { FfmpegProcess } from './ffmpeg-process.js';
import type { FfmpegTools } from './ffmpeg-tools.js';
import { killedError, mediaOperationalError, mediaUserError } from './media-errors.js';
import { commitOutput, discardOutput, keepOutput, type OutputFile } from './output-file.js';
import type { EncodePlan } from './encode-plan.js';

export interface EncodeResult {
  path: string;
  frames: number;
  /** Seconds of video written (frames / fps). */
  duration: number;
  encoder: string;
  audio: EncodePlan['audio'];
  bytes: number;
}

export interface FrameEncoderOptions {
  tools: FfmpegTools;
  plan: EncodePlan;
  output: OutputFile;
  frames: FramesInfo;
  encoder: string;
  signal?: AbortSignal;
  node?: string;
  /** Keep the partial file after a failure or cancel (for inspection), renamed so no cleanup removes it. */
  keepTemp?: boolean;
}

export class FrameEncoder {
  private readonly proc: FfmpegProcess;
  private written = 0;
  private finished = false;
  private disposed = false;
  private readonly frameBytes: number;

  constructor(private readonly options: FrameEncoderOptions) {
    this.frameBytes = options.frames.width * options.frames.height * 3;
    this.proc = new FfmpegProcess(options.tools.ffmpeg.path, options.plan.args, { stdin: true });
    // A cancel stops ffmpeg at once, so a write waiting on a busy encoder returns now.
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (options.signal?.aborted) this.onAbort(); // cancelled while the session was being set up
  }

  private readonly onAbort = () => void this.proc.stop(500);

  get pid(): number | undefined {
    return this.proc.pid;
  }

  get framesWritten(): number {
    return this.written;
  }

  /** Writes frames in order; resolves when ffmpeg's pipe has taken them. */
  async write(frames: readonly Frame[]): Promise<void> {
    const { width, height } = this.options.frames;
    for (const frame of frames) {
      if (this.options.signal?.aborted) throw cancelledError();
      if (frame.width !== width || frame.height !== height || frame.data.byteLength !== this.frameBytes) {
        throw mediaOperationalError(
          'FF_FRAME_SIZE_MISMATCH',
          `Frame ${this.written} is ${frame.width}x${frame.height} (${frame.data.byteLength} bytes) but the Encoder was opened for ${width}x${height}.`,
          { node: this.options.node, field: 'frames', fix: 'Every frame of a stream must have the same size; put a resize before the Encoder.' },
        );
      }
      await this.writeOne(frame.data);
      this.written++;
    }
  }

  private writeOne(data: Uint8Array): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const stdin = this.proc.stdin;
      if (stdin.destroyed || this.proc.exit !== null) {
        reject(new Error('ffmpeg stdin is closed'));
        return;
      }
      stdin.write(data, (error) => (error ? reject(error) : resolve()));
    }).catch(async (error: unknown) => {
      if (this.options.signal?.aborted) throw cancelledError();
      await this.proc.exited;
      throw this.failure(`stopped taking frames at frame ${this.written}`, error);
    });
  }

  /** Ends the stream, waits for ffmpeg, and moves the file into place. */
  async finish(): Promise<EncodeResult> {
    if (this.options.signal?.aborted) throw cancelledError();
    if (this.written === 0) {
      throw mediaUserError('FF_ENCODE_NO_FRAMES', `No frames reached the Encoder, so ${this.options.output.target} was not written.`, { node: this.options.node, field: 'frames' });
    }
    const stdin = this.proc.stdin;
    stdin.end();
    const exit = await this.proc.exited;
    if (this.options.signal?.aborted) throw cancelledError();
    if (exit.code !== 0) throw this.failure(`failed after ${this.written} frames`);
    const path = await commitOutput(this.options.output);
    this.finished = true;
    const bytes = (await stat(path)).size;
    return {
      path,
      frames: this.written,
      duration: this.written / this.options.frames.fps,
      encoder: this.options.encoder,
      audio: this.options.plan.audio,
      bytes,
    };
  }

  /** Stops ffmpeg (SIGTERM, SIGKILL after a grace) and removes the temporary file. Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    if (this.proc.exit === null) await this.proc.stop(500);
    if (this.finished) return;
    if (this.options.keepTemp) await keepOutput(this.options.output);
    else await discardOutput(this.options.output);
  }

  private failure(what: string, cause?: unknown): Error {
    if (this.proc.startError) {
      return mediaOperationalError('FF_FFMPEG_NOT_FOUND', `ffmpeg at ${this.options.tools.ffmpeg.path} could not be started: ${this.proc.startError.message}`, {
        node: this.options.node,
        fix: 'Set FFMPEG_PATH to a working ffmpeg, or run `framefuse doctor`.',
      });
    }
    const exit = this.proc.exit;
    if (exit?.signal) return killedError(`encoding ${this.options.output.target}`, exit.signal, this.written, { node: this.options.node, stderr: this.proc.stderr() });
    return mediaOperationalError(
      'FF_ENCODE_FAILED',
      `Encoding ${this.options.output.target} with ${this.options.encoder} ${what} (ffmpeg exited with ${exit?.code ?? exit?.signal ?? 'unknown status'}).`,
      { node: this.options.node, stderr: this.proc.stderr(), ...(cause === undefined ? {} : { cause }) },
    );
  }
}
