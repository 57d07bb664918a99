/**
 * Errors about media files and ffmpeg, with the file named and ffmpeg's own last stderr
 * lines attached, so a message alone says what went wrong and where.
 */
import { operationalError, userError, type FramefuseError } from '../errors.js';

/** ffmpeg's last stderr lines, cleaned of the `[h264 @ 0x55d...]` addresses, as a message suffix. */
export function stderrSuffix(lines: readonly string[], count = 6): string {
  const useful = lines
    .map((line) => line.replace(/ @ 0x[0-9a-f]+\]/g, ']').trim())
    .filter((line) => line !== '' && !/^(ffmpeg|ffprobe) version|^\s*(built with|configuration:|lib\w+\s+\d)/.test(line));
  if (useful.length === 0) return '';
  return `\nffmpeg said:\n  ${useful.slice(-count).join('\n  ')}`;
}

export interface MediaErrorOptions {
  node?: string;
  field?: string;
  stderr?: readonly string[];
  fix?: string;
  cause?: unknown;
}

function details(options: MediaErrorOptions) {
  return {
    ...(options.node === undefined ? {} : { node: options.node }),
    ...(options.field === undefined ? {} : { field: options.field }),
    ...(options.fix === undefined ? {} : { fix: options.fix }),
    ...(options.cause === undefined ? {} : { cause: options.cause }),
  };
}

/** A problem with an input file the user gave (exit code 2). The fix stays in its own field: printers show it once. */
export function mediaUserError(code: string, message: string, options: MediaErrorOptions = {}): FramefuseError {
  return userError(code, `${message}${stderrSuffix(options.stderr ?? [])}`, details(options));
}

/** ffmpeg or the file system failing underneath us (exit code 1). */
export function mediaOperationalError(code: string, message: string, options: MediaErrorOptions = {}): FramefuseError {
  return operationalError(code, `${message}${stderrSuffix(options.stderr ?? [])}`, details(options));
}

/**
 * ffmpeg ended by a signal framefuse did not send (it stops ffmpeg only on cancel): its own
 * error, naming the signal. Not the file's fault, so operational (exit 1), not "corrupt".
 */
export function killedError(what: string, signal: NodeJS.Signals, frames: number, options: MediaErrorOptions = {}): FramefuseError {
  return mediaOperationalError('FF_FFMPEG_KILLED', `ffmpeg ${what} was killed by ${signal} after ${frames} frames; framefuse did not stop it, something outside did (the out-of-memory killer, a kill command).`, {
    ...options,
    fix: 'Run again; if the out-of-memory killer did it, give the machine more memory or run fewer things at once.',
  });
}
