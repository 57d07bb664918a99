/**
 * Encoder: writes the frames it receives to a video file with ffmpeg, with the source's
 * audio muxed back in sync. The file appears under its name only when the run succeeds;
 * until then ffmpeg writes a temporary file beside it.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { defineNode } from '../src/index.js';
import { outputFile } from '../src/index.js';
import { CODECS, PIXEL_FORMATS, PRESETS } from '../src/media/encoder-catalog.js';
import { EncodeSession } from '../src/media/encode-session.js';
import { mediaUserError } from '../src/media/media-errors.js';

export default defineNode({
  type: 'Encoder',
  version: 1,
  category: 'Media',
  title: 'Encoder',
  description:
    'Writes frames to a video file (h264, hevc, vp9, prores; hardware encoders when they work here), with the original audio muxed back in sync. The file appears only when the run succeeds.',
  kind: 'media',
  inputs: {
    frames: { type: 'Frames', description: 'Frames to write, in order.' },
    audio: { type: 'Audio', optional: true, description: 'Audio to mux back (from the Decoder); leave unconnected for a silent video.' },
  },
  outputs: {},
  params: z.object({
    path: outputFile(z.string().min(1), 'video').describe('Output file; the extension picks the container (.mp4, .mov, .mkv, .webm). Relative paths resolve against the working folder.'),
    codec: z.enum(CODECS).default('auto').describe('Video codec; auto takes the container\'s usual one (h264, vp9 for .webm).'),
    quality: z.number().min(0).max(100).default(65).describe('0..100, mapped per encoder (65 = x264 crf 18; 100 = lossless where the encoder has it).'),
    preset: z.enum(PRESETS).default('medium').describe('Speed against compression, x264 names (mapped for other encoders).'),
    pixelFormat: z.enum(PIXEL_FORMATS).default('auto').describe('Pixel format; auto is yuv420p (yuv422p10le for ProRes); rgb24 with quality 100 is bit-exact.'),
    fps: z.number().positive().max(1000).nullable().default(null).describe('Output frame rate; empty keeps the stream\'s.'),
    audio: z.enum(['copy', 'reencode', 'drop']).default('copy').describe('copy keeps the source audio (re-encoded only when the container or a trim needs it), reencode always re-encodes, drop writes no audio.'),
    hardware: z.enum(['auto', 'never', 'require']).default('auto').describe('auto uses a hardware encoder when a test encode shows it works, never stays in software, require fails without one.'),
    faststart: z.boolean().default(true).describe('Put the mp4/mov index at the front, so the file plays while it downloads.'),
    overwrite: z.boolean().default(false).describe('Replace an existing file of the same name. Off: the output goes to the next free name (out-1.mp4, out-2.mp4, ...). A file the run reads is never replaced.'),
    keepTemp: z.boolean().default(false).describe('Keep the partial file when the run fails or is cancelled (for inspection).'),
  }),
  create: (ctx) => {
    let session: EncodeSession | null = null;
    return {
      async open(inputs) {
        const frames = inputs.frames;
        if (!frames) throw mediaUserError('FF_ENCODE_BAD_STREAM', 'The Encoder has no frames input connected.', { node: ctx.id, field: 'frames' });
        const p = ctx.params;
        session = await EncodeSession.open({
          path: resolve(ctx.paths.cwd, p.path),
          frames,
          audio: inputs.audio ?? null,
          codec: p.codec,
          quality: p.quality,
          preset: p.preset,
          pixelFormat: p.pixelFormat,
          fps: p.fps,
          audioMode: p.audio,
          hardware: p.hardware,
          faststart: p.faststart,
          keepTemp: p.keepTemp,
          policy: { ...ctx.output, overwrite: p.overwrite || ctx.output.overwrite },
          signal: ctx.signal,
          node: ctx.id,
          log: ctx.log,
        });
        const replace = p.overwrite || ctx.output.overwrite;
        ctx.log.info(`writing ${resolve(ctx.paths.cwd, p.path)} with ${session.encoderName}${replace ? ' (replacing an older file)' : ' (or the next free name, if it exists by then)'}`);
      },
      async process(batch) {
        if (!session) throw new Error('Encoder.process() called before open()');
        await session.write(batch.inputs.frames);
        return {};
      },
      async finish() {
        if (!session) throw new Error('Encoder.finish() called before open()');
        return session.finish();
      },
      async dispose() {
        await session?.dispose();
      },
    };
  },
});
