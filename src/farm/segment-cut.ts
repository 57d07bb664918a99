/**
 * Stream mode's segment inputs: the source's video cut into one file per segment without
 * re-encoding (ffmpeg's segment muxer, cutting at the segments' first frames, which are
 * keyframes), so that a worker downloads only its segment's bytes. mp4 keeps the exact
 * constant rate (Matroska's millisecond clock would not), so a cut decodes frame-exact.
 * The first cut starts at the video's first frame (a trim may start between keyframes);
 * a segment's frames are [startFrame - firstFrameOf(k), endFrame - firstFrameOf(k)) of its cut.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { getTools } from '../media/ffmpeg-tools.js';
import { runToCompletion } from '../media/ffmpeg-process.js';
import { stderrSuffix } from '../media/media-errors.js';
import { cancelledError } from '../errors.js';
import { farmOperationalError } from './farm-errors.js';
import type { Segment } from './farm-queue.js';

export const cutName = (index: number) => `s${String(index).padStart(5, '0')}.mp4`;

/** The source frame a segment's cut file starts at. */
export function cutFirstFrame(segment: Segment): number {
  return segment.index === 0 ? 0 : segment.startFrame;
}

/** Cuts every segment's input into `<dir>/input/` (written beside, then renamed into place). */
export async function cutSegments(source: string, videoStream: number, segments: readonly Segment[], dir: string, signal?: AbortSignal): Promise<string> {
  const done = join(dir, 'input');
  const temp = join(dir, `input.part-${process.pid}`);
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp, { recursive: true });
  const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-i', source, '-map', `0:${videoStream}`, '-c', 'copy', '-an', '-sn', '-dn', '-f', 'segment', '-reset_timestamps', '1', '-segment_format', 'mp4'];
  if (segments.length > 1) args.push('-segment_frames', segments.slice(1).map((s) => s.startFrame).join(','));
  args.push(join(temp, 's%05d.mp4'));
  const result = await runToCompletion(getTools().ffmpeg.path, args, signal ? { signal } : {});
  if (signal?.aborted) {
    await rm(temp, { recursive: true, force: true });
    throw cancelledError();
  }
  if (result.exit.code !== 0) {
    await rm(temp, { recursive: true, force: true });
    throw farmOperationalError('FF_FARM_SPLIT_FAILED', `Cutting ${source} into ${segments.length} segment files for --media stream failed.${stderrSuffix(result.stderr)}`, {
      fix: 'Check that the source is complete and that the output folder has room for a copy of its video; or use --media shared.',
    });
  }
  await rm(done, { recursive: true, force: true });
  await rename(temp, done);
  return done;
}
