/**
 * Probing: the facts a Decoder plans with, through ffprobe and through `ffmpeg -i` alone,
 * and a clear, coded error for every kind of unusable file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { probeMedia } from '../../src/media/probe.js';
import { discoverTools } from '../../src/media/ffmpeg-tools.js';
import { isFramefuseError } from '../../src/errors.js';
import { REAL_CLIP, ffmpeg, makeClip, tempDir, tools } from './media-helpers.js';

const dir = tempDir();
const withAudio = makeClip(join(dir, 'av.mp4'), { width: 96, height: 64, fps: 25, seconds: 2, audio: true });
const oddSize = makeClip(join(dir, 'odd.mkv'), { width: 65, height: 47, fps: 30, seconds: 1, codec: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv444p'] });
const rotated = join(dir, 'rotated.mp4');
ffmpeg(['-i', makeClip(join(dir, 'upright.mp4'), { width: 64, height: 48 }), '-c', 'copy', '-metadata:s:v:0', 'rotate=90', rotated]);
const noFfprobe = { ffmpeg: tools.ffmpeg, ffprobe: null };

async function probeError(path: string) {
  try {
    await probeMedia(path);
  } catch (error) {
    assert.ok(isFramefuseError(error), `expected a FramefuseError, got ${String(error)}`);
    return error;
  }
  assert.fail(`probing ${path} should have failed`);
}

test('probes the real clip: 640x360, 24 fps, 240 frames, 10 s, no audio', async () => {
  const info = await probeMedia(REAL_CLIP);
  assert.equal(info.probedWith, 'ffprobe');
  assert.deepEqual(
    { w: info.video?.width, h: info.video?.height, fps: info.video?.fps, n: info.video?.frameCount, exact: info.video?.frameCountExact, rot: info.video?.rotation },
    { w: 640, h: 360, fps: 24, n: 240, exact: true, rot: 0 },
  );
  assert.equal(info.duration, 10);
  assert.deepEqual(info.audio, []);
});

test('finds the audio stream of a clip with sound', async () => {
  const info = await probeMedia(withAudio);
  assert.equal(info.video?.frameCount, 50);
  assert.equal(info.audio.length, 1);
  assert.equal(info.audio[0]?.codec, 'aac');
  assert.equal(info.audio[0]?.sampleRate, 48000);
});

test('reports rotation metadata and the upright size', async () => {
  const info = await probeMedia(rotated);
  assert.ok(info.video?.rotation === 90 || info.video?.rotation === 270, `rotation ${info.video?.rotation}`);
  assert.deepEqual([info.video?.width, info.video?.height, info.video?.codedWidth, info.video?.codedHeight], [48, 64, 64, 48]);
});

test('counts the frames of a Matroska file, whose header has no frame count', async () => {
  const info = await probeMedia(oddSize);
  assert.deepEqual([info.video?.width, info.video?.height, info.video?.fps, info.video?.frameCount, info.video?.frameCountExact], [65, 47, 30, 30, true]);
});

test('without ffprobe, probing through `ffmpeg -i` gives the same facts', async () => {
  for (const file of [REAL_CLIP, withAudio, rotated, oddSize]) {
    const a = await probeMedia(file);
    const b = await probeMedia(file, { tools: noFfprobe });
    assert.equal(b.probedWith, 'ffmpeg');
    for (const key of ['width', 'height', 'rotation', 'fps', 'frameCount', 'codec'] as const) {
      assert.equal(b.video?.[key], a.video?.[key], `${file}: ${key}`);
    }
    assert.deepEqual(b.audio.map((s) => [s.index, s.codec, s.sampleRate]), a.audio.map((s) => [s.index, s.codec, s.sampleRate]));
  }
});

test('a path that does not exist: FF_MEDIA_NOT_FOUND naming the file', async () => {
  const error = await probeError(join(dir, 'missing.mp4'));
  assert.equal(error.code, 'FF_MEDIA_NOT_FOUND');
  assert.equal(error.kind, 'user');
  assert.match(error.message, /missing\.mp4 does not exist/);
});

test('a folder: FF_MEDIA_NOT_FOUND', async () => {
  assert.equal((await probeError(dir)).code, 'FF_MEDIA_NOT_FOUND');
});

test('a zero-byte file: FF_MEDIA_EMPTY', async () => {
  const empty = join(dir, 'empty.mp4');
  writeFileSync(empty, '');
  const error = await probeError(empty);
  assert.equal(error.code, 'FF_MEDIA_EMPTY');
  assert.match(error.message, /empty\.mp4 is an empty file/);
});

test('a text file, even named .mp4: FF_MEDIA_NOT_VIDEO', async () => {
  for (const name of ['notes.txt', 'notes.mp4']) {
    const file = join(dir, name);
    writeFileSync(file, 'this is a shopping list, not a video\n'.repeat(20));
    const error = await probeError(file);
    assert.equal(error.code, 'FF_MEDIA_NOT_VIDEO', name);
    assert.match(error.message, /is a text file, not a video/);
  }
});

test('a still image: FF_MEDIA_NOT_VIDEO', async () => {
  const png = join(dir, 'still.png');
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x48', '-frames:v', '1', png]);
  const error = await probeError(png);
  assert.equal(error.code, 'FF_MEDIA_NOT_VIDEO');
  assert.match(error.message, /still image/);
});

test('an audio-only file: FF_MEDIA_NO_VIDEO_STREAM', async () => {
  const m4a = join(dir, 'sound.m4a');
  ffmpeg(['-f', 'lavfi', '-i', 'sine=duration=1', '-c:a', 'aac', m4a]);
  const error = await probeError(m4a);
  assert.equal(error.code, 'FF_MEDIA_NO_VIDEO_STREAM');
  assert.match(error.message, /sound\.m4a has no video stream: it holds only audio \(aac\)/);
});

test('an mp4 cut off before its index was written: FF_MEDIA_CORRUPT with ffmpeg\'s own words', async () => {
  const whole = makeClip(join(dir, 'long.mp4'), { width: 160, height: 120, seconds: 2, codec: ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '5'] });
  const cut = join(dir, 'cut.mp4');
  const bytes = readFileSync(whole);
  writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
  for (const t of [tools, noFfprobe]) {
    try {
      await probeMedia(cut, { tools: t });
      assert.fail('should fail');
    } catch (error) {
      assert.ok(isFramefuseError(error));
      assert.equal(error.code, 'FF_MEDIA_CORRUPT');
      assert.match(error.message, /cut\.mp4 looks like a video but cannot be opened/);
      assert.match(error.message, /ffmpeg said:\n.*moov atom not found/);
    }
  }
});

test('discovery: FFMPEG_PATH wins over PATH, PATH over the npm binary; a bad FFMPEG_PATH is an error', () => {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const fake = join(bin, 'ffmpeg');
  writeFileSync(fake, '#!/bin/sh\nexit 0\n');
  chmodSync(fake, 0o755);
  assert.deepEqual(discoverTools({ env: { PATH: bin } }).ffmpeg, { path: fake, source: 'system' });
  assert.deepEqual(discoverTools({ env: { PATH: bin, FFMPEG_PATH: tools.ffmpeg.path } }).ffmpeg, { path: tools.ffmpeg.path, source: 'env' });
  const npm = discoverTools({ env: { PATH: '' } });
  assert.equal(npm.ffmpeg.source, 'npm');
  assert.equal(npm.ffprobe?.source, 'npm');
  assert.equal(discoverTools({ env: { PATH: '', FFPROBE_PATH: 'none' } }).ffprobe, null);
  assert.throws(() => discoverTools({ env: { FFMPEG_PATH: join(dir, 'nope') } }), (e: unknown) => isFramefuseError(e) && e.code === 'FF_FFMPEG_NOT_FOUND' && /FFMPEG_PATH is set to/.test(e.message));
  assert.throws(() => discoverTools({ env: { PATH: '' }, npm: false }), (e: unknown) => isFramefuseError(e) && e.code === 'FF_FFMPEG_NOT_FOUND');
});
