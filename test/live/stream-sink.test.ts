/**
 * The Stream sink publishes live: Camera (a file at its own rate) -> Stream to
 * udp://127.0.0.1:PORT, read back by a separate ffmpeg listening on that port, which must
 * receive decodable h264 frames of the right size. Then the run stops and no ffmpeg is left.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSocket } from 'node:dgram';
import { graph, resolveAndPlan } from '../helpers.js';
import { runPlan } from '../../src/run/run-plan.js';
import { FfmpegProcess, liveProcessCount, runToCompletion } from '../../src/media/ffmpeg-process.js';
import { getTools } from '../../src/media/ffmpeg-tools.js';

/** A UDP port free right now. */
async function freePort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

test('a Stream node publishes to udp://, where a listening ffmpeg receives the frames', async () => {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ff-stream-'));
  const received = join(dir, 'received.ts');
  // The listener: reads the mpegts stream from the port and keeps it as it came.
  const listener = new FfmpegProcess(getTools().ffmpeg.path, ['-hide_banner', '-loglevel', 'error', '-i', `udp://127.0.0.1:${port}?timeout=8000000`, '-c', 'copy', '-f', 'mpegts', received]);
  //  camera (file at its own rate, 320x240) ──> stream (udp)
  const { graph: g, plan } = await resolveAndPlan(
    graph([['camera', 'Camera', { url: 'samples/tears_of_steel_clip01_640x360.mp4', width: 320, height: 240 }], ['stream', 'Stream', { url: `udp://127.0.0.1:${port}?pkt_size=1316` }]], ['camera.frames -> stream.frames']),
  );
  const stop = new AbortController();
  setTimeout(() => stop.abort(), 3000);
  const { outputs } = await runPlan(g, plan, { live: { stop: stop.signal } });
  const result = outputs.stream as { frames: number; dropped: number };
  assert.ok(result.frames >= 40, `published ${result.frames} frames`);
  // The listener ends when the stream goes quiet (its timeout), or is stopped.
  const timer = setTimeout(() => void listener.stop(500), 12_000);
  await listener.exited;
  clearTimeout(timer);
  // Decode what arrived (the listener may have joined mid-GOP: ffmpeg skips to the first keyframe).
  const decoded = await runToCompletion(getTools().ffmpeg.path, ['-hide_banner', '-i', received, '-f', 'null', '-']);
  const log = decoded.stderr.join('\n');
  assert.match(log, /Video: h264.*320x240/, log);
  const frames = Number(/frame=\s*(\d+)/.exec(log)?.[1] ?? 0);
  assert.ok(frames >= 25, `only ${frames} frames decoded from the stream`);
  assert.equal(liveProcessCount(), 0, 'no ffmpeg left');
});
