/**
 * Data loss by refusal: a healthy video whose container states more frames than decode
 * (stream copies that start between keyframes, as editors and `ffmpeg -ss -c copy` make
 * them) was refused as "truncated" although every player plays it. What decodes is the
 * truth: such files decode whole, in mp4, mov, mkv and avi alike, while a file really cut
 * short (by duration) or damaged is still refused.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isFramefuseError } from '../../src/errors.js';
import { probeMedia } from '../../src/media/probe.js';
import { FFMPEG, decodeAll, ffmpeg, tempDir } from '../media/media-helpers.js';
import { smallClip } from './safety-helpers.js';

/** Frames ffmpeg itself decodes from `file` (as a player would show them). */
function ffmpegFrameCount(file: string): number {
  const r = spawnSync(FFMPEG, ['-v', 'error', '-i', file, '-map', '0:v:0', '-vsync', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { maxBuffer: 1 << 26 });
  return r.stdout.length / (64 * 48);
}

describe('frame counts: trust what decodes', () => {
  const dir = tempDir('framefuse-safety-counts-');
  let source: string;
  before(() => {
    source = smallClip(join(dir, 'src.mp4'), 2); // 50 frames, a keyframe every 10
  });

  /** A stream copy that starts `seconds` in, between keyframes: the leading frames cannot decode. */
  const cutCopy = (name: string, seconds: number, extra: string[] = []) => {
    const out = join(dir, name);
    ffmpeg(['-i', source, '-c', 'copy', '-ss', String(seconds), '-copyinkf', ...extra, out]);
    return out;
  };

  test('containers that state more frames than decode play whole: mp4 (one frame off), mov, mkv, avi', async () => {
    const files = [cutCopy('one-off.mp4', 0.36), cutCopy('cut.mov', 0.12), cutCopy('cut.mkv', 0.12), cutCopy('cut.avi', 0.12, ['-bsf:v', 'h264_mp4toannexb'])];
    for (const file of files) {
      const probed = await probeMedia(file);
      const decodable = ffmpegFrameCount(file);
      assert.ok(probed.video!.frameCount! > decodable, `${file}: the container states ${probed.video!.frameCount}, ffmpeg decodes ${decodable}`);
      const { frames, logs } = await decodeAll({ path: file });
      assert.deepEqual(logs.warn, [], `${file}: no damage reported`);
      // The AVI states an average rate (50) unlike its nominal one (25): it goes through
      // ffmpeg's fps filter, which fills the stream to its stated duration. The others are
      // decoded frame-exact: exactly what ffmpeg decodes.
      if (file.endsWith('.avi')) assert.ok(frames.length >= decodable, `${file}: ${frames.length} frames`);
      else assert.equal(frames.length, decodable, file);
    }
  });

  test('a file cut short by a third of its duration is still refused as truncated, and conceal keeps what decodes', async () => {
    const mkv = join(dir, 'whole.mkv');
    ffmpeg(['-i', source, '-c', 'copy', mkv]);
    const cut = join(dir, 'cut-short.mkv');
    writeFileSync(cut, readFileSync(mkv).subarray(0, Math.floor(statSync(mkv).size * 0.6)));
    const error = await decodeAll({ path: cut }).then(
      () => assert.fail('a truncated file decodes without complaint'),
      (e: unknown) => e,
    );
    assert.ok(isFramefuseError(error) && error.code === 'FF_MEDIA_CORRUPT', String(error));
    assert.match(error.message, /ends early \([\d.]+ s of 2\.00 s\)|truncated or damaged/);
    const concealed = await decodeAll({ path: cut, onCorrupt: 'conceal' });
    assert.ok(concealed.frames.length > 10 && concealed.frames.length < 50, `${concealed.frames.length} frames`);
    assert.equal(concealed.logs.warn.length, 1);
  });
});
