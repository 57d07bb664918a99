/**
 * framefuse streams: the planned anonymize pipeline's peak memory must not grow with the
 * video's length. 1080p (large frames are where it shows): 48 frames against 192, each in a
 * `framefuse run` process of its own. Decoded frames in SharedArrayBuffers once failed this
 * (637 -> 1286 MiB: that memory returns only when every thread that saw a frame collects,
 * and V8 does not count it as pressure); ArrayBuffer frames stay flat (852 -> 894 MiB).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTools } from '../../src/media/ffmpeg-tools.js';
import { CLIP } from './face-helpers.js';

function peakRss(input: string, frames: number, dir: string): { frames: number; peakMb: number } {
  const metrics = join(dir, 'metrics.json');
  const sets = [`decoder.path=${input}`, `decoder.end=${frames}`, `encoder.path=${join(dir, 'out.mp4')}`, 'encoder.preset=ultrafast'].flatMap((s) => ['--set', s]);
  const r = spawnSync(process.execPath, ['bin/framefuse.js', 'run', 'graphs/anonymize.json', '--quiet', ...sets, '--metrics', metrics], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(readFileSync(metrics, 'utf8')) as { frames: number; peakRssBytes: number };
  return { frames: m.frames, peakMb: m.peakRssBytes / 2 ** 20 };
}

test('peak memory of a planned run does not grow with the length of the video (1080p)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ff-anon-memory-'));
  try {
    const hd = join(dir, 'clip1080.mp4');
    const args = ['-hide_banner', '-loglevel', 'error', '-i', CLIP, '-frames:v', '192', '-vf', 'scale=1920:1080', '-c:v', 'libx264', '-preset', 'ultrafast', '-an', '-y', hd];
    const made = spawnSync(getTools().ffmpeg.path, args, { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    const short = peakRss(hd, 48, dir);
    const long = peakRss(hd, 192, dir);
    assert.deepEqual([short.frames, long.frames], [48, 192]);
    assert.ok(long.peakMb < short.peakMb * 1.25, `peak RSS ${short.peakMb.toFixed(0)} MiB for 48 frames, ${long.peakMb.toFixed(0)} MiB for 192`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
