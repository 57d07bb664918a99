/**
 * The Encoder node, fed by the Decoder as the scheduler feeds it: bit-exact lossless
 * passthrough, audio muxed back in sync (copied, trimmed, re-encoded, absent), codecs and
 * containers, temp-then-rename, bad outputs, cancel and hardware fallback.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import encoderNode from '../../nodes/encoder.js';
import { isFramefuseError } from '../../src/errors.js';
import { EncodeSession } from '../../src/media/encode-session.js';
import type { NodeInstance } from '../../src/node-api/define-node.js';
import { FFMPEG, REAL_CLIP, childFfmpegPids, decodeAll, makeClip, makeContext, parseParams, pipe, processAlive, tempDir, tools } from './media-helpers.js';

const dir = tempDir();
const RGB_LOSSLESS = ['-c:v', 'libx264rgb', '-qp', '0', '-preset', 'ultrafast', '-pix_fmt', 'rgb24'];
const av = makeClip(join(dir, 'av.mp4'), { width: 96, height: 64, fps: 25, seconds: 2, audio: true });
const avLossless = makeClip(join(dir, 'av-lossless.mkv'), { width: 64, height: 48, fps: 25, seconds: 2, audio: true, codec: RGB_LOSSLESS });

interface StreamFacts {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  r_frame_rate?: string;
  nb_frames?: string;
  duration?: string;
}

function streams(path: string): StreamFacts[] {
  const out = spawnSync(tools.ffprobe!.path, ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_type,codec_name,width,height,r_frame_rate,nb_read_frames,duration', '-of', 'json', path], { encoding: 'utf8' });
  const parsed = JSON.parse(out.stdout) as { streams: (StreamFacts & { nb_read_frames?: string })[] };
  return parsed.streams.map((s) => ({ ...s, nb_frames: s.nb_read_frames }));
}

const video = (path: string) => streams(path).find((s) => s.codec_type === 'video')!;
const audio = (path: string) => streams(path).find((s) => s.codec_type === 'audio');
const leftovers = (folder: string) => readdirSync(folder).filter((n) => n.includes('.part') || n.includes('.kept-'));
const isError = (code: string) => (e: unknown) => isFramefuseError(e) && e.code === code;

test('lossless passthrough: every frame equal byte for byte; count, fps, duration and audio kept', async () => {
  const out = join(dir, 'lossless-out.mkv');
  const { result } = await pipe({ path: avLossless }, { path: out, pixelFormat: 'rgb24', quality: 100, preset: 'ultrafast', hardware: 'never' });
  assert.deepEqual(result, { path: out, frames: 50, duration: 2, encoder: 'libx264', audio: 'copied', bytes: (result as { bytes: number }).bytes, hardware: false });
  const a = await decodeAll({ path: avLossless });
  const b = await decodeAll({ path: out });
  assert.equal(b.frames.length, a.frames.length);
  a.frames.forEach((f, i) => assert.ok(Buffer.compare(f.data, b.frames[i]!.data) === 0, `frame ${i}`));
  assert.deepEqual(b.opened.frames, a.opened.frames);
  const [srcAudio, outAudio] = [audio(avLossless)!, audio(out)!];
  assert.equal(outAudio.codec_name, 'aac');
  assert.ok(Math.abs(Number(outAudio.duration ?? NaN) - Number(srcAudio.duration ?? NaN)) < 0.002 || (srcAudio.duration === undefined && outAudio.duration === undefined));
  // The video keeps its offset behind the audio as in the source (Matroska's audio
  // priming), to the nearest frame: the output is written on a frame grid.
  assert.ok(Math.abs(b.opened.audio.start - a.opened.audio.start) <= 0.5 / 25 + 1e-3, `${b.opened.audio.start} vs ${a.opened.audio.start}`);
});

test('mp4 passthrough with sound: same frame count, fps and audio duration; index at the front', async () => {
  const out = join(dir, 'av-out.mp4');
  const { result, encoderLogs } = await pipe({ path: av }, { path: out, preset: 'ultrafast' });
  assert.equal((result as { audio: string }).audio, 'copied');
  const v = video(out);
  assert.deepEqual([v.codec_name, v.width, v.height, v.r_frame_rate, v.nb_frames], ['h264', 96, 64, '25/1', '50']);
  assert.ok(Math.abs(Number(audio(out)!.duration) - Number(audio(av)!.duration)) < 0.001);
  const bytes = readFileSync(out);
  assert.ok(bytes.indexOf('moov') < bytes.indexOf('mdat'), 'faststart puts moov before mdat');
  assert.ok(encoderLogs.info.some((m) => m.includes('libx264')));
  assert.deepEqual(leftovers(dir), []);
});

test('no audio in, no audio track out; "drop" drops it', async () => {
  const a = join(dir, 'silent.mp4');
  await pipe({ path: REAL_CLIP, end: 12 }, { path: a, preset: 'ultrafast' });
  assert.equal(audio(a), undefined);
  assert.equal(video(a).nb_frames, '12');
  const b = join(dir, 'dropped.mp4');
  const { result } = await pipe({ path: av }, { path: b, preset: 'ultrafast', audio: 'drop' });
  assert.equal((result as { audio: string }).audio, 'none');
  assert.equal(audio(b), undefined);
});

test('a trim keeps the audio in sync: the same range, re-encoded', async () => {
  const out = join(dir, 'trim.mp4');
  const { result } = await pipe({ path: av, start: 10, end: 35 }, { path: out, preset: 'ultrafast' });
  assert.equal((result as { audio: string }).audio, 'reencoded');
  assert.equal(video(out).nb_frames, '25');
  const seconds = Number(audio(out)!.duration);
  assert.ok(Math.abs(seconds - 1) < 0.05, `audio lasts ${seconds} s for 1 s of video`);
});

test('Encoder fps: 25 -> 10 fps keeps the duration', async () => {
  const out = join(dir, 'fps10.mp4');
  await pipe({ path: av }, { path: out, preset: 'ultrafast', fps: 10 });
  const v = video(out);
  assert.equal(v.r_frame_rate, '10/1');
  assert.equal(v.nb_frames, '20');
});

test('odd sizes are padded to even for 4:2:0, with a warning', async () => {
  const odd = makeClip(join(dir, 'odd.mkv'), { width: 65, height: 47, codec: RGB_LOSSLESS });
  const out = join(dir, 'odd-out.mp4');
  const { encoderLogs } = await pipe({ path: odd }, { path: out, preset: 'ultrafast' });
  assert.deepEqual([video(out).width, video(out).height], [66, 48]);
  assert.ok(encoderLogs.warn.some((m) => /padded/.test(m)));
});

test('hevc in mp4, vp9 in webm (audio re-encoded to opus), prores in mov', async () => {
  const cases = [
    { path: join(dir, 'c.hevc.mp4'), codec: 'hevc', expect: 'hevc', audioCodec: 'aac' },
    { path: join(dir, 'c.vp9.webm'), codec: 'auto', expect: 'vp9', audioCodec: 'opus' },
    { path: join(dir, 'c.prores.mov'), codec: 'prores', expect: 'prores', audioCodec: 'aac' },
  ];
  for (const c of cases) {
    await pipe({ path: av, end: 10 }, { path: c.path, codec: c.codec, preset: 'ultrafast', hardware: 'never' });
    const v = video(c.path);
    assert.deepEqual([v.codec_name, v.nb_frames, v.width], [c.expect, '10', 96], c.path);
    assert.equal(audio(c.path)?.codec_name, c.audioCodec, c.path);
  }
});

test('unsupported codecs and containers are refused before anything is written', async () => {
  const frames = { width: 64, height: 48, fps: 25, frameCount: 10 };
  assert.throws(() => parseParams(encoderNode, { path: 'x.mp4', codec: 'xvid' }));
  await assert.rejects(EncodeSession.open({ path: join(dir, 'x.mp4'), frames, codec: 'xvid' as never }), isError('FF_CODEC_UNSUPPORTED'));
  await assert.rejects(EncodeSession.open({ path: join(dir, 'x.mp4'), frames, codec: 'prores' }), (e: unknown) => isError('FF_CODEC_UNSUPPORTED')(e) && /\.mkv takes every codec/.test((e as { fix?: string }).fix ?? ''));
  await assert.rejects(EncodeSession.open({ path: join(dir, 'x.avi'), frames }), isError('FF_OUTPUT_FORMAT_UNSUPPORTED'));
  assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('x.') || n.startsWith('.x.')), []);
});

test('an output folder that cannot be written: FF_OUTPUT_NOT_WRITABLE (user error), nothing written', async () => {
  const blocker = join(dir, 'a-file');
  writeFileSync(blocker, 'not a folder');
  for (const target of [join(blocker, 'out.mp4'), join(blocker, 'deeper', 'out.mp4'), dir]) {
    await assert.rejects(pipe({ path: av }, { path: target }), (e: unknown) => isError('FF_OUTPUT_NOT_WRITABLE')(e) && (e as { kind: string }).kind === 'user' && (e as Error).message.includes(target === dir ? dir : blocker));
  }
  assert.deepEqual(childFfmpegPids(), []);
});

test('ffmpeg writes a temporary file beside the target; the name appears only at the end', async () => {
  const sub = tempDir();
  const out = join(sub, 'final.mp4');
  const seen: string[][] = [];
  await pipe({ path: REAL_CLIP, end: 48 }, { path: out, preset: 'ultrafast' }, {
    onChunk: () => {
      seen.push(readdirSync(sub));
    },
  });
  assert.ok(seen.length > 2);
  for (const names of seen) {
    assert.ok(!names.includes('final.mp4'), 'no file under the final name during the run');
    assert.equal(names.filter((n) => /^\.final\.ff\d+-[0-9a-f]{8}\.part\.mp4$/.test(n)).length, 1);
  }
  assert.deepEqual(readdirSync(sub), ['final.mp4']);
});

test('cancel mid-run: FF_CANCELLED, no ffmpeg left, no output, no temporary file (unless keepTemp)', async () => {
  for (const keepTemp of [false, true]) {
    const sub = tempDir();
    const controller = new AbortController();
    const pids: number[] = [];
    const started = Date.now();
    await assert.rejects(
      pipe({ path: REAL_CLIP }, { path: join(sub, 'out.mp4'), preset: 'ultrafast', keepTemp }, {
        signal: controller.signal,
        onChunk: (n) => {
          if (n === 3) {
            pids.push(...childFfmpegPids());
            controller.abort();
          }
        },
      }),
      isError('FF_CANCELLED'),
    );
    assert.ok(Date.now() - started < 5000);
    assert.equal(pids.length, 2, 'a decoder and an encoder ffmpeg were running');
    for (const pid of pids) assert.ok(!processAlive(pid), `ffmpeg ${pid} is gone`);
    assert.deepEqual(childFfmpegPids(), []);
    assert.ok(!existsSync(join(sub, 'out.mp4')));
    assert.equal(leftovers(sub).length, keepTemp ? 1 : 0);
  }
});

test('a failure elsewhere in the run: dispose leaves no output and no ffmpeg', async () => {
  const sub = tempDir();
  await assert.rejects(
    pipe({ path: REAL_CLIP }, { path: join(sub, 'out.mp4'), preset: 'ultrafast' }, {
      onChunk: (n) => {
        if (n === 2) throw new Error('a node downstream failed');
      },
    }),
    /a node downstream failed/,
  );
  assert.deepEqual(readdirSync(sub), []);
  assert.deepEqual(childFfmpegPids(), []);
});

test('ffmpeg killed mid-encode: FF_FFMPEG_KILLED naming the signal (operational), no output', async () => {
  const sub = tempDir();
  const ctx = makeContext('encoder', parseParams(encoderNode, { path: join(sub, 'out.mp4'), preset: 'ultrafast' }));
  const encoder = (await encoderNode.create(ctx)) as NodeInstance;
  const frames = { width: 64, height: 48, fps: 25, frameCount: null };
  await encoder.open!({ frames });
  const frame = () => ({ width: 64, height: 48, data: new Uint8Array(64 * 48 * 3).fill(128) });
  await encoder.process!({ indices: [0], pts: [0], inputs: { frames: [frame()] } });
  const [pid] = childFfmpegPids();
  process.kill(pid!, 'SIGKILL');
  await assert.rejects(
    (async () => {
      for (let i = 1; i < 100; i++) await encoder.process!({ indices: [i], pts: [i / 25], inputs: { frames: [frame()] } });
      await encoder.finish!();
    })(),
    (e: unknown) => isError('FF_FFMPEG_KILLED')(e) && /killed by SIGKILL/.test((e as Error).message) && (e as { kind: string }).kind === 'operational',
  );
  await encoder.dispose!();
  assert.deepEqual(readdirSync(sub), []);
});

test('frames of the wrong size and an empty stream are refused with their own codes', async () => {
  const sub = tempDir();
  const open = async () => {
    const ctx = makeContext('encoder', parseParams(encoderNode, { path: join(sub, 'out.mp4'), preset: 'ultrafast' }));
    const encoder = (await encoderNode.create(ctx)) as NodeInstance;
    await encoder.open!({ frames: { width: 64, height: 48, fps: 25, frameCount: null } });
    return encoder;
  };
  const a = await open();
  await assert.rejects(a.process!({ indices: [0], pts: [0], inputs: { frames: [{ width: 32, height: 48, data: new Uint8Array(32 * 48 * 3) }] } }) as Promise<unknown>, isError('FF_FRAME_SIZE_MISMATCH'));
  await a.dispose!();
  const b = await open();
  await assert.rejects(b.finish!() as Promise<unknown>, isError('FF_ENCODE_NO_FRAMES'));
  await b.dispose!();
  assert.deepEqual(readdirSync(sub), []);
});

/** An ffmpeg stand-in that claims h264_nvenc, passes the test encode, then fails on real frames. */
function fakeHardwareFfmpeg(folder: string): string {
  const path = join(folder, 'ffmpeg');
  writeFileSync(
    path,
    `#!/bin/sh
case "$*" in
  *-encoders*) "${FFMPEG}" "$@"; echo " V..... h264_nvenc           NVIDIA NVENC H.264 encoder (fake)"; exit 0;;
  *h264_nvenc*lavfi*|*lavfi*h264_nvenc*) exit 0;;
  *h264_nvenc*) head -c 20000 >/dev/null; echo "OpenEncodeSessionEx failed: out of memory (10): (no details)" >&2; exit 1;;
  *) exec "${FFMPEG}" "$@";;
esac
`,
  );
  chmodSync(path, 0o755);
  return path;
}

test('hardware fallback: a hardware encoder that fails on real frames is replaced by software, with a warning, losing no frame', async () => {
  const sub = tempDir();
  const fake = { ffmpeg: { path: fakeHardwareFfmpeg(sub), source: 'env' as const }, ffprobe: tools.ffprobe };
  const source = await decodeAll({ path: avLossless, end: 20 });
  const warnings: string[] = [];
  const session = await EncodeSession.open({
    path: join(sub, 'out.mkv'),
    frames: source.opened.frames,
    audio: source.opened.audio,
    pixelFormat: 'rgb24',
    quality: 100,
    preset: 'ultrafast',
    tools: fake,
    log: { info: () => {}, warn: (m) => warnings.push(m) },
  });
  assert.equal(session.encoderName, 'h264_nvenc', 'the test encode passed, so the hardware encoder is chosen');
  try {
    for (let i = 0; i < source.frames.length; i += 4) await session.write(source.frames.slice(i, i + 4));
    const result = await session.finish();
    assert.equal(result.hardware, false);
    assert.equal(result.encoder, 'libx264');
    assert.equal(result.frames, 20);
  } finally {
    await session.dispose();
  }
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /h264_nvenc failed on the real frames, re-encoding with libx264 \(software\)/);
  assert.match(warnings[0]!, /OpenEncodeSessionEx failed/);
  const again = await decodeAll({ path: join(sub, 'out.mkv') });
  assert.equal(again.frames.length, 20);
  source.frames.forEach((f, i) => assert.ok(Buffer.compare(f.data, again.frames[i]!.data) === 0, `frame ${i}`));
});

test('hardware "require" without a working hardware encoder: FF_HARDWARE_UNAVAILABLE naming why', async () => {
  await assert.rejects(
    EncodeSession.open({ path: join(dir, 'hw.mp4'), frames: { width: 64, height: 48, fps: 25, frameCount: null }, hardware: 'require' }),
    (e: unknown) => isError('FF_HARDWARE_UNAVAILABLE')(e) && /hardware/.test(String((e as { fix?: string }).fix)),
  );
  assert.ok(!existsSync(join(dir, 'hw.mp4')));
});
