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

/** A problem with an input file the user gave (exit code 2). */
export function mediaUserError(code: string, message: string, options: MediaErrorOptions = {}): FramefuseError {
  const fix = options.fix === undefined ? '' : `\nFix: ${options.fix}`;
  return userError(code, `${message}${fix}${stderrSuffix(options.stderr ?? [])}`, details(options));
}

/** ffmpeg or the file system failing underneath us (exit code 1). */
export function mediaOperationalError(code: string, message: string, options: MediaErrorOptions = {}): FramefuseError {
  const fix = options.fix === undefined ? '' : `\nFix: ${options.fix}`;
  return operationalError(code, `${message}${fix}${stderrSuffix(options.stderr ?? [])}`, details(options));
}
