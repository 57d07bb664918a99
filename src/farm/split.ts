/**
 * Splitting the Decoder's input into segments at keyframes, about `segmentSeconds` long,
 * as frame ranges (and the same as seconds). A segment that starts on a keyframe is
 * decoded from there with no frames decoded only to be thrown away; the Decoder's seek is
 * frame-exact in any case, so the split decides speed, never which frames come out.
 */
import { getTools } from '../media/ffmpeg-tools.js';
import { runToCompletion } from '../media/ffmpeg-process.js';
import { stderrSuffix } from '../media/media-errors.js';
import type { VideoStreamInfo } from '../media/media-info.js';
import { cancelledError } from '../errors.js';
import { farmOperationalError } from './farm-errors.js';
import type { Segment } from './farm-queue.js';

/** Frame indices of the video's keyframes, in order, from its packets (no decoding). */
export async function probeKeyframes(path: string, video: VideoStreamInfo, signal?: AbortSignal): Promise<number[]> {
  const ffprobe = getTools().ffprobe;
  if (!ffprobe) {
    throw farmOperationalError('FF_FARM_SPLIT_FAILED', 'Splitting a video for the farm needs ffprobe, and none was found.', {
      fix: 'Run `npm install` (it installs a bundled ffprobe), install ffmpeg on the system, or set FFPROBE_PATH.',
    });
  }
  const args = ['-v', 'error', '-select_streams', String(video.index), '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', path];
  const result = await runToCompletion(ffprobe.path, args, signal ? { signal } : {});
  if (signal?.aborted) throw cancelledError(); // ffprobe was stopped: a cancel, not a failed split
  if (result.exit.code !== 0) {
    throw farmOperationalError('FF_FARM_SPLIT_FAILED', `ffprobe could not list the keyframes of ${path}.${stderrSuffix(result.stderr)}`);
  }
  const frames = new Set<number>();
  for (const line of result.stdout.split('\n')) {
    const [pts, flags] = line.trim().split(',');
    if (!pts || !flags?.includes('K')) continue;
    const seconds = Number(pts);
    if (Number.isFinite(seconds)) frames.add(Math.max(0, Math.round((seconds - video.startTime) * video.fps)));
  }
  return [...frames].sort((a, b) => a - b);
}

/**
 * Segments covering frames [first, end): each starts where the last ended and ends at the
 * first keyframe at least `segmentSeconds` after its start (or at `end`). A remainder
 * shorter than a quarter of a segment joins the segment before it.
 */
export function splitAtKeyframes(keyframes: readonly number[], first: number, end: number, fps: number, segmentSeconds: number): Segment[] {
  const target = Math.max(1, Math.round(segmentSeconds * fps));
  const cuts = keyframes.filter((k) => k > first && k < end);
  const bounds = [first];
  let from = first;
  for (const k of cuts) {
    if (k - from >= target) {
      bounds.push(k);
      from = k;
    }
  }
  if (bounds.length > 1 && end - bounds[bounds.length - 1]! < target / 4) bounds.pop();
  bounds.push(end);
  return bounds.slice(0, -1).map((startFrame, index) => {
    const endFrame = bounds[index + 1]!;
    return { index, startFrame, endFrame, startSeconds: startFrame / fps, endSeconds: endFrame / fps };
  });
}
