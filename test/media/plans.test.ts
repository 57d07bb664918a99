/**
 * The pure parts of the media layer: decode and encode plans (the exact ffmpeg
 * arguments), the quality scale per encoder, the `ffmpeg -i` banner parser, and cutting a
 * pipe's bytes into frames.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planDecode } from '../../src/media/decode-plan.js';
import { planEncode, type EncodeSettings } from '../../src/media/encode-plan.js';
import { CONTAINERS, encoderArgs, qualityToScale, resolveCodec } from '../../src/media/encoder-catalog.js';
import { parseFfmpegBanner } from '../../src/media/probe-ffmpeg-banner.js';
import { parseEncoderList } from '../../src/media/ffmpeg-capabilities.js';
import { FrameAssembler } from '../../src/media/frame-assembler.js';
import type { MediaInfo, VideoStreamInfo } from '../../src/media/media-info.js';
import { isFramefuseError } from '../../src/errors.js';

function media(video: Partial<VideoStreamInfo> = {}, audio = true): MediaInfo {
  return {
    path: '/clips/in.mp4',
    format: 'mov,mp4,m4a,3gp,3g2,mj2',
    duration: 10,
    startTime: 0,
    sizeBytes: 1000,
    video: {
      index: 0, codec: 'h264', width: 1920, height: 1080, codedWidth: 1920, codedHeight: 1080, rotation: 0,
      fps: 24, fpsRational: '24/1', variableFrameRate: false, frameCount: 240, frameCountExact: true,
      duration: 10, startTime: 0, pixelFormat: 'yuv420p', colorSpace: null, ...video,
    },
    audio: audio ? [{ index: 1, codec: 'aac', channels: 2, sampleRate: 48000, duration: 10 }] : [],
    probedWith: 'ffprobe',
  };
}

const after = (args: string[], name: string) => args[args.indexOf(name) + 1];

test('decode plan, untouched: no seek, passthrough timing, HD untagged read as BT.709', () => {
  const plan = planDecode(media());
  assert.ok(!plan.args.includes('-ss'));
  assert.ok(!plan.args.includes('-frames:v'));
  assert.equal(after(plan.args, '-vsync'), 'passthrough');
  assert.equal(after(plan.args, '-vf'), 'scale=1920:1080:flags=bicubic:in_color_matrix=bt709,format=rgb24');
  assert.deepEqual(plan.frames, { width: 1920, height: 1080, fps: 24, frameCount: 240 });
  assert.deepEqual(plan.audio, { path: '/clips/in.mp4', streamIndex: 1, start: 0, end: null });
  assert.equal(plan.frameBytes, 1920 * 1080 * 3);
});

test('decode plan, frame trim: seeks half a frame early and counts frames exactly', () => {
  const plan = planDecode(media(), { start: 48, end: 96 });
  assert.equal(after(plan.args, '-ss'), (47.5 / 24).toFixed(6));
  assert.equal(after(plan.args, '-frames:v'), '48');
  assert.deepEqual([plan.audio.start, plan.audio.end], [2, 4]);
  assert.equal(plan.frames.frameCount, 48);
});

test('decode plan: the video start offset moves seeks and audio ranges along', () => {
  const plan = planDecode(media({ startTime: 0.021 }), { start: 24, end: 48 });
  assert.equal(after(plan.args, '-ss'), (0.021 + 23.5 / 24).toFixed(6));
  assert.ok(Math.abs(plan.audio.start - 1.021) < 1e-9);
  assert.ok(Math.abs((plan.audio.end ?? 0) - 2.021) < 1e-9);
});

test('decode plan, end past the file: to the end; fps change and VFR use the fps filter', () => {
  assert.equal(planDecode(media(), { start: 0, end: 10_000 }).frames.frameCount, 240);
  const slower = planDecode(media(), { fps: 10, end: 5, unit: 'seconds' });
  assert.equal(after(slower.args, '-vsync'), 'cfr');
  assert.match(after(slower.args, '-vf') ?? '', /^fps=10\/1,scale=/);
  assert.equal(slower.frames.frameCount, 50);
  const vfr = planDecode(media({ variableFrameRate: true, fps: 29.97, fpsRational: '30000/1001', frameCount: 300 }));
  assert.match(after(vfr.args, '-vf') ?? '', /^fps=30000\/1001,/);
  assert.equal(vfr.expectedSeconds, 10, 'a stream is judged by its stated duration, not its stated count');
  assert.equal(slower.expectedSeconds, 5);
  assert.equal(planDecode(media(), { start: 48, end: 96 }).expectedSeconds, 2);
});

test('decode plan: scaling keeps the aspect ratio on even sizes; SD and tagged matrices', () => {
  const plan = planDecode(media({ width: 640, height: 360, colorSpace: null }), { width: 301 });
  assert.deepEqual([plan.frames.width, plan.frames.height], [301, 170]);
  assert.match(after(plan.args, '-vf') ?? '', /in_color_matrix=bt601/);
  assert.match(after(planDecode(media({ colorSpace: 'smpte170m' })).args, '-vf') ?? '', /in_color_matrix=bt601/);
  assert.match(after(planDecode(media(), { colorMatrix: 'bt601' }).args, '-vf') ?? '', /in_color_matrix=bt601/);
});

test('decode plan: a start past the end or an empty range is refused', () => {
  assert.throws(() => planDecode(media(), { start: 240 }), (e: unknown) => isFramefuseError(e) && e.code === 'FF_TRIM_OUT_OF_RANGE');
  assert.throws(() => planDecode(media(), { start: 11, unit: 'seconds' }), (e: unknown) => isFramefuseError(e) && e.code === 'FF_TRIM_OUT_OF_RANGE');
  assert.throws(() => planDecode(media(), { start: 3, end: 2 }), (e: unknown) => isFramefuseError(e) && e.field === 'end');
});

test('one quality scale, mapped per encoder', () => {
  assert.equal(qualityToScale(55, 51, 0), 23, 'quality 55 is x264\'s default crf 23');
  assert.equal(qualityToScale(65, 51, 0), 18);
  assert.deepEqual(encoderArgs('libx264', 100, 'slow', 'auto').codec, ['-c:v', 'libx264', '-preset', 'slow', '-qp', '0']);
  assert.deepEqual(encoderArgs('libx264', 100, 'slow', 'rgb24').codec.slice(0, 2), ['-c:v', 'libx264rgb']);
  assert.ok(encoderArgs('libvpx-vp9', 100, 'medium', 'auto').codec.includes('-lossless'));
  assert.equal(after(encoderArgs('libvpx-vp9', 0, 'medium', 'auto').codec, '-crf'), '63');
  assert.equal(after(encoderArgs('h264_nvenc', 100, 'medium', 'auto').codec, '-cq'), '1', 'nvenc cq 0 would mean automatic');
  assert.equal(after(encoderArgs('prores_ks', 90, 'medium', 'auto').codec, '-profile:v'), '3');
  assert.equal(after(encoderArgs('prores_ks', 10, 'medium', 'auto').codec, '-profile:v'), '0');
  assert.deepEqual(encoderArgs('h264_vaapi', 50, 'medium', 'auto').filters, ['hwupload']);
});

const settings = (over: Partial<EncodeSettings> = {}): EncodeSettings => ({
  encoder: 'libx264', quality: 65, preset: 'medium', pixelFormat: 'auto', fps: null, audio: 'copy', faststart: true, ...over,
});
const frames = { width: 640, height: 360, fps: 24, frameCount: 240 };
const aac = { ref: { path: '/clips/in.mp4', streamIndex: 1, start: 0, end: null }, codec: 'aac', videoOffset: 0 };

test('encode plan: raw frames on stdin, source audio copied whole, faststart, BT.709 tags', () => {
  const plan = planEncode(frames, settings(), CONTAINERS['.mp4']!, aac, '/out/.x.part.mp4');
  const a = plan.args;
  assert.deepEqual(a.slice(a.indexOf('-f'), a.indexOf('pipe:0') + 1), ['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', '640x360', '-framerate', '24/1', '-i', 'pipe:0']);
  assert.equal(plan.audio, 'copied');
  assert.deepEqual(a.slice(a.indexOf('-map'), a.indexOf('-map') + 4), ['-map', '0:v:0', '-map', '1:1']);
  assert.equal(after(a, '-c:a'), 'copy');
  assert.equal(after(a, '-movflags'), '+faststart');
  assert.equal(after(a, '-colorspace'), 'bt709');
  assert.equal(after(a, '-vf'), 'scale=out_color_matrix=bt709:out_range=tv,format=yuv420p');
  assert.deepEqual(a.slice(-3), ['-f', 'mp4', '/out/.x.part.mp4']);
  assert.ok(!a.includes('-ss') && !a.includes('-itsoffset'));
});

test('encode plan: a trimmed range is cut and re-encoded; an offset video keeps its offset when whole', () => {
  const trimmed = planEncode(frames, settings(), CONTAINERS['.mp4']!, { ...aac, ref: { ...aac.ref, start: 2, end: 4 } }, 'o.mp4');
  assert.equal(trimmed.audio, 'reencoded');
  assert.deepEqual(trimmed.args.slice(trimmed.args.indexOf('-ss'), trimmed.args.indexOf('-ss') + 6), ['-ss', '2.000000', '-t', '2.000000', '-i', '/clips/in.mp4']);
  assert.equal(after(trimmed.args, '-c:a'), 'aac');
  const offset = planEncode(frames, settings(), CONTAINERS['.mkv']!, { ...aac, ref: { ...aac.ref, start: 0.021 }, videoOffset: 0.021 }, 'o.mkv');
  assert.equal(offset.audio, 'copied');
  assert.equal(after(offset.args, '-itsoffset'), '0.021000');
  assert.ok(offset.args.indexOf('-itsoffset') < offset.args.indexOf('pipe:0'));
});

test('encode plan: webm re-encodes aac to opus; drop writes none; odd sizes pad; rgb24 is untagged', () => {
  const webm = planEncode(frames, settings({ encoder: 'libvpx-vp9' }), CONTAINERS['.webm']!, aac, 'o.webm');
  assert.equal(webm.audio, 'reencoded');
  assert.equal(after(webm.args, '-c:a'), 'libopus');
  assert.ok(!webm.args.includes('-movflags'));
  const dropped = planEncode(frames, settings({ audio: 'drop' }), CONTAINERS['.mp4']!, aac, 'o.mp4');
  assert.equal(dropped.audio, 'none');
  assert.ok(dropped.args.includes('-an') && !dropped.args.includes('/clips/in.mp4'));
  const odd = planEncode({ ...frames, width: 65, height: 47 }, settings(), CONTAINERS['.mp4']!, null, 'o.mp4');
  assert.equal(odd.padded, true);
  assert.match(after(odd.args, '-vf') ?? '', /^pad=66:48:0:0,/);
  const rgb = planEncode({ ...frames, width: 65 }, settings({ pixelFormat: 'rgb24', quality: 100 }), CONTAINERS['.mkv']!, null, 'o.mkv');
  assert.equal(rgb.padded, false);
  assert.ok(!rgb.args.includes('-colorspace'));
  const faster = planEncode(frames, settings({ fps: 12 }), CONTAINERS['.mp4']!, null, 'o.mp4');
  assert.match(after(faster.args, '-vf') ?? '', /,fps=12\/1$/);
  assert.equal(faster.outputFps, 12);
});

test('codec and container checks', () => {
  assert.equal(resolveCodec('auto', 'a.webm'), 'vp9');
  assert.equal(resolveCodec('auto', 'a.MOV'), 'h264');
  assert.throws(() => resolveCodec('vp9', 'a.mov'), (e: unknown) => isFramefuseError(e) && e.code === 'FF_CODEC_UNSUPPORTED' && e.field === 'codec');
  assert.throws(() => resolveCodec('h264', 'a.gif'), (e: unknown) => isFramefuseError(e) && e.code === 'FF_OUTPUT_FORMAT_UNSUPPORTED');
});

test('the `ffmpeg -i` banner parser: streams, rotation, cover art, NTSC rates, output section ignored', () => {
  const banner = `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from '/x/clip.mov':
  Metadata:
    major_brand     : qt
  Duration: 00:01:02.50, start: 0.100000, bitrate: 4000 kb/s
    Stream #0:0(und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709), 1920x1080 [SAR 1:1 DAR 16:9], 3900 kb/s, 29.97 fps, 29.97 tbr, 30k tbn, 59.94 tbc (default)
    Metadata:
      rotate          : 90
    Side data:
      displaymatrix: rotation of -90.00 degrees
    Stream #0:1(eng): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, 5.1, fltp, 384 kb/s (default)
    Stream #0:2: Video: mjpeg, yuvj420p(pc, bt470bg/unknown/unknown), 600x600, 90k tbr, 90k tbn, 90k tbc (attached pic)
    Stream #0:3(und): Audio: pcm_s16le (sowt / 0x74776F73), 44100 Hz, stereo, s16, 1411 kb/s
Stream mapping:
  Stream #0:0 -> #0:0 (h264 (native) -> wrapped_avframe (native))
Output #0, null, to 'pipe:':
    Stream #0:0(und): Video: wrapped_avframe, yuv420p, 1080x1920, q=2-31, 200 kb/s, 29.97 fps`;
  const info = parseFfmpegBanner(banner);
  assert.equal(info.format, 'mov,mp4,m4a,3gp,3g2,mj2');
  assert.equal(info.duration, 62.5);
  assert.equal(info.startTime, 0.1);
  assert.equal(info.video.length, 1);
  assert.equal(info.attachedPictures, 1);
  const v = info.video[0]!;
  assert.deepEqual([v.codec, v.width, v.height, v.codedWidth, v.rotation, v.fpsRational, v.pixelFormat, v.colorSpace], ['h264', 1080, 1920, 1920, 90, '30000/1001', 'yuv420p', 'bt709']);
  assert.deepEqual(info.audio.map((a) => [a.index, a.codec, a.sampleRate, a.channels]), [[1, 'aac', 48000, 6], [3, 'pcm_s16le', 44100, 2]]);
});

test('`ffmpeg -encoders` parsing', () => {
  const list = parseEncoderList(` V..... = Video
 ------
 V..... libx264              libx264 H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10 (codec h264)
 V....D h264_nvenc           NVIDIA NVENC H.264 encoder (codec h264)
 A..... aac                  AAC (Advanced Audio Coding)`);
  assert.deepEqual(list.map((e) => [e.name, e.type]), [['libx264', 'video'], ['h264_nvenc', 'video'], ['aac', 'audio']]);
});

test('FrameAssembler: any chunking of the pipe gives the same frames, each in a buffer of its own', () => {
  const frameBytes = 7 * 5 * 3;
  const stream = new Uint8Array(frameBytes * 6).map((_, i) => (i * 31) % 251);
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let round = 0; round < 20; round++) {
    const assembler = new FrameAssembler(frameBytes);
    const out: Uint8Array[] = [];
    for (let at = 0; at < stream.length; ) {
      const size = 1 + Math.floor(random() * frameBytes * 2.5);
      out.push(...assembler.push(stream.subarray(at, at + size)));
      at += size;
    }
    assert.equal(out.length, 6);
    assert.equal(assembler.pendingBytes, 0);
    out.forEach((f, i) => {
      assert.equal(f.byteOffset, 0);
      assert.equal(f.buffer.byteLength, frameBytes);
      assert.deepEqual(f, stream.subarray(i * frameBytes, (i + 1) * frameBytes));
    });
  }
});
