/**
 * Helpers for the standing safety suite: small real clips, the CLI as a child process,
 * what a folder holds (partial files), which processes a process left running, file hashes.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_NODES_DIR } from '../helpers.js';
import { makeClip } from '../media/media-helpers.js';
import type { GraphDocument } from '../../src/model/document.js';
import assert from 'node:assert/strict';
import type { RunEventLog } from '../server/server-fixture.js';

export const BIN = 'bin/framefuse.js';
export const CLI_ENV = { ...process.env, FRAMEFUSE_NODE_PATH: TEST_NODES_DIR };

/** A 64x48, 25 fps clip of `seconds`, h264 in mp4 (with a keyframe every 10 frames). */
export function smallClip(path: string, seconds = 1, audio = false): string {
  return makeClip(path, { width: 64, height: 48, fps: 25, seconds, audio, codec: ['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '10', '-pix_fmt', 'yuv420p'] });
}

export function cli(args: string[], options: { cwd?: string } = {}) {
  const result = spawnSync(process.execPath, [join(process.cwd(), BIN), ...args], { env: CLI_ENV, encoding: 'utf8', ...(options.cwd ? { cwd: options.cwd } : {}) });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

export function spawnCli(args: string[], options: { cwd?: string } = {}): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, [join(process.cwd(), BIN), ...args], { env: CLI_ENV, stdio: ['ignore', 'pipe', 'pipe'], ...(options.cwd ? { cwd: options.cwd } : {}) });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return Object.assign(child, { output: () => output });
}

export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Partial and kept files (names starting with a dot) in `dir`. */
export function partialFiles(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.startsWith('.') && (n.includes('.part') || n.includes('.kept-')));
}

/** The pids of `pid`'s child processes. */
export function childPids(pid: number): number[] {
  return spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
    .stdout.trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
}

/** A process's command line ('' when it is gone, as `ps` itself soon is). */
export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** The ffmpeg children of `pid`, and which of them decodes (writes frames to its stdout). */
export function ffmpegChildren(pid: number): { all: number[]; decoder: number | undefined } {
  const all = childPids(pid).filter((p) => /ffmpeg/.test(commandOf(p)));
  return { all, decoder: all.find((p) => commandOf(p).includes('pipe:1')) };
}

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Polls `condition` every 50 ms until it holds or `ms` pass; returns whether it held. */
export async function waitFor(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** The event that ended a run (finished, failed or cancelled), once it has come. */
export async function runEnd(log: RunEventLog, id: string, ms = 60_000): Promise<any> {
  const ends = new Set(['run:finished', 'run:failed', 'run:cancelled']);
  const find = () => log.events.find((e) => e.runId === id && ends.has(e.name));
  assert.ok(await waitFor(() => find() !== undefined, ms), `run ${id} did not end within ${ms} ms: ${log.names(id).join(', ')}`);
  return find()!.payload;
}

/** The transcode graph (Decoder -> Encoder) with these paths. */
export function transcodeGraph(input: string, output: string, encoder: Record<string, unknown> = {}): GraphDocument {
  return {
    schemaVersion: 1,
    name: 'transcode',
    nodes: [
      { id: 'decoder', type: 'Decoder', version: 1, params: { path: input } },
      { id: 'encoder', type: 'Encoder', version: 1, params: { path: output, preset: 'ultrafast', ...encoder } },
    ],
    edges: [
      { from: { node: 'decoder', port: 'frames' }, to: { node: 'encoder', port: 'frames' } },
      { from: { node: 'decoder', port: 'audio' }, to: { node: 'encoder', port: 'audio' } },
    ],
    metadata: {},
  };
}
