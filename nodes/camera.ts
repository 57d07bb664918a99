/**
 * Camera: a live source. Frames come from the editor's browser camera (sent over the
 * socket), or from a device or stream URL read by ffmpeg (v4l2, RTSP, RTMP, SRT, UDP, or a
 * file played at its native rate). A graph with a Camera runs latency first. The stream
 * ends when the run is stopped (Ctrl-C, Stop), when the page stops sending, or when a file
 * or stream ends; the pipeline then drains and the run finishes normally.
 */
import { z } from 'zod';
import { performance } from 'node:perf_hooks';
import { defineNode, type SourceChunk, type PortSpecs } from '../src/index.js';
import { userError } from '../src/errors.js';
import { mediaOperationalError } from '../src/media/media-errors.js';
import { cameraSourceKind, liveInputArgs, liveInputKind } from '../src/media/live-input.js';
import { FfmpegProcess } from '../src/media/ffmpeg-process.js';
import { getTools } from '../src/media/ffmpeg-tools.js';
import { FrameAssembler } from '../src/media/frame-assembler.js';
import type { Frame } from '../src/index.js';

const outputs = { frames: { type: 'Frames', description: 'Live frames, RGB, newest first served.' } } satisfies PortSpecs;

export default defineNode({
  type: 'Camera',
  version: 1,
  category: 'Media',
  title: 'Camera',
  description:
    "A live source: the editor's browser camera, or a device or stream URL (v4l2 /dev/video0, rtsp://, rtmp://, srt://, udp://, or a file played at its own rate). The graph then runs latency first: one frame at a time, late frames dropped.",
  kind: 'media',
  liveSource: true,
  inputs: {},
  outputs,
  params: z.object({
    source: z.enum(['auto', 'url', 'browser']).default('auto').describe("url: a device or stream read by ffmpeg on the server; browser: the camera of the editor's page; auto: the URL when one is set, else the browser."),
    url: z.string().default('').describe('url source: /dev/video0, rtsp://..., rtmp://..., srt://..., udp://..., or a video file (played at its own rate).'),
    width: z.number().int().min(16).max(1920).default(640).describe('Frame width; the picture is fitted inside, keeping its aspect ratio.'),
    height: z.number().int().min(16).max(1080).default(480).describe('Frame height.'),
    fps: z.number().positive().max(120).default(25).describe('Frame rate asked of a device (streams and files keep their own).'),
    loop: z.boolean().default(false).describe('url source, a file: play it again at its end, until the run is stopped.'),
  }),
  check: (p) =>
    p.source === 'url' && p.url.trim() === ''
      ? [{ code: 'FF_CAMERA_URL_MISSING', param: 'url', message: 'the Camera reads a URL but none is set: set url (--set camera.url=/dev/video0, rtsp://..., or a file), or source "browser" in the editor' }]
      : [],
  create: (ctx) => {
    const p = ctx.params;
    const kind = cameraSourceKind(p);
    let proc: FfmpegProcess | null = null;
    const live = ctx.live;
    const browserFeed = () => {
      const feed = live?.browserFeed(ctx.id) ?? null;
      if (!feed) {
        throw userError('FF_CAMERA_NO_BROWSER', 'a browser Camera gets its frames from the editor page, and none is connected to this run', {
          field: 'source',
          fix: 'run the graph from the editor, or set its url (--set camera.url=/dev/video0, rtsp://..., or a file) to run it headless',
        });
      }
      return feed;
    };
    return {
      open() {
        // Checked here, before the models load, so a headless run without a URL fails at once.
        if (kind === 'browser') browserFeed();
        if (kind === 'url') {
          const scheme = liveInputKind(p.url);
          const allowed = live?.allowedSchemes ?? [];
          if (live && !allowed.includes(scheme)) {
            throw userError('FF_CAMERA_SCHEME_REFUSED', `this server does not open ${scheme} camera URLs`, {
              field: 'url',
              fix: allowed.length > 0 ? `use one of: ${allowed.join(', ')}; or start the server with --camera-schemes ${scheme}` : `start the server with --camera-schemes ${scheme} (local clients only unless --camera-remote), or use source "browser"`,
            });
          }
        }
        return { frames: { width: p.width, height: p.height, fps: p.fps, frameCount: null } };
      },
      async *produce(): AsyncGenerator<SourceChunk<typeof outputs>> {
        const stop = live?.stop;
        let index = 0;
        if (kind === 'browser') {
          const feed = browserFeed()!;
          const signal = stop ? AbortSignal.any([ctx.signal, stop]) : ctx.signal;
          for (;;) {
            const got = await feed.next(signal);
            if (!got) return;
            const i = index++;
            yield { indices: [i], pts: [i / p.fps], outputs: { frames: [got.frame] }, capturedAt: [got.receivedAt], echo: [{ sentAt: got.sentAt, seq: got.seq }] };
          }
        }
        const tools = getTools();
        // A file path resolves against the working folder, as a Decoder's does.
        proc = new FfmpegProcess(tools.ffmpeg.path, liveInputArgs({ ...p, cwd: ctx.paths.cwd }), { stdout: true });
        const running = proc;
        let stopping = false;
        const onStop = () => {
          stopping = true;
          void running.stop(1000);
        };
        if (stop?.aborted) onStop();
        stop?.addEventListener('abort', onStop, { once: true });
        ctx.signal.addEventListener('abort', onStop, { once: true });
        const assembler = new FrameAssembler(p.width * p.height * 3);
        const started = performance.now();
        try {
          try {
            for await (const chunk of running.stdout as AsyncIterable<Buffer>) {
              for (const data of assembler.push(chunk)) {
                const frame: Frame = { width: p.width, height: p.height, data };
                const now = performance.now();
                yield { indices: [index], pts: [(now - started) / 1000], outputs: { frames: [frame] }, capturedAt: [now] };
                index++;
              }
            }
          } catch (error) {
            if (!stopping) throw error;
          }
          const exit = await running.exited;
          if (stopping || ctx.signal.aborted) return;
          if (running.startError) throw mediaOperationalError('FF_FFMPEG_NOT_FOUND', `ffmpeg could not be started: ${running.startError.message}`, { node: ctx.id });
          if (exit.code !== 0) throw mediaOperationalError('FF_CAMERA_FAILED', `reading ${p.url} failed (ffmpeg exited with ${exit.code ?? exit.signal}) after ${index} frames`, { node: ctx.id, field: 'url', stderr: running.stderr() });
        } finally {
          stop?.removeEventListener('abort', onStop);
          ctx.signal.removeEventListener('abort', onStop);
          if (running.exit === null) await running.stop(500);
        }
      },
      async dispose() {
        const running = proc as FfmpegProcess | null;
        if (running && running.exit === null) await running.stop(500);
      },
    };
  },
});
