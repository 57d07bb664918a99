/**
 * The Decoder node, driven through its hooks: frame-exact output (checked against an
 * independent ffmpeg decode of a losslessly coded clip), trims, rate changes, scaling,
 * rotation, damaged files, validation and cancel.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import decoderNode from '../../nodes/decoder.js';
import { isFramefuseError } from '../../src/errors.js';
import { validateGraph } from '../../src/graph/validate.js';
import { graph, testRegistry } from '../helpers.js';
import type { Frame } from '../../src/model/port-values.js';
import type { NodeInstance } from '../../src/node-api/define-node.js';
import { FFMPEG, REAL_CLIP, childFfmpegPids, decodeAll, ffmpeg, makeClip, makeContext, parseParams, processAlive, tempDir } from './media-helpers.js';

const dir = tempDir();
// Lossless RGB coding: decoding it is exact whatever colour matrix is used, so frames can
// be compared byte for byte with ffmpeg's own decode.
const RGB_LOSSLESS = ['-c:v', 'libx264rgb', '-qp', '0', '-preset', 'ultrafast', '-pix_fmt', 'rgb24'];
const lossless = makeClip(join(dir, 'lossless.mkv'), { width: 64, height: 48, fps: 25, seconds: 2, audio: true, codec: RGB_LOSSLESS });

/** ffmpeg's own decode of every frame, as the reference. */
function referenceFrames(path: string, width: number, height: number): Uint8Array[] {
  const out = spawnSync(FFMPEG, ['-v', 'error', '-i', path, '-map', '0:v:0', '-vsync', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 1 << 30 });
  const size = width * height * 3;
  const frames: Uint8Array[] = [];
  for (let o = 0; o + size <= out.stdout.length; o += size) frames.push(new Uint8Array(out.stdout.subarray(o, o + size)));
  return frames;
}

const same = (a: Uint8Array, b: Uint8Array | undefined) => b !== undefined && Buffer.compare(a, b) === 0;

test('the real clip decodes to 240 upright 640x360 frames with indices and timestamps, each in its own buffer', async () => {
  const { opened, frames, indices, pts } = await decodeAll({ path: REAL_CLIP });
  assert.deepEqual(opened.frames, { width: 640, height: 360, fps: 24, frameCount: 240 });
  assert.equal(opened.audio.streamIndex, null);
  assert.equal(frames.length, 240);
  assert.deepEqual(indices, Array.from({ length: 240 }, (_, i) => i));
  assert.deepEqual(pts, indices.map((i) => i / 24));
  const buffers = new Set<ArrayBufferLike>();
  for (const f of frames) {
    assert.equal(f.width, 640);
    assert.equal(f.height, 360);
    assert.equal(f.data.byteOffset, 0);
    assert.equal(f.data.byteLength, 640 * 360 * 3);
    assert.equal(f.data.buffer.byteLength, 640 * 360 * 3, 'a frame owns exactly its buffer');
    buffers.add(f.data.buffer);
  }
  assert.equal(buffers.size, 240);
  // Not a constant picture: the clip moves.
  assert.ok(!same(frames[0]!.data, frames[120]!.data));
});

test('frame-exact: every frame equals ffmpeg\'s own decode, none duplicated or dropped', async () => {
  const ref = referenceFrames(lossless, 64, 48);
  assert.equal(ref.length, 50);
  const { frames, opened } = await decodeAll({ path: lossless });
  assert.equal(opened.frames.frameCount, 50);
  assert.equal(frames.length, 50);
  frames.forEach((f, i) => assert.ok(same(f.data, ref[i]), `frame ${i}`));
});

test('trim by frames gives exactly source frames start..end-1, and the audio range to match', async () => {
  const ref = referenceFrames(lossless, 64, 48);
  for (const [start, end] of [[7, 31], [1, 2], [0, 13], [37, 50]] as const) {
    const { frames, opened, indices } = await decodeAll({ path: lossless, start, end });
    assert.equal(frames.length, end - start, `${start}..${end}`);
    assert.deepEqual(indices, Array.from({ length: end - start }, (_, i) => i));
    frames.forEach((f, i) => assert.ok(same(f.data, ref[start + i]), `${start}..${end}: output ${i} is source ${start + i}`));
    assert.equal(opened.frames.frameCount, end - start);
    // On the file's clock: the video of this Matroska file starts a little after 0 (audio priming).
    const offset = opened.audio.start - start / 25;
    assert.ok(offset >= 0 && offset < 0.05, `audio start ${opened.audio.start}`);
    assert.ok(Math.abs((opened.audio.end ?? NaN) - opened.audio.start - (end - start) / 25) < 1e-9);
    assert.equal(opened.audio.streamIndex, 1);
  }
});

test('trim by seconds', async () => {
  const ref = referenceFrames(lossless, 64, 48);
  const { frames } = await decodeAll({ path: lossless, start: 0.4, end: 1.2, unit: 'seconds' });
  assert.equal(frames.length, 20);
  frames.forEach((f, i) => assert.ok(same(f.data, ref[10 + i]), `output ${i}`));
});

test('a trim that starts past the end is refused with FF_TRIM_OUT_OF_RANGE', async () => {
  await assert.rejects(decodeAll({ path: lossless, start: 50 }), (e: unknown) => isFramefuseError(e) && e.code === 'FF_TRIM_OUT_OF_RANGE' && e.field === 'start');
  await assert.rejects(decodeAll({ path: lossless, start: 5, end: 5 }), (e: unknown) => isFramefuseError(e) && e.code === 'FF_TRIM_OUT_OF_RANGE' && e.field === 'end');
});

test('fps change: 25 -> 10 fps gives 20 frames for 2 s, each a source frame, in order', async () => {
  const ref = referenceFrames(lossless, 64, 48);
  const { frames, opened, pts } = await decodeAll({ path: lossless, fps: 10 });
  assert.equal(opened.frames.fps, 10);
  assert.equal(frames.length, 20);
  assert.ok(Math.abs(pts[5]! - 0.5) < 1e-9);
  let last = -1;
  for (const [i, f] of frames.entries()) {
    const at = ref.findIndex((r, k) => k > last && same(f.data, r));
    assert.ok(at > last, `frame ${i} is a later source frame`);
    assert.ok(Math.abs(at - i * 2.5) <= 1.5, `frame ${i} is source ${at}, near ${i * 2.5}`);
    last = at;
  }
});

test('scale: a width alone keeps the aspect ratio; both set the size', async () => {
  const a = await decodeAll({ path: REAL_CLIP, width: 320, end: 3 });
  assert.deepEqual([a.opened.frames.width, a.opened.frames.height], [320, 180]);
  assert.equal(a.frames[0]!.data.byteLength, 320 * 180 * 3);
  const b = await decodeAll({ path: REAL_CLIP, width: 100, height: 50, end: 3 });
  assert.deepEqual([b.frames[2]!.width, b.frames[2]!.height], [100, 50]);
});

/** Rotates an RGB frame clockwise by 90, 180 or 270 degrees. */
function rotateCw(f: Frame, degrees: number): Uint8Array {
  const { width: w, height: h, data } = f;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let nx: number, ny: number, nw: number;
      if (degrees === 90) [nx, ny, nw] = [h - 1 - y, x, h];
      else if (degrees === 180) [nx, ny, nw] = [w - 1 - x, h - 1 - y, w];
      else [nx, ny, nw] = [y, w - 1 - x, h];
      out.set(data.subarray((y * w + x) * 3, (y * w + x) * 3 + 3), (ny * nw + nx) * 3);
    }
  }
  return out;
}

test('rotation metadata: frames come out upright', async () => {
  const upright = makeClip(join(dir, 'upright.mp4'), { width: 64, height: 48, seconds: 0.5, codec: RGB_LOSSLESS });
  const rotated = join(dir, 'rotated.mp4');
  ffmpeg(['-i', upright, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', rotated]);
  const plain = await decodeAll({ path: upright });
  const turned = await decodeAll({ path: rotated });
  assert.deepEqual([turned.opened.frames.width, turned.opened.frames.height], [48, 64]);
  assert.equal(turned.frames.length, plain.frames.length);
  const info = turned.logs.info.join(' ');
  const degrees = /rotated (\d+)°/.exec(info)?.[1];
  assert.ok(degrees === '90' || degrees === '270', info);
  turned.frames.forEach((f, i) => assert.ok(same(f.data, rotateCw(plain.frames[i]!, Number(degrees))), `frame ${i} is the source turned ${degrees}° clockwise`));
});

test('decode damage mid-stream: FF_MEDIA_CORRUPT naming the frame; "conceal" decodes through with a warning', async () => {
  const whole = makeClip(join(dir, 'whole.mp4'), { width: 160, height: 120, fps: 25, seconds: 3, codec: ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '5', '-movflags', '+faststart'] });
  const bytes = readFileSync(whole);
  const damaged = join(dir, 'damaged.mp4');
  const copy = Buffer.from(bytes);
  copy.fill(0x5a, Math.floor(copy.length / 2), Math.floor(copy.length / 2) + 3000);
  writeFileSync(damaged, copy);
  const truncated = join(dir, 'truncated.mp4');
  writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
  for (const file of [damaged, truncated]) {
    const error = await decodeAll({ path: file }).then(
      () => assert.fail(`${file} should fail`),
      (e: unknown) => e,
    );
    assert.ok(isFramefuseError(error));
    assert.equal(error.code, 'FF_MEDIA_CORRUPT');
    assert.equal(error.kind, 'user');
    const at = Number(/failed at frame (\d+) of 75/.exec(error.message)?.[1]);
    assert.ok(at > 10 && at < 75, `${file}: ${error.message}`);
    assert.match(error.message, /ffmpeg said:/);
  }
  const concealed = await decodeAll({ path: damaged, onCorrupt: 'conceal' });
  assert.ok(concealed.frames.length > 40);
  assert.equal(concealed.logs.warn.length, 1);
  assert.match(concealed.logs.warn[0]!, /through damage/);
});

test('validation reports a missing input as FF_MEDIA_MISSING on the path parameter (through its role)', async () => {
  const env = { cwd: process.cwd(), models: 'models', providers: ['cpu' as const] };
  const decode = (path: string) => graph([['dec', 'Decoder', { path }], ['enc', 'Encoder', { path: join(dir, 'check-out.mp4') }]], ['dec.frames -> enc.frames']);
  const { problems } = await validateGraph(decode('no/such/clip.mp4'), await testRegistry(), { checkEnv: env });
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.deepEqual({ code: problems[0]!.code, node: problems[0]!.node, field: problems[0]!.field, severity: problems[0]!.severity }, { code: 'FF_MEDIA_MISSING', node: 'dec', field: 'path', severity: 'error' });
  assert.match(problems[0]!.message, /no\/such\/clip\.mp4 does not exist/);
  assert.deepEqual((await validateGraph(decode(REAL_CLIP), await testRegistry(), { checkEnv: env })).problems, []);
});

test('relative paths resolve against ctx.paths.cwd', async () => {
  const ctx = makeContext('decoder', parseParams(decoderNode, { path: 'lossless.mkv' }), { cwd: dir });
  const instance = (await decoderNode.create(ctx)) as NodeInstance;
  const opened = (await instance.open!({})) as { frames: { frameCount: number } };
  assert.equal(opened.frames.frameCount, 50);
  await instance.dispose?.();
});

test('cancel mid-stream stops promptly with FF_CANCELLED and leaves no ffmpeg process', async () => {
  const controller = new AbortController();
  const ctx = makeContext('decoder', parseParams(decoderNode, { path: REAL_CLIP }), { signal: controller.signal });
  const instance = (await decoderNode.create(ctx)) as NodeInstance;
  await instance.open!({});
  let chunks = 0;
  const pidsDuring: number[] = [];
  const started = Date.now();
  await assert.rejects(
    (async () => {
      for await (const _ of instance.produce!()) {
        chunks++;
        if (chunks === 2) {
          pidsDuring.push(...childFfmpegPids());
          controller.abort();
        }
      }
    })(),
    (e: unknown) => isFramefuseError(e) && e.code === 'FF_CANCELLED',
  );
  await instance.dispose?.();
  assert.ok(Date.now() - started < 3000);
  assert.equal(pidsDuring.length, 1, 'one ffmpeg ran while decoding');
  assert.ok(!processAlive(pidsDuring[0]!), 'the ffmpeg process is gone');
  assert.deepEqual(childFfmpegPids(), []);
});

test('a consumer that stops early (and dispose) leaves no ffmpeg process', async () => {
  const ctx = makeContext('decoder', parseParams(decoderNode, { path: REAL_CLIP }));
  const instance = (await decoderNode.create(ctx)) as NodeInstance;
  await instance.open!({});
  const iterator = instance.produce!()[Symbol.asyncIterator]();
  await iterator.next();
  const pids = childFfmpegPids();
  assert.equal(pids.length, 1);
  // The scheduler may abandon the iterator without returning it: dispose still cleans up.
  await instance.dispose?.();
  assert.ok(!processAlive(pids[0]!));
  assert.deepEqual(childFfmpegPids(), []);
});
