/**
 * Stream: publishes frames live through ffmpeg, to an RTMP, SRT, RTSP or UDP URL, or into a
 * v4l2 loopback device (a virtual camera for video calls). It never holds the pipeline up:
 * a frame ffmpeg is not ready for is dropped (and the count logged at the end).
 */
import { z } from 'zod';
import { defineNode } from '../src/index.js';
import { LiveOutput, liveOutputKind } from '../src/media/live-output.js';

export default defineNode({
  type: 'Stream',
  version: 1,
  category: 'Media',
  title: 'Stream',
  description: 'Publishes the frames live (h264, zero-latency) to rtmp://, srt://, rtsp:// or udp://, or into a v4l2 loopback device as a virtual camera. Drops a frame rather than wait.',
  kind: 'media',
  inputs: { frames: { type: 'Frames', description: 'Frames to publish.' } },
  outputs: {},
  params: z.object({
    url: z.string().min(1).describe('rtmp://host/app/key, srt://host:port, rtsp://host:port/path, udp://host:port, or /dev/videoN (v4l2loopback).'),
    bitrateKbps: z.number().int().min(100).max(50000).default(2500).describe('Video bitrate for network streams, kbit/s.'),
  }),
  check: (p) => {
    try {
      liveOutputKind(p.url);
      return [];
    } catch (error) {
      return [{ code: 'FF_STREAM_URL', param: 'url', message: (error as Error).message }];
    }
  },
  create: (ctx) => {
    let out: LiveOutput | null = null;
    return {
      open(inputs) {
        const frames = inputs.frames;
        if (!frames) throw new Error('the Stream has no frames input connected');
        out = new LiveOutput(ctx.params.url, frames, ctx.params.bitrateKbps, ctx.id);
        ctx.log.info(`publishing ${frames.width}x${frames.height} to ${ctx.params.url}`);
      },
      process: ({ inputs }) => {
        for (const frame of inputs.frames) out!.write(frame.data);
        return {};
      },
      async finish() {
        await out?.close();
        if (out && out.dropped > 0) ctx.log.info(`${out.dropped} of ${out.dropped + out.written} frames dropped: the stream could not take them in time`);
        return { url: ctx.params.url, frames: out?.written ?? 0, dropped: out?.dropped ?? 0 };
      },
      async dispose() {
        await out?.stop();
      },
    };
  },
});
