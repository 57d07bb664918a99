/**
 * The CLI runs a live graph headless until Ctrl-C: graphs/live-anonymize.json with its
 * Camera reading a file at its own rate (-re), stopped with SIGINT after a few seconds.
 * The first SIGINT ends the stream: the run finishes, exits 0, the Encoder's file is
 * complete and valid, the live figures are printed, and no ffmpeg is left.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeMedia } from '../../src/media/probe.js';

/** Pids of running processes whose command line mentions `text`. */
function processesWith(text: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

test('framefuse run graphs/live-anonymize.json --set camera.url=<file> runs until SIGINT, then finishes cleanly', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ff-live-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'live.mp4');
  const metricsFile = join(dir, 'metrics.json');
  // The camera reads its own copy of the clip: other tests running beside this one read the
  // sample itself, so only this copy's name tells this run's ffmpeg apart.
  const clip = join(dir, 'camera.mp4');
  copyFileSync('samples/tears_of_steel_clip01_640x360.mp4', clip);
  const child = spawn(
    process.execPath,
    ['bin/framefuse.js', 'run', 'graphs/live-anonymize.json', '--set', `camera.url=${clip}`, '--set', 'camera.loop=true', '--set', `encoder.path=${out}`, '--metrics', metricsFile],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const deadline = Date.now() + 30_000;
  // Frames flowing (the detector's model loads first; the progress line counts frames out).
  while (!/progress [1-9]\d* frames/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.match(stderr, /progress/, `the run did not start: ${stderr}`);
  // Let at least 40 frames through (about 2 s on an idle machine; longer on a loaded one), at least 3 s.
  const framesSeen = (): number => Math.max(0, ...[...stderr.matchAll(/progress (\d+) frames/g)].map((m) => Number(m[1])));
  const flowing = Date.now();
  while ((framesSeen() < 40 || Date.now() - flowing < 3000) && Date.now() < deadline + 30_000) await new Promise((r) => setTimeout(r, 100));
  assert.ok(processesWith(join(dir, 'live')).filter((pid) => pid !== child.pid).length >= 1, 'the Encoder ffmpeg runs while the stream goes');
  child.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.equal(code, 0, stderr);
  assert.match(stderr, /stopping the live stream/);
  assert.match(stderr, /live: latency p50 \d+ ms, p95 \d+ ms/);
  assert.ok(existsSync(out), `no output: ${stderr}`);
  const info = await probeMedia(out);
  assert.equal(info.video!.width, 640);
  assert.equal(info.video!.height, 480);
  const metrics = JSON.parse(readFileSync(metricsFile, 'utf8'));
  assert.ok(metrics.live.framesOut >= 30, `only ${metrics.live.framesOut} frames reached the sinks`);
  assert.ok((info.video!.frameCount ?? 0) >= 30);
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.part')), [], 'no partial file left');
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(processesWith(join(dir, 'live')), [], 'no process left that writes the output');
  assert.deepEqual(processesWith(clip), [], 'no ffmpeg left reading the camera URL');
});
