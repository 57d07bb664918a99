/**
 * Stopping a real run, every way it can be stopped, leaves nothing behind:
 *   - Ctrl-C twice during a model run in a worker thread: exit 130, no
 *     "terminate called ... Napi::Error" (before: exit 134 and a .part file left);
 *   - SIGTERM: a clean cancel, exit 143;
 *   - the decoder's ffmpeg killed from outside: its own error naming the signal, exit 1
 *     (before: FF_MEDIA_CORRUPT, "re-download the file", exit 2);
 *   - the whole process killed with SIGKILL: its ffmpeg children end by themselves, the
 *     partial file it left is listed by `framefuse doctor` and removed by the next run
 *     into that folder.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gone } from '../helpers.js';
import { makeClip, tempDir } from '../media/media-helpers.js';
import { childPids, cli, exitOf, ffmpegChildren, partialFiles, spawnCli, waitFor } from './safety-helpers.js';

/** The upscale graph (Decoder, Batcher, Enhancer with ESRGAN in a worker, Encoder) writing into `dir`. */
function upscaleGraph(dir: string): string {
  const doc = JSON.parse(readFileSync('graphs/upscale.json', 'utf8')) as { nodes: { id: string; params: Record<string, unknown> }[] };
  doc.nodes.find((n) => n.id === 'encoder')!.params['path'] = join(dir, 'up.mp4');
  const file = join(dir, 'upscale.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

/** Waits until the run's Encoder has its partial file (every stage is loaded and frames flow). */
async function runningIn(dir: string, child: ReturnType<typeof spawnCli>): Promise<void> {
  assert.ok(await waitFor(() => partialFiles(dir).length > 0 || child.exitCode !== null, 60_000), `the run never started writing:\n${child.output()}`);
  assert.equal(child.exitCode, null, child.output());
}

describe('stopping a real run', () => {
  test('Ctrl-C twice while a model runs in a worker: exit 130 at once, no N-API abort, nothing left behind', async () => {
    const dir = tempDir('framefuse-safety-sigint-');
    const child = spawnCli(['run', upscaleGraph(dir), '--threads', '1']);
    await runningIn(dir, child);
    await new Promise((r) => setTimeout(r, 1500)); // the enhancer is inside its session runs now
    const ffmpegs = childPids(child.pid!);
    assert.ok(ffmpegs.length >= 1, 'the encoder ffmpeg runs');
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    const { code, signal } = await exitOf(child);
    assert.equal(signal, null, child.output());
    assert.equal(code, 130, child.output());
    assert.doesNotMatch(child.output(), /terminate called|Napi::Error|Aborted/);
    assert.deepEqual(partialFiles(dir), [], 'no partial file');
    assert.deepEqual(readdirSync(dir).sort(), ['upscale.json'], 'no output under any name');
    for (const pid of ffmpegs) assert.ok(await gone(pid, 3000), `ffmpeg ${pid} is gone`);
  });

  test('SIGTERM cancels cleanly and exits 143', async () => {
    const dir = tempDir('framefuse-safety-sigterm-');
    const long = makeClip(join(dir, 'long.mp4'), { width: 320, height: 240, fps: 25, seconds: 8 });
    const child = spawnCli(['run', 'graphs/transcode.json', '--set', `decoder.path=${long}`, '--set', `encoder.path=${join(dir, 'out.mp4')}`, '--set', 'encoder.preset=veryslow']);
    await runningIn(dir, child);
    child.kill('SIGTERM');
    const { code } = await exitOf(child);
    assert.equal(code, 143, child.output());
    assert.match(child.output(), /cancelled/);
    assert.deepEqual(readdirSync(dir), ['long.mp4']);
  });

  test("the decoder's ffmpeg killed from outside: FF_FFMPEG_KILLED naming the signal, exit 1, no conceal advice", async () => {
    const dir = tempDir('framefuse-safety-kill-ffmpeg-');
    const long = makeClip(join(dir, 'long.mp4'), { width: 320, height: 240, fps: 25, seconds: 8 });
    for (const onCorrupt of ['fail', 'conceal']) {
      const child = spawnCli(['run', 'graphs/transcode.json', '--set', `decoder.path=${long}`, '--set', `decoder.onCorrupt=${onCorrupt}`, '--set', `encoder.path=${join(dir, 'out.mp4')}`, '--set', 'encoder.preset=veryslow']);
      await runningIn(dir, child);
      // The Encoder opens (and creates its partial file) before the Decoder starts ffmpeg.
      assert.ok(await waitFor(() => ffmpegChildren(child.pid!).decoder !== undefined, 20_000), 'the decoder ffmpeg runs');
      const { decoder } = ffmpegChildren(child.pid!);
      assert.ok(decoder);
      process.kill(decoder, 'SIGKILL');
      const { code } = await exitOf(child);
      assert.equal(code, 1, child.output());
      assert.match(child.output(), /error FF_FFMPEG_KILLED decoder: ffmpeg decoding .* was killed by SIGKILL/);
      assert.doesNotMatch(child.output(), /FF_MEDIA_CORRUPT|conceal|re-download/i);
      assert.deepEqual(readdirSync(dir), ['long.mp4']);
    }
  });

  test('kill -9 of the whole process: its ffmpeg ends, doctor lists the partial file, the next run removes it', async () => {
    const dir = tempDir('framefuse-safety-kill9-');
    const long = makeClip(join(dir, 'long.mp4'), { width: 320, height: 240, fps: 25, seconds: 8 });
    const args = ['run', 'graphs/transcode.json', '--set', `decoder.path=${long}`, '--set', `encoder.path=${join(dir, 'out.mp4')}`];
    const child = spawnCli([...args, '--set', 'encoder.preset=veryslow']);
    await runningIn(dir, child);
    const ffmpegs = childPids(child.pid!);
    const left = partialFiles(dir);
    child.kill('SIGKILL');
    await exitOf(child);
    for (const pid of ffmpegs) assert.ok(await gone(pid, 20_000), `ffmpeg ${pid} ended by itself once its pipes closed`);
    assert.deepEqual(partialFiles(dir), left, 'a killed process cannot clean up: its partial file is there');
    const doctor = cli(['doctor', '--json', '--dir', dir]);
    assert.deepEqual(JSON.parse(doctor.stdout).stalePartFiles, left.map((n) => join(dir, n)));
    const next = cli([...args, '--set', 'decoder.end=5', '--set', 'encoder.preset=ultrafast']);
    assert.equal(next.code, 0, next.stderr);
    assert.deepEqual(partialFiles(dir), [], 'the next run into the folder removed it');
    assert.deepEqual(readdirSync(dir).sort(), ['long.mp4', 'out.mp4']);
  });
});
