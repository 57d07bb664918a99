/**
 * Runs a decode plan: one ffmpeg process writing raw RGB24 to its stdout, read as an async
 * iterator so that a slow consumer pauses the pipe (and with it ffmpeg) instead of letting
 * frames pile up in memory. Yields chunks of a few frames, each frame in its own buffer.
 */
import { cancelledError } from '../errors.js';
import type { Frame } from '../model/port-values.js';
import type { DecodePlan } from './decode-plan.js';
import { FfmpegProcess } from './ffmpeg-process.js';
import { getTools, type FfmpegTools } from './ffmpeg-tools.js';
import { FrameAssembler } from './frame-assembler.js';
import { killedError, mediaOperationalError, mediaUserError, stderrSuffix } from './media-errors.js';

export interface DecodedChunk {
  /** 0-based output frame numbers. */
  indices: number[];
  /** Output timestamps in seconds (index / fps; 0 is the first frame after the trim). */
  pts: number[];
  frames: Frame[];
}

export interface DecodeRunOptions {
  tools?: FfmpegTools;
  signal?: AbortSignal;
  /** Frames per chunk; by default as many as fit in 24 MiB, between 1 and 8. */
  chunkFrames?: number;
  node?: string;
  /** Told about problems that do not stop the run (concealed damage). */
  warn?: (message: string) => void;
  /** Called with the ffmpeg process once it started, so an owner can stop it whatever happens to the iterator. */
  onProcess?: (proc: FfmpegProcess) => void;
}

/** How far a stream may fall short of its stated duration before it counts as truncated. */
function shortfallAllowed(fps: number): number {
  return Math.max(3 / fps, 0.5);
}

/** True when the decoded frames cover clearly less time than the stream states it holds. */
export function endsEarly(plan: Pick<DecodePlan, 'expectedSeconds' | 'frames'>, decoded: number): boolean {
  if (plan.expectedSeconds === null) return false;
  return plan.expectedSeconds - decoded / plan.frames.fps > shortfallAllowed(plan.frames.fps);
}

export function defaultChunkFrames(frameBytes: number): number {
  return Math.max(1, Math.min(8, Math.floor((24 * 1024 * 1024) / frameBytes)));
}

export async function* decodeFrames(plan: DecodePlan, options: DecodeRunOptions = {}): AsyncGenerator<DecodedChunk, void, undefined> {
  const { signal } = options;
  if (signal?.aborted) throw cancelledError();
  const tools = options.tools ?? getTools();
  const where = { node: options.node, field: 'path' };
  const chunkFrames = options.chunkFrames ?? defaultChunkFrames(plan.frameBytes);
  const { width, height, fps } = plan.frames;

  const proc = new FfmpegProcess(tools.ffmpeg.path, plan.args, { stdout: true });
  options.onProcess?.(proc);
  const onAbort = () => void proc.stop(500);
  signal?.addEventListener('abort', onAbort, { once: true });

  let next = 0;
  let pending: Frame[] = [];
  const take = (): DecodedChunk => {
    const frames = pending;
    pending = [];
    const indices = frames.map((_, i) => next + i);
    next += frames.length;
    return { indices, pts: indices.map((i) => i / fps), frames };
  };

  try {
    const assembler = new FrameAssembler(plan.frameBytes);
    try {
      for await (const chunk of proc.stdout as AsyncIterable<Buffer>) {
        for (const data of assembler.push(chunk)) {
          pending.push({ width, height, data });
          if (pending.length >= chunkFrames) yield take();
        }
      }
    } catch (error) {
      // A destroyed pipe (cancel, or ffmpeg killed) ends the read; the checks below say why.
      if (!signal?.aborted && proc.exit === null) throw error;
    }
    const exit = await proc.exited;
    if (signal?.aborted) throw cancelledError();
    if (proc.startError) {
      throw mediaOperationalError('FF_FFMPEG_NOT_FOUND', `ffmpeg at ${tools.ffmpeg.path} could not be started: ${proc.startError.message}`, {
        fix: 'Set FFMPEG_PATH to a working ffmpeg, or run `framefuse doctor`.',
      });
    }
    const decoded = next + pending.length;
    // "of N" only where the stated count says more were due; it may be wrong the other way.
    const expected = plan.expectedFrames !== null && plan.expectedFrames > decoded ? ` of ${plan.expectedFrames}` : '';
    if (exit.signal !== null) {
      // Killed by someone else (we stop it only on cancel, handled above): not the file's fault.
      throw killedError(`decoding ${plan.input}`, exit.signal, decoded, { node: options.node, stderr: proc.stderr() });
    }
    if (exit.code !== 0) {
      throw mediaUserError('FF_MEDIA_CORRUPT', `Decoding ${plan.input} failed at frame ${decoded}${expected}: the video is truncated or damaged (ffmpeg exited with ${exit.code}).`, {
        ...where,
        stderr: proc.stderr(),
        fix: plan.onCorrupt === 'conceal' ? 'Re-export or re-download the file; the damage stops ffmpeg even with onCorrupt "conceal".' : 'Re-export or re-download the file, or set the Decoder\'s onCorrupt to "conceal" to decode through the damage.',
      });
    }
    if (assembler.pendingBytes > 0) {
      throw mediaOperationalError('FF_DECODE_FAILED', `ffmpeg ended ${plan.input} in the middle of frame ${decoded} (${assembler.pendingBytes} of ${plan.frameBytes} bytes).`, { ...where, stderr: proc.stderr() });
    }
    // What decodes is the truth: a container's stated frame count may be off (edit lists,
    // rewritten headers) while every player plays the file. Only a stream short of its
    // stated duration by more than a little is truncated.
    const short = endsEarly(plan, decoded);
    if (short && plan.onCorrupt === 'fail') {
      throw mediaUserError('FF_MEDIA_CORRUPT', `Decoding ${plan.input} failed at frame ${decoded}${expected}: the file ends early (${(decoded / fps).toFixed(2)} s of ${plan.expectedSeconds!.toFixed(2)} s), it is truncated.`, {
        ...where,
        stderr: proc.stderr(),
        fix: 'Re-export or re-download the file, or set the Decoder\'s onCorrupt to "conceal" to keep the frames that decode.',
      });
    }
    if (short || proc.stderr().length > 0) {
      const stderr = proc.stderr();
      if (short || stderr.some((line) => /error|invalid|corrupt|missing/i.test(line))) {
        options.warn?.(`${plan.input}: decoded ${decoded}${expected} frames through damage.${stderrSuffix(stderr)}`);
      }
    }
    if (decoded === 0) {
      throw mediaUserError('FF_MEDIA_EMPTY', `${plan.input} gave no frames${plan.startSeconds > 0 ? ` from ${plan.startSeconds.toFixed(3)} s on` : ''}.`, { ...where, stderr: proc.stderr() });
    }
    if (pending.length > 0) yield take();
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (proc.exit === null) await proc.stop(500);
  }
}
