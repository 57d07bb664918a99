/**
 * Joining a farm run's segments into the final file without re-encoding: ffmpeg's concat
 * demuxer reads the segments one after another and copies their packets (they were
 * encoded alike, each starting on its own keyframe with closed GOPs); the source's audio
 * is muxed once over the whole, so it has no seams. ffmpeg writes a partial file beside
 * the output, which takes its final name only when complete (a free numbered name unless
 * overwriting is allowed), as every framefuse output does.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getTools } from '../media/ffmpeg-tools.js';
import { GRAPH_TAG } from '../media/graph-tag.js';
import { runToCompletion } from '../media/ffmpeg-process.js';
import { stderrSuffix } from '../media/media-errors.js';
import { containerFor } from '../media/encoder-catalog.js';
import { commitOutput, discardOutput, prepareOutput } from '../media/output-file.js';
import type { OutputPolicy } from '../files/output-policy.js';
import { cancelledError } from '../errors.js';
import { farmOperationalError } from './farm-errors.js';

export interface JoinAudio {
  /** The source file and its audio stream's index. */
  path: string;
  streamIndex: number;
  codec: string;
  /** The part of the source's clock the video covers; whole = the untrimmed source. */
  start: number;
  end: number;
  whole: boolean;
  /** Where the first video frame sits on the source's clock (kept when untrimmed). */
  videoOffset: number;
  mode: 'copy' | 'reencode';
}

export interface JoinOptions {
  segments: readonly string[];
  /** A folder for the concat list (the run's segment folder). */
  workDir: string;
  output: string;
  audio: JoinAudio | null;
  faststart: boolean;
  policy: OutputPolicy;
  /** The run's graph document as JSON, embedded as the output's `framefuse_graph` tag (not the segments' own graphs). */
  graph?: string | null;
  node?: string;
  signal?: AbortSignal;
}

/** A path as the concat demuxer's list takes it: single-quoted, quotes escaped. */
function concatLine(path: string): string {
  return `file '${path.replace(/'/g, "'\\''")}'`;
}

/** The ffmpeg arguments of the join (pure, for tests and for reading). */
export function joinArgs(list: string, options: Pick<JoinOptions, 'output' | 'audio' | 'faststart' | 'node' | 'graph'>, temp: string): string[] {
  const container = containerFor(options.output, options.node);
  const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-y'];
  const audio = options.audio;
  if (audio && audio.whole && audio.videoOffset > 0) args.push('-itsoffset', audio.videoOffset.toFixed(6));
  args.push('-f', 'concat', '-safe', '0', '-i', list);
  let audioCodec: string[] = ['-an'];
  if (audio) {
    if (!audio.whole) args.push('-ss', audio.start.toFixed(6), '-t', (audio.end - audio.start).toFixed(6));
    args.push('-i', audio.path);
    const copyable = container.audioCopy === null || container.audioCopy.includes(audio.codec);
    audioCodec = audio.mode === 'copy' && copyable && audio.whole ? ['-c:a', 'copy'] : ['-c:a', container.audioEncoder, '-b:a', container.audioBitrate];
  }
  args.push('-map', '0:v:0');
  if (audio) args.push('-map', `1:${audio.streamIndex}`);
  args.push('-c:v', 'copy', ...audioCodec);
  // The segments' tags (each segment's own limited graph) are not the run's: drop them, write the run's graph.
  args.push('-map_metadata', '-1');
  const movflags = [options.faststart && container.faststart ? '+faststart' : ''];
  if (options.graph) {
    args.push('-metadata', `${GRAPH_TAG}=${options.graph}`);
    if (container.faststart) movflags.push('+use_metadata_tags');
  }
  if (movflags.join('')) args.push('-movflags', movflags.join(''));
  args.push('-f', container.muxer, temp);
  return args;
}

/** Joins the segments into the output; returns the path written. */
export async function joinSegments(options: JoinOptions): Promise<string> {
  const list = join(options.workDir, 'concat.txt');
  await writeFile(list, `${options.segments.map(concatLine).join('\n')}\n`);
  const file = await prepareOutput(options.output, options.policy, options.node);
  try {
    const result = await runToCompletion(getTools().ffmpeg.path, joinArgs(list, options, file.temp), options.signal ? { signal: options.signal } : {});
    if (options.signal?.aborted) throw cancelledError();
    if (result.exit.code !== 0) {
      throw farmOperationalError('FF_FARM_JOIN_FAILED', `Joining ${options.segments.length} segments into ${options.output} failed.${stderrSuffix(result.stderr)}`, {
        fix: 'The segments are kept until the join succeeds: run the same command again to retry the join.',
      });
    }
    return await commitOutput(file);
  } catch (error) {
    await discardOutput(file);
    throw error;
  }
}
