/**
 * Decoder: reads a video file with ffmpeg and streams its frames as RGB, upright, with
 * their indices and timestamps, plus a reference to the file's audio for the Encoder.
 * Frames are decoded on a pipe as they are needed: the video is never held whole.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { defineNode } from '../src/index.js';
import { inputFile } from '../src/index.js';
import { probeMedia } from '../src/media/probe.js';
import { planDecode, type DecodePlan } from '../src/media/decode-plan.js';
import { decodeFrames } from '../src/media/decode-frames.js';
import type { FfmpegProcess } from '../src/media/ffmpeg-process.js';

export default defineNode({
  type: 'Decoder',
  version: 1,
  category: 'Media',
  title: 'Decoder',
  description:
    'Reads a video file and streams its frames (RGB, upright) with their indices and timestamps, and passes its audio on to the Encoder. Trims by frames or seconds, changes the frame rate, resizes.',
  kind: 'media',
  inputs: {},
  outputs: {
    frames: { type: 'Frames', description: 'Decoded frames, RGB, in order.' },
    audio: { type: 'Audio', description: "The file's audio for the same range, for the Encoder to mux back." },
  },
  params: z.object({
    path: inputFile(z.string().min(1), 'video').describe('Video file to read (mp4, mov, mkv, webm, ...). Relative paths resolve against the working folder.'),
    start: z.number().min(0).default(0).describe('First frame (or second, see unit) to decode.'),
    end: z.number().positive().nullable().default(null).describe('Where to stop (exclusive), in the same unit; empty = to the end.'),
    unit: z.enum(['frames', 'seconds']).default('frames').describe('Unit of start and end.'),
    fps: z.number().positive().max(1000).nullable().default(null).describe('Output frame rate; empty keeps the source rate (frame-exact).'),
    width: z.number().int().min(2).max(16384).nullable().default(null).describe('Output width in pixels; empty keeps it (or follows height, keeping the aspect ratio).'),
    height: z.number().int().min(2).max(16384).nullable().default(null).describe('Output height in pixels; empty keeps it (or follows width, keeping the aspect ratio).'),
    colorMatrix: z.enum(['auto', 'bt601', 'bt709']).default('auto').describe("YCbCr to RGB matrix; auto reads the file's tag, else takes BT.709 for HD and BT.601 for SD."),
    onCorrupt: z.enum(['fail', 'conceal']).default('fail').describe('On a decode error: fail and report the frame, or decode through the damage with a warning.'),
  }),
  // Whether the file exists and is a file is checked through the path's role (src/graph/check-files.ts).
  create: (ctx) => {
    let plan: DecodePlan | null = null;
    let proc: FfmpegProcess | null = null;
    return {
      async open() {
        const p = ctx.params;
        const info = await probeMedia(resolve(ctx.paths.cwd, p.path), { node: ctx.id, signal: ctx.signal });
        plan = planDecode(info, {
          start: p.start,
          end: p.end,
          unit: p.unit,
          fps: p.fps,
          width: p.width,
          height: p.height,
          colorMatrix: p.colorMatrix,
          onCorrupt: p.onCorrupt,
          node: ctx.id,
        });
        const v = info.video!;
        ctx.log.info(
          `${info.path}: ${v.codec} ${v.width}x${v.height}${v.rotation ? ` (rotated ${v.rotation}°)` : ''} @ ${v.fps.toFixed(3)} fps, ${v.frameCount ?? '?'} frames, ${info.audio.length} audio stream(s)`,
        );
        return { frames: plan.frames, audio: plan.audio };
      },
      async *produce() {
        if (!plan) throw new Error('Decoder.produce() called before open()');
        const chunks = decodeFrames(plan, {
          signal: ctx.signal,
          node: ctx.id,
          warn: (m) => ctx.log.warn(m),
          onProcess: (started) => {
            proc = started;
          },
        });
        for await (const chunk of chunks) {
          yield { indices: chunk.indices, pts: chunk.pts, outputs: { frames: chunk.frames } };
        }
      },
      async dispose() {
        // The iterator stops its ffmpeg when it ends or is returned; this covers a
        // consumer that abandoned it mid-stream.
        const running = proc as FfmpegProcess | null;
        if (running && running.exit === null) await running.stop(500);
      },
    };
  },
});
