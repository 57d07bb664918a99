/**
 * Helpers for the media tests: clips generated with ffmpeg's lavfi sources into a
 * temporary folder, node contexts for calling node hooks directly, and a Decoder to
 * Encoder pipe that drives the two nodes the way the scheduler does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { z } from 'zod';
import type { NodeContext, NodeDefinition, NodeInstance, PortSpecs } from '../../src/node-api/define-node.js';
import type { Frame } from '../../src/model/port-values.js';
import { discoverTools } from '../../src/media/ffmpeg-tools.js';
import decoderNode from '../../nodes/decoder.js';
import { DEFAULT_OUTPUT_POLICY } from '../../src/files/output-policy.js';
import encoderNode from '../../nodes/encoder.js';

export const tools = discoverTools();
export const FFMPEG = tools.ffmpeg.path;
export const REAL_CLIP = 'samples/tears_of_steel_clip01_640x360.mp4';

/** A fresh temporary folder, removed when the process exits. */
export function tempDir(prefix = 'framefuse-media-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs ffmpeg synchronously; throws with its stderr when it fails. */
export function ffmpeg(args: string[]): void {
  const result = spawnSync(FFMPEG, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed:\n${result.stderr}`);
}

export interface ClipOptions {
  width?: number;
  height?: number;
  fps?: number;
  seconds?: number;
  audio?: boolean;
  /** Extra output arguments (codec, metadata...). */
  codec?: string[];
  source?: string;
}

/** Generates a test clip (testsrc2 pattern, 440 Hz sine audio if asked) and returns its path. */
export function makeClip(path: string, options: ClipOptions = {}): string {
  const { width = 64, height = 48, fps = 24, seconds = 1, audio = false } = options;
  // testsrc2 rounds odd sizes down to even ones: generate even, then scale to the odd size.
  const odd = width % 2 === 1 || height % 2 === 1;
  const size = odd ? `${width + (width % 2)}x${height + (height % 2)}` : `${width}x${height}`;
  const source = options.source ?? `testsrc2=size=${size}:rate=${fps}:duration=${seconds}`;
  const args = ['-f', 'lavfi', '-i', source];
  if (odd) args.push('-vf', `scale=${width}:${height}`);
  if (audio) args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`);
  args.push(...(options.codec ?? ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p']));
  if (audio) args.push('-c:a', 'aac', '-b:a', '96k');
  args.push(path);
  ffmpeg(args);
  return path;
}

export interface CapturedLog {
  info: string[];
  warn: string[];
}

export function makeContext<P>(id: string, params: P, options: { signal?: AbortSignal; cwd?: string } = {}): NodeContext<P> & { logs: CapturedLog } {
  const logs: CapturedLog = { info: [], warn: [] };
  return {
    id,
    params,
    signal: options.signal ?? new AbortController().signal,
    log: { info: (m) => logs.info.push(m), warn: (m) => logs.warn.push(m) },
    providers: ['cpu'],
    threads: 1,
    batchSize: 1,
    strategy: 'composed',
    deviceGlue: true,
    paths: { cwd: options.cwd ?? process.cwd(), models: join(process.cwd(), 'models') },
    output: DEFAULT_OUTPUT_POLICY,
    logs,
  };
}

/** Parses raw params through a node's schema, as the scheduler does. */
export function parseParams<P extends z.ZodObject, I extends PortSpecs, O extends PortSpecs>(
  definition: NodeDefinition<P, I, O>,
  raw: Record<string, unknown>,
): z.output<P> {
  return definition.params.parse(raw) as z.output<P>;
}

/** Decodes a whole file through the Decoder node; returns every frame, the open outputs and the indices/pts seen. */
export async function decodeAll(raw: Record<string, unknown>, options: { signal?: AbortSignal } = {}) {
  const ctx = makeContext('decoder', parseParams(decoderNode, raw), options);
  const instance = (await decoderNode.create(ctx)) as NodeInstance;
  const frames: Frame[] = [];
  const indices: number[] = [];
  const pts: number[] = [];
  try {
    const opened = (await instance.open?.({})) as { frames: { width: number; height: number; fps: number; frameCount: number | null }; audio: { path: string; streamIndex: number | null; start: number; end: number | null } };
    for await (const chunk of instance.produce!()) {
      frames.push(...((chunk.outputs as Record<string, unknown>).frames as Frame[]));
      indices.push(...chunk.indices);
      pts.push(...chunk.pts);
    }
    return { opened, frames, indices, pts, logs: ctx.logs };
  } finally {
    await instance.dispose?.();
  }
}

export interface PipeResult {
  result: unknown;
  decoderLogs: CapturedLog;
  encoderLogs: CapturedLog;
}

/**
 * Decoder -> Encoder, driven like the scheduler: create, open in order, produce chunks into
 * process, finish, dispose always. `onChunk` runs after each chunk (to cancel mid-run).
 */
export async function pipe(
  decoderRaw: Record<string, unknown>,
  encoderRaw: Record<string, unknown>,
  options: { signal?: AbortSignal; onChunk?: (index: number) => void | Promise<void>; mapFrames?: (frames: Frame[]) => Frame[] } = {},
): Promise<PipeResult> {
  const decCtx = makeContext('decoder', parseParams(decoderNode, decoderRaw), options);
  const encCtx = makeContext('encoder', parseParams(encoderNode, encoderRaw), options);
  const decoder = (await decoderNode.create(decCtx)) as NodeInstance;
  const encoder = (await encoderNode.create(encCtx)) as NodeInstance;
  try {
    const opened = (await decoder.open?.({})) as Record<string, unknown>;
    await encoder.open?.({ frames: opened.frames, audio: opened.audio });
    let n = 0;
    for await (const chunk of decoder.produce!()) {
      const frames = (chunk.outputs as Record<string, unknown>).frames as Frame[];
      await encoder.process!({ indices: chunk.indices, pts: chunk.pts, inputs: { frames: options.mapFrames ? options.mapFrames(frames) : frames } });
      await options.onChunk?.(n++);
    }
    const result = await encoder.finish?.();
    return { result, decoderLogs: decCtx.logs, encoderLogs: encCtx.logs };
  } finally {
    await Promise.allSettled([decoder.dispose?.(), encoder.dispose?.()]);
  }
}

/** Whether a process with this id still exists. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ids of this process's child processes whose command is ffmpeg (from /proc). */
export function childFfmpegPids(): number[] {
  const result = spawnSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return result.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((p) => p[1] !== undefined && /ffmpeg|ffprobe/.test(p[1]))
    .map((p) => Number(p[0]));
}
